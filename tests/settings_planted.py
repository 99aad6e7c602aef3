"""The test settings with the planted app (tests/planted) added exactly where a fork adds an
app: to PROJECT_APPS (so to INSTALLED_APPS, which example_api/settings.py composed before
this module adds one) and the API's routers; its own settings are merged as
example_api/settings.py merges every app's. django-migration-linter's app too, so that
tests/planted/observe.py can run the linter."""

from example_api.project_apps import app_settings
from tests.settings import *  # noqa: F403
from tests.settings import API_ROUTERS, INSTALLED_APPS, PROJECT_APPS

PROJECT_APPS = [*PROJECT_APPS, "tests.planted"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.planted", "django_migration_linter"]
API_ROUTERS = [*API_ROUTERS, "tests.planted.api.router"]
globals().update(app_settings(PROJECT_APPS))
