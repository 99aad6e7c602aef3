"""Rows and values the tests build: users, tokens, times. Import them from here;
tests/conftest.py only wraps some of them in fixtures. The example domain's rows are in
tests/domain_support.py."""

from datetime import datetime, timedelta

from django.utils import timezone

from example_api.accounts.models import ApiToken, User
from example_api.accounts.tokens import hash_token

PASSWORD = "correct-horse-battery-staple"


def create_user(username: str, *, staff: bool = False, password: str = PASSWORD) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.com", password=password, is_staff=staff
    )


def issue_token(user: User, *, expires_in: timedelta = timedelta(days=1)) -> str:
    """A token made directly in the database (logging in is tested on its own)."""
    raw = f"test-token-{user.pk}-{ApiToken.objects.count()}-{timezone.now().timestamp()}"
    ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), expires_at=timezone.now() + expires_in
    )
    return raw


def future(hours: float = 24, *, minutes: float = 0) -> datetime:
    """A whole-minute UTC time in the future, far enough to stay future during a test."""
    base = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    return base + timedelta(hours=hours, minutes=minutes)


def iso(moment: datetime) -> str:
    return moment.isoformat()
