"""Fixtures shared by the unit and integration layers: users, tokens, a client, and the
domain's own (tests/domain_support.py).
The helpers behind them live in importable modules (tests/factories.py, tests/client.py,
tests/payloads.py, tests/endpoints.py); import those, not this file."""

from collections.abc import Callable
from itertools import count

import pytest

from example_api.accounts.models import User
from tests.client import ApiClient
from tests.domain_support import *  # noqa: F403 - the domain's fixtures (its __all__)
from tests.factories import create_user, issue_token


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    numbers = count(1)

    def make(username: str | None = None, *, staff: bool = False) -> User:
        return create_user(username or f"user{next(numbers)}", staff=staff)

    return make


@pytest.fixture
def token_for() -> Callable[..., str]:
    return issue_token


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Login throttling lives in the cache; no test may inherit another's failed attempts.
    from django.core.cache import cache

    from example_api.accounts.tokens import resolver

    cache.clear()
    resolver.clear()
