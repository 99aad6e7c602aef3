"""The dependencies /readyz checks, each within a short timeout. A check returns None when
the dependency answers, NOT_USED when this configuration does without it, or else what went
wrong: an exception's type name, never its message (the probe is public, and messages carry
addresses)."""

from collections.abc import Callable

import redis
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.transaction import atomic  # part: jobs
from django.db.utils import DatabaseError
from procrastinate.exceptions import ProcrastinateException  # part: jobs

# Per dependency. A load balancer's probe times out after a few seconds; three checks in a
# row stay under that, and a dependency slower than this is not one to send traffic to.
TIMEOUT_SECONDS = 1.0
NOT_USED = "not used"

# Once the schema is seen up to date, it stays so for this process (migrations run before a
# release starts), so the migration graph is loaded once, not on every probe.
_schema_current = False
_redis_clients: dict[str, redis.Redis] = {}


def migrations_pending() -> bool:
    """Django's documented question, `migrate --check`: it exits 1 when any migration of the
    project is unapplied, and applies nothing."""
    try:
        call_command("migrate", check_unapplied=True, interactive=False, verbosity=0)
    except SystemExit:
        return True
    return False


def database() -> str | None:
    """The database answers and no migration is pending. (A connection comes from the pool,
    which waits at most DB_POOL_TIMEOUT_SECONDS for one.)"""
    global _schema_current
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _schema_current:
            if migrations_pending():
                return "migrations pending"
            _schema_current = True
    except DatabaseError as exc:
        return type(exc).__name__
    return None


def cache() -> str | None:
    """Redis, which holds the token cache and the login throttle, answers a PING."""
    url = settings.REDIS_URL
    if not url:
        return NOT_USED  # the in-process cache: nothing to reach
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )
    try:
        client.ping()
    except redis.RedisError as exc:
        return type(exc).__name__
    return None


# >>> part jobs
def job_queue_tables() -> str | None:
    """procrastinate reaches its tables (its documented check_connection, through Django's
    connection). With jobs run inline (SQLite) there is no queue to reach."""
    if settings.JOBS_RUN_INLINE:
        return NOT_USED
    from example_api.jobs.app import app as job_queue  # the job queue is a part of its own

    try:
        with atomic(), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [int(TIMEOUT_SECONDS * 1000)])
            if not job_queue.check_connection():
                return "tables missing"
    except (DatabaseError, ProcrastinateException) as exc:
        return type(exc).__name__
    return None


# <<< part jobs
CHECKS: dict[str, Callable[[], str | None]] = {
    "database": database,
    "redis": cache,
    "queue": job_queue_tables,  # part: jobs
}
