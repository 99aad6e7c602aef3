"""WSGI entry point. In production granian serves it, started by `python -m example_api.serve`."""

import os

from django.core.wsgi import get_wsgi_application

from example_api.request_body import complete_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")

# >>> part telemetry
# Before the handler loads the middleware: tracing adds its own (example_api/telemetry).
from example_api import telemetry

telemetry.start()
# <<< part telemetry
# Bodies without Content-Length readable, unread ones off the connection (request_body.py).
application = complete_bodies(get_wsgi_application())
