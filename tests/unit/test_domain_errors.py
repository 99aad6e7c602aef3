"""Domain errors know nothing of HTTP; api.py gives each one status, and each a stable code."""

import inspect
import re

from example_api.assistant.errors import AssistantDisabled
from example_api.error_responses import DOMAIN_ERROR_STATUS
from example_api.errors import DomainError


def domain_errors() -> set[type[DomainError]]:
    found: set[type[DomainError]] = set()
    pending = [DomainError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub)
            pending.append(sub)
    return found


# The server's own state, not the request, is why these are refused.
SERVER_SIDE: dict[type[DomainError], int] = {AssistantDisabled: 503}


def test_every_domain_error_has_exactly_one_status():
    assert domain_errors() == set(DOMAIN_ERROR_STATUS)
    assert all(
        SERVER_SIDE.get(error, status) == status and (400 <= status < 500 or error in SERVER_SIDE)
        for error, status in DOMAIN_ERROR_STATUS.items()
    )


def test_codes_are_unique_and_machine_readable():
    codes = [error.code for error in domain_errors()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", code) for code in codes)


def test_domain_error_modules_import_nothing_of_http():
    for module in {inspect.getmodule(error) for error in domain_errors() | {DomainError}}:
        source = inspect.getsource(module)  # type: ignore[arg-type]
        assert "ninja" not in source
        assert "django.http" not in source
        assert "status_code" not in source
