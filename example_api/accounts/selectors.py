"""Reads for accounts. Token lookups are cached briefly so most requests cost no query."""

import hashlib
import time
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


class _ProcessTokenCache:
    """A few seconds of memory in each worker in front of the shared cache: the hot path
    then costs neither a query nor a Redis round trip. Bounded, so it cannot grow.

    It holds the ApiToken (with its user) itself, built once per entry: building two model
    instances on every request was a tenth of an authenticated read's CPU. Requests of all
    threads share those instances, so they are only read, never changed."""

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, ApiToken]] = {}

    def get(self, key_hash: str) -> ApiToken | None:
        entry = self._entries.get(key_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def set(self, key_hash: str, value: ApiToken) -> None:
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[key_hash] = (time.monotonic() + settings.API_TOKEN_LOCAL_CACHE_SECONDS, value)

    def forget(self, key_hash: str) -> None:
        self._entries.pop(key_hash, None)

    def clear(self) -> None:
        self._entries.clear()


process_token_cache = _ProcessTokenCache()


def active_token(raw_token: str) -> ApiToken | None:
    """The live token (not expired, not revoked, user active) with its user, or None.

    A hit in this worker's memory (API_TOKEN_LOCAL_CACHE_SECONDS) or in the shared cache
    (Redis in production; API_TOKEN_CACHE_SECONDS) skips the database. Revoking deletes both
    entries, so it is immediate in the revoking worker and takes at most the local lifetime
    elsewhere; deactivating a user takes effect within the shared lifetime."""
    key_hash = hash_token(raw_token)
    remembered = process_token_cache.get(key_hash)
    if remembered is None:
        cached = cache.get(token_cache_key(key_hash))
        if cached is not None:
            remembered = _from_cache(key_hash, cached)
            process_token_cache.set(key_hash, remembered)
    if remembered is not None:
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
        entry = (token.pk, token.expires_at, user)
        cache.set(token_cache_key(token.key_hash), entry, ttl)
        process_token_cache.set(token.key_hash, _from_cache(token.key_hash, entry))


def _from_cache(key_hash: str, cached: tuple[int, datetime, dict[str, object]]) -> ApiToken:
    token_id, expires_at, user_fields = cached
    user = User(is_active=True, **user_fields)
    return ApiToken(pk=token_id, key_hash=key_hash, expires_at=expires_at, user=user)
