"""Bearer tokens: what a token resolves to, and every cache of that answer.

A live token (not expired, not revoked, user active) resolves to a Principal: four immutable
values, safe to share between threads. Lookups go, in order, through this process's memory
(API_TOKEN_LOCAL_CACHE_SECONDS, default 5), Django's cache (shared by every worker: Redis
in production; API_TOKEN_CACHE_SECONDS, default 60) and the database.

Revocation bound, i.e. how long a token may still work after it stops being valid:
- logout (`forget`) deletes the shared entry and this process's entry: the token fails at
  once in the process that revoked it, and in other processes within
  API_TOKEN_LOCAL_CACHE_SECONDS (their memory is all that is left);
- a change made elsewhere (a user deactivated, staff flag changed, `revoked_at` set in the
  admin) is seen within API_TOKEN_CACHE_SECONDS + API_TOKEN_LOCAL_CACHE_SECONDS;
- expiry is checked on every request, cached or not.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from prometheus_client import Counter

from example_api.accounts.models import ApiToken
from example_api.metrics.instruments import REGISTRY

TOKEN_CACHE = Counter(
    "slipway_token_cache_lookups",
    "Bearer token lookups in each cache layer: local (this process), shared (Redis).",
    ["cache", "result"],
    registry=REGISTRY,
)

# Bound once: these run on every authenticated request.
_LOCAL_HIT = TOKEN_CACHE.labels("local", "hit")
_LOCAL_MISS = TOKEN_CACHE.labels("local", "miss")
_SHARED_HIT = TOKEN_CACHE.labels("shared", "hit")
_SHARED_MISS = TOKEN_CACHE.labels("shared", "miss")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request runs as. Endpoints that need more of the user load its row."""

    user_id: int
    is_staff: bool
    token_id: int
    expires_at: datetime


def hash_token(raw_token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough (no need for a slow KDF).
    return hashlib.sha256(raw_token.encode()).hexdigest()


def _shared_key(key_hash: str) -> str:
    # v2: entries are (user_id, is_staff, token_id, expires_at); a release still running
    # beside this one during a deploy keeps its own v1 entries.
    return f"api-token:v2:{key_hash}"


class TokenResolver:
    """Raw token -> Principal through the three layers above. One per process (`resolver`);
    tests make more to stand for other processes, and pass a clock to move time."""

    MAX_LOCAL_ENTRIES = 10_000  # then the memory layer starts over: bounded, never large

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._local: dict[str, tuple[float, Principal]] = {}

    def resolve(self, raw_token: str) -> Principal | None:
        key_hash = hash_token(raw_token)
        entry = self._local.get(key_hash)
        if entry is not None and entry[0] > self._clock():
            _LOCAL_HIT.inc()
            principal: Principal | None = entry[1]
        else:
            _LOCAL_MISS.inc()
            principal = self._from_shared_cache(key_hash) or self._from_database(key_hash)
            if principal is not None:
                self._remember(key_hash, principal)
        if principal is None or principal.expires_at <= timezone.now():
            return None
        return principal

    def forget(self, key_hash: str) -> None:
        """Drop the token from this process's memory (see `forget` for the shared cache)."""
        self._local.pop(key_hash, None)

    def clear(self) -> None:
        self._local.clear()

    def local_size(self) -> int:
        return len(self._local)

    def _remember(self, key_hash: str, principal: Principal) -> None:
        seconds = settings.API_TOKEN_LOCAL_CACHE_SECONDS
        if seconds <= 0:
            return
        if len(self._local) >= self.MAX_LOCAL_ENTRIES:
            self._local.clear()
        self._local[key_hash] = (self._clock() + seconds, principal)

    @staticmethod
    def _from_shared_cache(key_hash: str) -> Principal | None:
        cached = cache.get(_shared_key(key_hash))
        if cached is None:
            _SHARED_MISS.inc()
            return None
        _SHARED_HIT.inc()
        return Principal(*cached)

    @staticmethod
    def _from_database(key_hash: str) -> Principal | None:
        now = timezone.now()
        row = (
            ApiToken.objects.filter(
                key_hash=key_hash,
                revoked_at__isnull=True,
                expires_at__gt=now,
                user__is_active=True,
            )
            .values_list("user_id", "user__is_staff", "pk", "expires_at")
            .first()
        )
        if row is None:
            return None
        principal = Principal(*row)
        ttl = int(
            min(settings.API_TOKEN_CACHE_SECONDS, (principal.expires_at - now).total_seconds())
        )
        if ttl > 0:
            cache.set(_shared_key(key_hash), row, ttl)
        return principal


resolver = TokenResolver()


def forget(key_hash: str) -> None:
    """After a revocation: no cache of this process or of the shared cache answers for the
    token any more. Other processes' memory may, for API_TOKEN_LOCAL_CACHE_SECONDS."""
    cache.delete(_shared_key(key_hash))
    resolver.forget(key_hash)
