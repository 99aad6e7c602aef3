"""Domain errors know nothing of HTTP but their status number; each app declares its own
(its errors.py), each error one status and a stable code, and the project finds them all."""

import inspect
import re

from example_api.assistant.errors import AssistantDisabled
from example_api.error_catalog import ErrorCode, domain_errors, error_modules
from example_api.errors import DomainError, PlatformCode


def all_subclasses() -> set[type[DomainError]]:
    found: set[type[DomainError]] = set()
    pending = [DomainError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub)
            pending.append(sub)
    return found


# The server's own state, not the request, is why these are refused.
SERVER_SIDE: dict[type[DomainError], int] = {AssistantDisabled: 503}


def test_every_domain_error_is_found_and_has_exactly_one_status():
    # A DomainError defined outside an app's errors.py would answer without being
    # documented or counted among the rule codes.
    assert set(domain_errors()) == all_subclasses()
    assert all(
        SERVER_SIDE.get(error, error.status) == error.status
        and (400 <= error.status < 500 or error in SERVER_SIDE)
        for error in domain_errors()
    )


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


def test_domain_error_modules_import_nothing_of_http():
    for module in {inspect.getmodule(error) for error in domain_errors()} | {
        inspect.getmodule(DomainError)
    }:
        source = inspect.getsource(module)  # type: ignore[arg-type]
        assert "ninja" not in source
        assert "django.http" not in source
        assert "status_code" not in source
