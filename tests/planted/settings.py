"""The test settings with the planted app added, exactly where a fork adds an app: to
INSTALLED_APPS and the API's routers. django-migration-linter's app too, so that
observe.py can run the linter."""

from tests.settings import *  # noqa: F403
from tests.settings import API_ROUTERS, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.planted", "django_migration_linter"]
API_ROUTERS = [*API_ROUTERS, "tests.planted.api.router"]
