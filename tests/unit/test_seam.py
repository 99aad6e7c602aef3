"""One seam between the platform and the apps: an app declares its errors (codes, and how long
to wait), their HTTP statuses (beside its router), its metrics, its settings and its
migrations in its own folder, and the project finds them from settings.PROJECT_APPS. Proven
with a planted app (tests/planted) installed the way a fork adds one: PROJECT_APPS and
API_ROUTERS, nothing else."""

import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings

from example_api.errors import PlatformCode
from example_api.project_apps import app_modules, migration_lint_apps

ROOT = Path(__file__).resolve().parents[2]


def observe_planted(tmp_path: Path) -> dict:
    out = tmp_path / "facts.json"
    subprocess.run(
        [sys.executable, "-m", "tests.planted.observe", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads(out.read_text())


def test_a_planted_app_plugs_in_with_its_error_metric_and_migration(tmp_path):
    facts = observe_planted(tmp_path)
    # Its error answers with the status its api.py gives it, its code, and the wait it
    # carries as Retry-After (its own setting).
    assert facts["status"] == 503
    assert facts["body"] == {
        "detail": "the parcel is held at the depot; try again later",
        "code": "parcel_held",
    }
    assert facts["retry_after"] == "90"
    # Its metric is in /metrics, counted once.
    assert "slipway_planted_parcels_held_total 1.0" in facts["metrics"].splitlines()
    # Its code joins the error codes after the other apps', before the platform's, and the
    # OpenAPI document lists it.
    platform = [code.value for code in PlatformCode]
    assert facts["error_codes"][-len(platform) - 1 :] == ["parcel_held", *platform]
    assert facts["documented_codes"] == facts["error_codes"]
    # Its migration is in the migration linter's list, and linted.
    assert facts["lint_apps"][-1] == "planted"
    assert "(planted, 0001_initial)... OK" in facts["lint_output"].splitlines()


def test_the_platform_names_no_planted_app():
    """The planted app reached the project through settings alone."""
    named = [
        path.relative_to(ROOT)
        for path in (ROOT / "example_api").rglob("*.py")
        if "planted" in path.read_text()
    ]
    assert named == []


def test_the_migration_linter_lints_every_project_app_that_has_migrations():
    from tests.settings_migration_lint import MIGRATION_LINTER_OPTIONS

    with_migrations = [
        config.label
        for config in apps.get_app_configs()
        if config.name in settings.PROJECT_APPS and (Path(config.path) / "migrations").is_dir()
    ]
    assert "accounts" in with_migrations
    # The list is computed from names, before the registry exists: labels must follow them.
    assert migration_lint_apps(settings.PROJECT_APPS) == with_migrations
    assert MIGRATION_LINTER_OPTIONS["include_apps"] == with_migrations


def test_the_project_apps_are_installed_apps_named_by_their_packages():
    """The project finds an app's modules from its PROJECT_APPS entry: an AppConfig's dotted
    path there would hide them."""
    names = [config.name for config in apps.get_app_configs()]
    assert [name for name in names if name in settings.PROJECT_APPS] == settings.PROJECT_APPS


def test_every_project_app_router_is_in_the_api():
    """API_ROUTERS orders the routers; an app's router missing from it would serve nothing.
    (An app's HTTP layer may have no routes: idempotency's gives statuses and a decorator.)"""
    routers = [
        f"{module}.router"
        for module in app_modules(settings.PROJECT_APPS, "api")
        if hasattr(import_module(module), "router")
    ]
    assert sorted(settings.API_ROUTERS) == sorted(routers)
