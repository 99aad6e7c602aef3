"""WSGI entry point. In production granian serves it, started by `python -m example_api.serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")

application = get_wsgi_application()
