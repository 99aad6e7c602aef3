"""The test settings plus django-migration-linter's app, for `lintmigrations` in make lint.

The linter is a dev tool: it is in no settings module the server runs."""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]
