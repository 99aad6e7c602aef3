"""Reads for accounts. Token lookups are cached briefly so most requests cost no query."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from example_api.accounts.models import ApiToken, User

# The user fields a request needs; cached with the token instead of a User row.
_CACHED_USER_FIELDS = ("id", "username", "email", "is_staff", "is_superuser")


def hash_token(raw_token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough (no need for a slow KDF).
    return hashlib.sha256(raw_token.encode()).hexdigest()


def token_cache_key(key_hash: str) -> str:
    return f"api-token:{key_hash}"


def active_token(raw_token: str) -> ApiToken | None:
    """The live token (not expired, not revoked, user active) with its user, or None.

    A hit in the cache (Redis in production, shared by all workers) skips the database.
    Revoking deletes the entry; other changes (deactivating a user, an expiry) take effect
    within API_TOKEN_CACHE_SECONDS at most."""
    key_hash = hash_token(raw_token)
    cached = cache.get(token_cache_key(key_hash))
    if cached is not None:
        remembered = _from_cache(key_hash, cached)
        return remembered if remembered.expires_at > timezone.now() else None
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=key_hash,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is not None:
        _remember(token)
    return token


def _remember(token: ApiToken) -> None:
    remaining = (token.expires_at - timezone.now()).total_seconds()
    ttl = int(min(settings.API_TOKEN_CACHE_SECONDS, remaining))
    if ttl > 0:
        user = {field: getattr(token.user, field) for field in _CACHED_USER_FIELDS}
        cache.set(token_cache_key(token.key_hash), (token.pk, token.expires_at, user), ttl)


def _from_cache(key_hash: str, cached: tuple[int, datetime, dict[str, object]]) -> ApiToken:
    token_id, expires_at, user_fields = cached
    user = User(is_active=True, **user_fields)
    return ApiToken(pk=token_id, key_hash=key_hash, expires_at=expires_at, user=user)
