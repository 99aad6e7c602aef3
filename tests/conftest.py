"""Fixtures shared by the unit and integration layers: users, tokens, resources, a client."""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from example_api.accounts.models import ApiToken, User
from example_api.accounts.tokens import hash_token
from example_api.bookings.models import Booking, Resource

PASSWORD = "correct-horse-battery-staple"


class ApiClient:
    """A thin JSON client over Django's test client: `api.post(path, body, token=...)`."""

    def __init__(self) -> None:
        self.client = Client()

    def request(
        self, method: str, path: str, body: Any = None, *, token: str | None = None, **extra: Any
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs: dict[str, Any] = {"headers": headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = iter(range(1, 10**6))

    def make(username: str | None = None, *, staff: bool = False) -> User:
        name = username or f"user{next(counter)}"
        return User.objects.create_user(
            username=name, email=f"{name}@example.com", password=PASSWORD, is_staff=staff
        )

    return make


def issue_token(user: User, *, expires_in: timedelta = timedelta(days=1)) -> str:
    """A token made directly in the database (logging in is tested on its own)."""
    raw = f"test-token-{user.pk}-{ApiToken.objects.count()}-{timezone.now().timestamp()}"
    ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), expires_at=timezone.now() + expires_in
    )
    return raw


@pytest.fixture
def token_for() -> Callable[..., str]:
    return issue_token


@pytest.fixture
def resource(db: None) -> Resource:
    return Resource.objects.create(name="Room Ada", description="6 seats")


def future(hours: float = 24, *, minutes: float = 0) -> datetime:
    """A whole-minute UTC time in the future, far enough to stay future during a test."""
    base = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    return base + timedelta(hours=hours, minutes=minutes)


def make_booking(user: User, resource: Resource, start: datetime, hours: float = 1) -> Booking:
    return Booking.objects.create(
        user=user, resource=resource, start=start, end=start + timedelta(hours=hours)
    )


def iso(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Login throttling lives in the cache; no test may inherit another's failed attempts.
    from django.core.cache import cache

    from example_api.accounts.tokens import resolver

    cache.clear()
    resolver.clear()
