"""With SENTRY_DSN set, an unhandled exception in the served API reaches Sentry (a fake
Sentry on loopback) as one event tagged with the request id the client got, and without the
client's token or password.

The exception is a real one, provoked without any test-only code in the app: the served app's
database is a new, empty one, never migrated, so a request that reads a table fails inside the
API ("relation ... does not exist"), a bug's 500. (An unreachable database is an outage, a 503
that goes to the log, not to Sentry: tests/integration/test_outages.py.)"""

import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from tests.endpoints import ME, TOKEN
from tests.fakes.telemetry_receivers import FakeSentry
from tests.integration.served_app import database_url_of_this_worker, served_app

TOKEN_VALUE = "tok-" + "q7Wm2ZcY9xKp" * 4
PASSWORD_VALUE = "pw-never-leaves-" + "Hq3vL8" * 3


@pytest.fixture
def unmigrated_database_url() -> Iterator[str]:
    """The test database's server and user, a new database without any table."""
    url = database_url_of_this_worker()
    name = f"slipway_unmigrated_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url[: url.rindex("/")] + f"/{name}"
    finally:
        with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_unhandled_exceptions_reach_sentry_with_the_request_id(unmigrated_database_url):
    env = {"APP_VERSION": "release-under-test", "DATABASE_URL": unmigrated_database_url}
    bearer = {"Authorization": f"Bearer {TOKEN_VALUE}"}
    with FakeSentry() as sentry:
        with served_app({**env, "SENTRY_DSN": sentry.dsn}) as base_url:
            me = httpx.get(base_url + ME, headers=bearer, timeout=20)
            login = {"username": "someone", "password": PASSWORD_VALUE}
            logged_in = httpx.post(base_url + TOKEN, json=login, timeout=20)
            sentry.wait_for(lambda: len(sentry.events()) >= 2)
        # Counted once the server has stopped, not as soon as two arrived.
        events = sentry.events()

    assert (me.status_code, logged_in.status_code) == (500, 500)
    assert len(events) == 2, "one event per failed request, no duplicates from log lines"
    by_request_id = {event["tags"]["request_id"]: event for event in events}
    me_event = by_request_id[me.headers["X-Request-ID"]]
    login_event = by_request_id[logged_in.headers["X-Request-ID"]]

    for event, path in ((me_event, ME), (login_event, TOKEN)):
        assert event["release"] == "release-under-test"
        assert event["environment"] == "production"
        assert event["request"]["url"].endswith(path)
        assert "logentry" not in event, "the exception's event, not one made of a log line"
        # The last is the one raised (Django's); before it, what caused it (psycopg's).
        exception = event["exception"]["values"][-1]
        assert exception["type"] == "ProgrammingError"
        assert "does not exist" in exception["value"]
        # The SDK keeps a sensitive header's name and blanks its value; bodies are never sent.
        headers = {name.lower(): value for name, value in event["request"]["headers"].items()}
        assert headers.get("authorization", "[Filtered]") == "[Filtered]"
        assert "cookie" not in headers
        assert not event["request"].get("data")
    everything = b"".join(sentry.raw)
    assert TOKEN_VALUE.encode() not in everything
    assert PASSWORD_VALUE.encode() not in everything
