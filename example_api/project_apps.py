"""What the project merges from its own apps: settings.PROJECT_APPS, the example domain's or a
fork's, listed apart from Django's and the libraries' apps. Each app may keep its settings,
errors, HTTP statuses and migrations in modules of its own, found here by name, so adding an
app to PROJECT_APPS is enough. Usable from settings: it needs no app registry."""

from collections.abc import Iterable
from importlib import import_module
from importlib.util import find_spec


def app_modules(project_apps: Iterable[str], submodule: str) -> list[str]:
    """`<app>.<submodule>` of each project app that has one, in PROJECT_APPS order. Each entry
    is an app's package (Django's default AppConfig), not an AppConfig's dotted path;
    tests/unit/test_seam.py checks that they are."""
    return [
        f"{name}.{submodule}"
        for name in project_apps
        if find_spec(f"{name}.{submodule}") is not None
    ]


def app_settings(project_apps: Iterable[str]) -> dict[str, object]:
    """The upper-case names of each project app's settings module (`<app>.settings`), for the
    project's settings to take in; a later app's name wins."""
    merged: dict[str, object] = {}
    for module in app_modules(project_apps, "settings"):
        merged |= {
            name: value for name, value in vars(import_module(module)).items() if name.isupper()
        }
    return merged


def migration_lint_apps(project_apps: Iterable[str]) -> list[str]:
    """The labels of the project apps that have migrations (each app's label is the last part
    of its name, Django's default; tests/unit/test_seam.py checks that they are)."""
    return [module.rsplit(".", 2)[-2] for module in app_modules(project_apps, "migrations")]
