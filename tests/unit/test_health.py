import socket
import time
from unittest import mock

import pytest
from django.db.utils import OperationalError

from example_api.health import checks
from tests.endpoints import HEALTHZ, ME, READYZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_probe_state(monkeypatch):
    monkeypatch.setattr(checks, "_schema_current", False)


def test_healthz(api):
    response = api.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "dev"}


def test_readyz_when_database_answers_and_schema_is_current(api):
    response = api.get(READYZ)
    assert response.status_code == 200
    # SQLite, no REDIS_URL: no Redis and no queue to reach (jobs run inline).
    assert response.json() == {
        "status": "ok",
        "version": "dev",
        "checks": {
            "database": "ok",
            "redis": "not used",
            "queue": "not used",  # part: jobs
        },
    }


def test_readyz_reports_pending_migrations(api):
    with mock.patch.object(checks, "migrations_pending", return_value=True):
        response = api.get(READYZ)
    assert response.status_code == 503
    assert response.json()["reason"] == "database: migrations pending"
    assert response.json()["failed"] == ["database"]


def test_readyz_reports_a_database_error(api):
    with mock.patch.object(checks, "call_command", side_effect=OperationalError):
        response = api.get(READYZ)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "version": "dev",
        "reason": "database: OperationalError",
        "failed": ["database"],
        "checks": {
            "database": "OperationalError",
            "redis": "not used",
            "queue": "not used",  # part: jobs
        },
    }


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def test_readyz_says_redis_is_down(api, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = api.get(READYZ)
    assert response.status_code == 503
    body = response.json()
    assert (body["failed"], body["reason"]) == (["redis"], "redis: ConnectionError")
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()  # the probe is public


def test_readyz_gives_up_on_a_redis_that_never_answers(api, settings):
    # A listening socket nobody accepts on: the connection opens, PING gets no reply.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.REDIS_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        started = time.monotonic()
        response = api.get(READYZ)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "TimeoutError"
    assert checks.TIMEOUT_SECONDS <= elapsed < checks.TIMEOUT_SECONDS + 2


def test_probes_answer_any_host_but_the_api_does_not(api):
    assert api.get(HEALTHZ, headers={"Host": "10.9.9.9:8000"}).status_code == 200
    assert api.get(ME, headers={"Host": "10.9.9.9:8000"}).status_code == 400


def test_probes_refuse_other_methods(api):
    assert api.post(HEALTHZ).status_code == 405
