"""Error tracking (Sentry) and traces (OpenTelemetry), each on only when its variable is set.

    SENTRY_DSN                    unhandled exceptions go to Sentry (error_tracking.py)
    OTEL_EXPORTER_OTLP_ENDPOINT   requests and SQL queries are traced over OTLP (tracing.py)

Unset, neither SDK is imported: no threads, no patches, no cost (tests/integration
test_telemetry_off.py checks sys.modules). wsgi.py calls start() once per process. granian
imports wsgi.py in each worker process after it starts, so the SDKs' threads and exporters are
the worker's own. docs/tracing.md has the variables and how to check them.
"""

import os
from collections.abc import Callable

# Set by error_tracking.start(): how an unhandled exception reaches Sentry.
_report: Callable[[BaseException], object] | None = None


def start() -> None:
    global _report
    if os.environ.get("SENTRY_DSN"):
        from example_api.telemetry import error_tracking

        _report = error_tracking.start()
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from example_api.telemetry import tracing

        tracing.start()


def report_unhandled(exc: BaseException) -> None:
    """The API answers every unexpected exception with its own JSON 500 (api.py), so Django's
    got_request_exception signal, which Sentry's Django integration listens to, never fires
    for it: the handler reports it here. A no-op without SENTRY_DSN."""
    if _report is not None:
        _report(exc)
