"""WSGI entry point: granian serves example_api.wsgi:application in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")

application = get_wsgi_application()
