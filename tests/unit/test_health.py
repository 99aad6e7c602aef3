from unittest import mock

import pytest
from django.db.utils import OperationalError

from example_api.health import views
from tests.endpoints import HEALTHZ, READYZ, RESOURCES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_probe_state(monkeypatch):
    monkeypatch.setattr(views, "_schema_current", False)


def test_healthz(api):
    response = api.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "dev"}


def test_readyz_when_database_answers_and_schema_is_current(api):
    response = api.get(READYZ)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_reports_pending_migrations(api):
    with mock.patch.object(views, "migrations_pending", return_value=True):
        response = api.get(READYZ)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "migrations pending"}


def test_readyz_reports_a_database_error(api):
    with mock.patch.object(views, "call_command", side_effect=OperationalError):
        response = api.get(READYZ)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "database error: OperationalError",
    }


def test_probes_answer_any_host_but_the_api_does_not(api):
    assert api.get(HEALTHZ, headers={"Host": "10.9.9.9:8000"}).status_code == 200
    assert api.get(RESOURCES, headers={"Host": "10.9.9.9:8000"}).status_code == 400


def test_probes_refuse_other_methods(api):
    assert api.post(HEALTHZ).status_code == 405
