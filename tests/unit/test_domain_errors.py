"""Domain errors know nothing of HTTP: each app declares its own (its errors.py), each error
a stable code, and the app's HTTP layer (its api.py's ERROR_STATUS) gives each one status;
the project finds them all."""

import inspect
import re
from importlib import import_module

from django.conf import settings

from example_api.api import DOMAIN_ERROR_STATUS
from example_api.assistant.errors import AssistantDisabled  # part: assistant
from example_api.error_catalog import ErrorCode, domain_errors, error_modules
from example_api.errors import DomainError, PlatformCode
from example_api.project_apps import app_modules


def all_subclasses() -> set[type[DomainError]]:
    found: set[type[DomainError]] = set()
    pending = [DomainError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub)
            pending.append(sub)
    return found


# The server's own state, not the request, is why these are refused.
SERVER_SIDE: dict[type[DomainError], int] = {}
SERVER_SIDE[AssistantDisabled] = 503  # part: assistant


def test_every_domain_error_of_every_project_app_has_a_status():
    # A DomainError defined outside an app's errors.py would answer without being
    # documented or counted among the rule codes.
    assert set(domain_errors()) == all_subclasses()
    # One without a status would fail its first request (a 500): it fails here instead.
    missing = [error.__qualname__ for error in domain_errors() if error not in DOMAIN_ERROR_STATUS]
    assert missing == []
    assert set(DOMAIN_ERROR_STATUS) == set(domain_errors())
    assert all(
        SERVER_SIDE.get(error, status) == status and (400 <= status < 500 or error in SERVER_SIDE)
        for error, status in DOMAIN_ERROR_STATUS.items()
    )


def test_each_app_gives_statuses_to_its_own_errors_only():
    """So that one error has one status, declared by the app that owns it."""
    for module in app_modules(settings.PROJECT_APPS, "api"):
        app = module.rpartition(".")[0]
        table = getattr(import_module(module), "ERROR_STATUS", {})
        assert {error.__module__ for error in table} <= {f"{app}.errors"}, module


def test_codes_are_unique_and_machine_readable():
    codes = [error.code for error in domain_errors()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", code) for code in codes)


def test_the_merged_codes_are_every_apps_and_the_platforms_without_duplicates():
    declared = [code.value for module in error_modules() for code in module.Code]
    declared += [code.value for code in PlatformCode]
    # A value declared twice would become an alias and vanish from the enum.
    assert [code.value for code in ErrorCode] == declared
    assert {error.code.value for error in domain_errors()} <= set(declared)


def test_domain_errors_carry_no_status():
    assert [error for error in all_subclasses() if hasattr(error, "status")] == []


def test_domain_error_modules_import_nothing_of_http():
    for module in {inspect.getmodule(error) for error in domain_errors()} | {
        inspect.getmodule(DomainError)
    }:
        source = inspect.getsource(module)  # type: ignore[arg-type]
        assert "ninja" not in source
        assert "django.http" not in source
        assert "status_code" not in source
