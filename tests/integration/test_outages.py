"""Outages through granian over HTTP (issue 28): while the database or Redis cannot be
reached, every API answer is 503 `service_unavailable` with Retry-After and the JSON error
body, never 500 `internal_error` (docs/api.md, Errors). The dependencies are made really
unreachable: a closed port, connections killed with pg_terminate_backend while the database
refuses new ones, and a statement held on a lock past DB_STATEMENT_TIMEOUT_SECONDS."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from django.db import connection

from tests.endpoints import ME, REGISTER, TOKEN
from tests.factories import PASSWORD, create_user, issue_token
from tests.harness.ports import free_port
from tests.integration.served_app import database_url_of_this_worker, served_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20  # seconds: an answer that never comes fails the test instead of hanging it
APP_NAME = "slipway-outage-test"  # the served app's backends, as pg_stat_activity names them
# Short waits, so each outage is answered within seconds (defaults are 10 s; settings.py).
QUICK_POOL = {"DB_POOL_TIMEOUT_SECONDS": "2", "DB_CONNECT_TIMEOUT_SECONDS": "2"}


def registration() -> dict[str, str]:
    username = f"outage-{uuid.uuid4().hex[:8]}"
    return {"username": username, "email": f"{username}@example.com", "password": PASSWORD}


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert int(response.headers["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert isinstance(body["detail"], str)


@pytest.fixture(scope="module")
def no_database(django_db_setup: None) -> Iterator[str]:
    """The app's DATABASE_URL points at a port nothing listens on."""
    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere", **QUICK_POOL}
    with served_app(env) as url:
        yield url


@pytest.fixture(scope="module")
def live_database(django_db_setup: None) -> Iterator[str]:
    """This worker's database, statements cut after 1 s, and Redis at a closed port."""
    env = {
        "DATABASE_URL": f"{database_url_of_this_worker()}?application_name={APP_NAME}",
        "DB_STATEMENT_TIMEOUT_SECONDS": "1",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        **QUICK_POOL,
    }
    with served_app(env) as url:
        yield url


def test_database_unreachable_registration(no_database):
    assert_unavailable(httpx.post(no_database + REGISTER, json=registration(), timeout=TIMEOUT))


def test_database_unreachable_login(no_database):
    body = {"username": "somebody", "password": PASSWORD}
    assert_unavailable(httpx.post(no_database + TOKEN, json=body, timeout=TIMEOUT))


def test_database_unreachable_token_check(no_database):
    # The token is looked up in the database before any view runs: that path too is a 503.
    headers = {"Authorization": "Bearer some-token-of-someone"}
    assert_unavailable(httpx.get(no_database + ME, headers=headers, timeout=TIMEOUT))


def wait_until_served(base_url: str) -> None:
    """Until a registration succeeds: the app's pool has a live connection."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        answer = httpx.post(base_url + REGISTER, json=registration(), timeout=TIMEOUT)
        if answer.status_code == 201 or time.monotonic() > deadline:
            assert answer.status_code == 201, answer.text
            return
        time.sleep(0.5)


def _kill_app_connections(cursor: psycopg.Cursor) -> int:
    cursor.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
        [APP_NAME],
    )
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_connections_killed_and_refused(live_database):
    wait_until_served(live_database)  # the pool holds a live connection now
    name = connection.settings_dict["NAME"]
    # From another database: PostgreSQL refuses to close the one a session is connected to.
    with psycopg.connect(
        database_url_of_this_worker(), dbname="postgres", autocommit=True
    ) as admin:
        cursor = admin.cursor()
        cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            assert _kill_app_connections(cursor) >= 1
            # The pool's connection is dead, then no new one is admitted: both are outages.
            for _ in range(2):
                answer = httpx.post(live_database + REGISTER, json=registration(), timeout=TIMEOUT)
                assert_unavailable(answer)
        finally:
            cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


def test_slow_statement_is_cut(live_database):
    """A statement waiting on a lock is cancelled at the statement timeout (1 s here): the
    request ends within seconds, answered 503, whether or not its client still waits."""
    wait_until_served(live_database)  # the pool is back (another test may have killed it)
    with psycopg.connect(database_url_of_this_worker()) as holder:
        holder.execute("LOCK TABLE accounts_user IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        answer = httpx.post(live_database + REGISTER, json=registration(), timeout=TIMEOUT)
        elapsed = time.monotonic() - started
        holder.rollback()
    assert_unavailable(answer)
    # Cut by the statement timeout (1 s), not by the pool's wait or the client's.
    assert 1 <= elapsed < 5, f"answered after {elapsed:.1f} s"


def test_redis_unreachable(live_database):
    user = create_user(f"outage-{uuid.uuid4().hex[:8]}")
    token = issue_token(user)
    # The token cache is in Redis; so is the login throttle.
    me = httpx.get(
        live_database + ME, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )
    assert_unavailable(me)
    login = {"username": user.username, "password": PASSWORD}
    assert_unavailable(httpx.post(live_database + TOKEN, json=login, timeout=TIMEOUT))
