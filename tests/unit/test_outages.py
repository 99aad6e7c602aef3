"""Outages in the unit layer (docs/api.md, Outages): each exception example_api/outages.py
counts as a dependency down is answered 503 `service_unavailable` with Retry-After, wherever
it is raised under /api/ (the token check here); anything else stays a 500. The real
outages, through granian, are tests/integration/test_outages.py."""

import psycopg
import pytest
import redis
from django.db import InterfaceError, OperationalError
from django_redis.exceptions import ConnectionInterrupted

from example_api.accounts.tokens import resolver
from example_api.outages import OUTAGES, RETRY_AFTER_SECONDS
from tests.endpoints import ME

pytestmark = pytest.mark.django_db

RAISED = [
    OperationalError("connection refused"),
    InterfaceError("connection already closed"),
    psycopg.OperationalError("terminating connection due to administrator command"),
    psycopg.InterfaceError("the connection is closed"),
    ConnectionInterrupted(connection=None),
    redis.ConnectionError("Connection refused"),
    redis.TimeoutError("Timeout reading from socket"),
]


def test_every_outage_type_is_tried():
    assert {type(exc) for exc in RAISED} == set(OUTAGES)


@pytest.mark.parametrize("exc", RAISED, ids=lambda exc: type(exc).__qualname__)
def test_an_outage_is_a_503(api, monkeypatch, exc):
    def down(token: str) -> None:
        raise exc

    monkeypatch.setattr(resolver, "resolve", down)
    response = api.get(ME, token="any")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "detail": "service temporarily unavailable, try again later",
        "code": "service_unavailable",
    }


def test_a_bug_is_still_a_500(api, monkeypatch):
    def broken(token: str) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(resolver, "resolve", broken)
    response = api.get(ME, token="any")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
