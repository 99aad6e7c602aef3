"""The test settings plus django-migration-linter's app, for `lintmigrations` in make lint.

The linter is a dev tool: it is in no settings module the server runs. It lints every
migration of the project's own apps, settings.PROJECT_APPS (example_api/project_apps.py), so
a new app's migrations are linted without a list to keep."""

from example_api.project_apps import migration_lint_apps
from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS, PROJECT_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]

# The other options are in pyproject.toml's [tool.django_migration_linter].
MIGRATION_LINTER_OPTIONS = {"include_apps": migration_lint_apps(PROJECT_APPS)}
