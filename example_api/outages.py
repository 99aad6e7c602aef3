"""Which exceptions mean a dependency is down, not that the code is wrong.

While the database or Redis cannot be reached (stopped, failing over, refusing connections,
a connection killed, a statement cut by DB_STATEMENT_TIMEOUT_SECONDS), a request cannot
succeed now and may succeed soon: the API answers 503 `service_unavailable` with Retry-After
(example_api/middleware.py), never 500 `internal_error`, so a client can tell an outage from a
bug.
"""

import psycopg
import redis
from django.db import InterfaceError, OperationalError
from django_redis.exceptions import ConnectionInterrupted

# Seconds a client should wait before trying again: a restart or a failover takes a few.
RETRY_AFTER_SECONDS = 5

# Each type with the dependency it stands for. Django wraps the driver's errors in its own
# (OperationalError covers a refused connection, a pool timeout, a terminated backend and a
# cancelled statement); psycopg's own appear where Django does not wrap, such as the pool.
# django-redis raises ConnectionInterrupted for an unreachable Redis; redis-py's own errors
# come from direct clients.
OUTAGES: dict[type[Exception], str] = {
    OperationalError: "database",
    InterfaceError: "database",
    psycopg.OperationalError: "database",
    psycopg.InterfaceError: "database",
    ConnectionInterrupted: "redis",
    redis.ConnectionError: "redis",
    redis.TimeoutError: "redis",
}


def dependency_of(exc: object) -> str | None:
    """The dependency `exc` says is unavailable, or None when it is no outage."""
    for error_type, dependency in OUTAGES.items():
        if isinstance(exc, error_type):
            return dependency
    return None
