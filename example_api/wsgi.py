"""WSGI entry point for the production app server (gunicorn example_api.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")

application = get_wsgi_application()
