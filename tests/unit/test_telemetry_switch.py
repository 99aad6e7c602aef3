"""Each variable switches on its own part, and only that one. The parts themselves (the
SDKs) run only in a served process: tests/integration/test_error_tracking.py,
test_tracing.py and test_telemetry_off.py. Here they are stand-ins that say they started."""

import sys
import types

import pytest

from example_api import telemetry

VARIABLES = ("SENTRY_DSN", "OTEL_EXPORTER_OTLP_ENDPOINT")


@pytest.fixture
def started(monkeypatch):
    """Replaces both parts with stand-ins; yields what started and what was reported."""
    log: dict[str, list] = {"started": [], "reported": []}

    def part(name, start):
        module = types.ModuleType(f"example_api.telemetry.{name}")
        module.start = start  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setattr(telemetry, name, module, raising=False)

    def start_error_tracking():
        log["started"].append("error_tracking")
        return log["reported"].append

    part("error_tracking", start_error_tracking)
    part("tracing", lambda: log["started"].append("tracing"))
    monkeypatch.setattr(telemetry, "_report", None)
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return log


@pytest.mark.parametrize(
    ("env", "parts"),
    [
        ({}, []),
        ({"SENTRY_DSN": "http://key@127.0.0.1:9/1"}, ["error_tracking"]),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}, ["tracing"]),
        ({"SENTRY_DSN": "", "OTEL_EXPORTER_OTLP_ENDPOINT": ""}, []),
    ],
)
def test_each_variable_starts_its_part(started, monkeypatch, env, parts):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    telemetry.start()
    assert started["started"] == parts


def test_unhandled_exceptions_are_reported_only_with_error_tracking(started, monkeypatch):
    boom = RuntimeError("boom")
    telemetry.start()
    telemetry.report_unhandled(boom)
    assert started["reported"] == []
    monkeypatch.setenv("SENTRY_DSN", "http://key@127.0.0.1:9/1")
    telemetry.start()
    telemetry.report_unhandled(boom)
    assert started["reported"] == [boom]
