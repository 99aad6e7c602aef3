"""Which installed apps are the project's own (the example domain's, or a fork's), as opposed
to Django's and the libraries': an app is the project's when no installed distribution
provides its top-level package. The project merges what its apps declare (their settings,
errors, migrations to lint) from INSTALLED_APPS through this, so that adding an app there is
enough. Usable from settings: it needs no app registry."""

from collections.abc import Iterable
from functools import cache
from importlib import import_module
from importlib.metadata import packages_distributions
from importlib.util import find_spec


@cache
def _library_packages() -> frozenset[str]:
    return frozenset(packages_distributions())


def is_own(app_name: str) -> bool:
    return app_name.partition(".")[0] not in _library_packages()


def own_submodules(app_names: Iterable[str], submodule: str) -> list[str]:
    """`<app>.<submodule>` of each of the project's apps that has one, in the given order."""
    return [
        f"{name}.{submodule}"
        for name in app_names
        if is_own(name) and find_spec(f"{name}.{submodule}") is not None
    ]


def app_settings(installed_apps: Iterable[str]) -> dict[str, object]:
    """The upper-case names of each of the project's apps' settings modules (`<app>.settings`),
    for the project's settings to take in; a later app's name wins."""
    merged: dict[str, object] = {}
    for module in own_submodules(installed_apps, "settings"):
        merged |= {
            name: value for name, value in vars(import_module(module)).items() if name.isupper()
        }
    return merged


def migration_lint_apps(installed_apps: Iterable[str]) -> list[str]:
    """The labels of the project's apps that have migrations (each app's label is the last
    part of its name, Django's default; tests/unit/test_seam.py checks that they are)."""
    return [module.rsplit(".", 2)[-2] for module in own_submodules(installed_apps, "migrations")]
