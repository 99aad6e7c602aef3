"""Error tracking and traces cost nothing when their variables are unset: serving a request
through the WSGI application imports neither SDK. With the variables set, the same script
does import them (so the check can fail). A fresh interpreter each, as a worker starts."""

import json
import os
import subprocess
import sys

from tests.fakes.smtp_server import free_port
from tests.integration.served_app import ROOT

SDK_PACKAGES = ("sentry_sdk", "opentelemetry")

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
loaded = sorted({{name.split(".")[0] for name in sys.modules if name.startswith({SDK_PACKAGES!r})}})
print(json.dumps({{"status": statuses[0], "loaded": loaded}}))
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
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_unset_variables_import_neither_sdk():
    assert served_once() == {"status": "200 OK", "loaded": []}


def test_set_variables_import_both():
    nowhere = f"127.0.0.1:{free_port()}"  # nothing listens: nothing may be sent anyway
    served = served_once(
        SENTRY_DSN=f"http://key@{nowhere}/1", OTEL_EXPORTER_OTLP_ENDPOINT=f"http://{nowhere}"
    )
    assert served == {"status": "200 OK", "loaded": sorted(SDK_PACKAGES)}
