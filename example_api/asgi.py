"""ASGI entry point. Measured slower than WSGI for these sync views (see docs/); kept for
forks that add async views."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")

application = get_asgi_application()
