"""Error tracking and traces cost nothing when their variables are unset: serving a request
through the WSGI application imports no Sentry, sets no tracer provider and patches nothing
with an instrumentation. With the variables set, the same script finds all three (so the
check can fail). A fresh interpreter each, as a worker starts.

OpenTelemetry's API itself may be imported while unset: redis-py probes for it at import
(`redis.observability`) and stays off unless configured. What costs, a provider and the
instrumentations, is what is checked."""

import json
import os
import subprocess
import sys

from tests.harness.ports import free_port
from tests.integration.served_app import ROOT

# What exists only once a part has started: Sentry at all, and the instrumentations.
STARTED = ("sentry_sdk", "opentelemetry.instrumentation")

# Imports the WSGI module as granian does, serves the OpenAPI document (which loads the URLs,
# the API and every router), then lists what of the SDKs got imported. os._exit: no SDK may
# spend the exit flushing to a receiver that is not there.
SCRIPT = f"""
import json, os, sys
from wsgiref.util import setup_testing_defaults
from example_api.wsgi import application
environ = {{"PATH_INFO": "/api/v1/openapi.json"}}
setup_testing_defaults(environ)
statuses = []
body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
started = {STARTED!r}
loaded = sorted({{p for p in started for n in sys.modules if n == p or n.startswith(p + ".")}})
trace = sys.modules.get("opentelemetry.trace")
tracing = trace and type(trace.get_tracer_provider()).__name__
print(json.dumps({{"status": statuses[0], "loaded": loaded, "provider": tracing or None}}))
sys.stdout.flush()
os._exit(0)
"""


def served_once(**env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "OTEL_"))}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=clean
        | {"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": "sqlite://:memory:"}
        | env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stderr[-4000:]}"
    return json.loads(result.stdout.splitlines()[-1])


def test_unset_variables_import_neither_sdk():
    served = served_once()
    assert served["status"] == "200 OK"
    assert served["loaded"] == []
    assert served["provider"] in (None, "ProxyTracerProvider")  # the API's no-op default


def test_set_variables_import_both():
    nowhere = f"127.0.0.1:{free_port()}"  # nothing listens: nothing may be sent anyway
    served = served_once(
        SENTRY_DSN=f"http://key@{nowhere}/1", OTEL_EXPORTER_OTLP_ENDPOINT=f"http://{nowhere}"
    )
    assert served == {"status": "200 OK", "loaded": sorted(STARTED), "provider": "TracerProvider"}
