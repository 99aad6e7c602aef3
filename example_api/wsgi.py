"""WSGI entry point. In production granian serves it, started by `python -m example_api.serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")

# >>> part telemetry
# Before the handler loads the middleware: tracing adds its own (example_api/telemetry).
from example_api import telemetry

telemetry.start()
# <<< part telemetry
application = get_wsgi_application()
