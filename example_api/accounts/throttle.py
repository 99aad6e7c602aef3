"""Failed-login counting in Django's cache, so the limit holds across workers (Redis)."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from prometheus_client import Counter

from example_api.metrics.instruments import REGISTRY

LOGIN_FAILURES = Counter(
    "slipway_login_failures",
    "Logins that failed (API and admin): wrong credentials, or refused by the throttle.",
    ["reason"],
    registry=REGISTRY,
)
# Both places that refuse a throttled login (accounts/services.py, accounts/backends.py).
THROTTLED_LOGINS = LOGIN_FAILURES.labels("throttled")


def _key(kind: str, value: str) -> str:
    # Hashed: usernames are client input, and cache keys must be short and plain ASCII.
    return f"login-fail:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


@dataclass(frozen=True)
class LoginThrottle:
    """Fixed window from the first failure: `<key>` counts failures, `<key>:since` marks the
    window start. Both expire with the window; `incr` is atomic in Redis."""

    username: str
    address: str

    def _limits(self) -> list[tuple[str, int]]:
        return [
            (_key("user", self.username.lower()), settings.LOGIN_MAX_FAILURES_PER_USERNAME),
            (_key("addr", self.address), settings.LOGIN_MAX_FAILURES_PER_ADDRESS),
        ]

    def retry_after(self) -> int:
        """Seconds until attempts are allowed again; 0 when not throttled."""
        limits = self._limits()
        keys = [key for key, _ in limits]
        values = cache.get_many(keys + [f"{key}:since" for key in keys])
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        blocked_for = 0
        for key, limit in limits:
            if values.get(key, 0) >= limit:
                since = values.get(f"{key}:since", time.time())
                blocked_for = max(blocked_for, int(since + window - time.time()) + 1)
        return blocked_for

    def record_failure(self) -> None:
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        for key, _ in self._limits():
            cache.add(f"{key}:since", time.time(), timeout=window)
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr: start a new window
                cache.set(key, 1, timeout=window)
