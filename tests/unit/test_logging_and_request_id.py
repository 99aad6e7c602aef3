"""Every log line carries the request id, which the response returns in X-Request-ID."""

import io
import json
import logging

import pytest

from example_api.logging import build_logging_config
from tests.endpoints import HEALTHZ, ME

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_logs():
    """What the suite's own log handler (settings.LOGGING: JSON lines, as in production)
    writes at INFO during the test. Not dictConfig: that closes every handler in the
    process, pytest's own too, and each later log line would print a logging error."""
    root = logging.getLogger()
    (console,) = [h for h in root.handlers if type(h) is logging.StreamHandler]
    level, lines = root.level, io.StringIO()
    previous = console.setStream(lines)
    root.setLevel(logging.INFO)
    yield lines
    console.setStream(previous)
    root.setLevel(level)


def test_response_carries_a_generated_request_id(api):
    response = api.get(HEALTHZ)
    assert len(response["X-Request-ID"]) == 32


def test_a_callers_request_id_is_kept_if_harmless(api):
    assert api.get(HEALTHZ, headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == "abc-123"
    evil = api.get(HEALTHZ, headers={"X-Request-ID": "a b\nforged=1"})["X-Request-ID"]
    assert evil != "a b\nforged=1"
    assert len(evil) == 32


def test_access_log_line_is_json_with_the_request_id(api, json_logs):
    response = api.get(ME, headers={"X-Request-ID": "trace-me"})
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines() if line.strip()]
    access = [line for line in lines if line.get("event") == "request"]
    assert access, lines
    assert access[-1] | {"duration_ms": 0, "timestamp": ""} == {
        "event": "request",
        "method": "GET",
        "path": ME,
        "status": response.status_code,
        "request_id": "trace-me",
        "level": "info",
        "logger": "example_api.access",
        "duration_ms": 0,
        "timestamp": "",
    }


def test_unhandled_errors_are_json_500_and_logged_with_traceback(
    api, make_user, token_for, monkeypatch, json_logs
):
    from example_api.accounts import selectors

    def explode(*_args: object):
        raise RuntimeError("boom")

    token = token_for(make_user())
    monkeypatch.setattr(selectors, "active_user", explode)
    response = api.get(ME, token=token)
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error", "code": "internal_error"}
    assert b"boom" not in response.content
    errors = [json.loads(line) for line in json_logs.getvalue().splitlines() if "boom" in line]
    assert errors
    assert errors[0]["event"] == "unhandled error"
    assert "RuntimeError: boom" in errors[0]["exception"]


def test_console_renderer_with_debug():
    config = build_logging_config(json=False, level="DEBUG")
    assert config["root"]["level"] == "DEBUG"
    renderer = config["formatters"]["structlog"]["processors"][-1]
    assert type(renderer).__name__ == "ConsoleRenderer"
