"""/readyz on PostgreSQL with the real dependencies: the database, Redis (tokens, login
throttle) and the job queue (procrastinate's tables). Each failure is named in the 503."""

import pytest
from django.db import connection

from tests.endpoints import READYZ
from tests.harness.ports import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

REDIS_DB = 3  # this suite's own Redis db number; /readyz only PINGs it


@pytest.fixture
def redis_up(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


def closed_port() -> int:
    return free_port()  # nothing listens there


def test_ready_when_every_dependency_answers(api, redis_up):
    response = api.get(READYZ)
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "queue": "ok"}


def test_redis_down(api, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = api.get(READYZ)
    assert response.status_code == 503
    assert response.json() | {"version": None} == {
        "status": "unavailable",
        "version": None,
        "reason": "redis: ConnectionError",
        "failed": ["redis"],
        "checks": {"database": "ok", "redis": "ConnectionError", "queue": "ok"},
    }


def test_queue_unreachable(api, redis_up):
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away")
    response = api.get(READYZ)
    assert response.status_code == 503
    body = response.json()
    assert (body["failed"], body["reason"]) == (["queue"], "queue: tables missing")
    assert body["checks"] == {"database": "ok", "redis": "ok", "queue": "tables missing"}


def test_redis_and_queue_down_are_both_named(api, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away")
    response = api.get(READYZ)
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis", "queue"]
    assert response.json()["reason"] == "redis: ConnectionError; queue: tables missing"
