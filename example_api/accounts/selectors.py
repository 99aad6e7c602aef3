"""Reads for accounts. Token lookups and their caches are in tokens.py."""

from example_api.accounts.models import User


def active_user(user_id: int) -> User | None:
    try:
        return User.objects.get(pk=user_id, is_active=True)
    except User.DoesNotExist:
        return None
