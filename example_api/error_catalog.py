"""Every error code and domain error of the project's apps, merged, as the API merges their
routers. An app declares its own in `<app>/errors.py` (example_api/errors.py says how); the
order of settings.PROJECT_APPS is the order of their codes in the OpenAPI document's
ErrorCode, the platform's codes last. Their HTTP statuses are the API's (example_api/api.py)."""

from enum import StrEnum
from importlib import import_module
from types import ModuleType
from typing import cast

from django.conf import settings

from example_api.errors import DomainError, PlatformCode
from example_api.project_apps import app_modules


def error_modules() -> list[ModuleType]:
    return [import_module(name) for name in app_modules(settings.PROJECT_APPS, "errors")]


def domain_errors() -> list[type[DomainError]]:
    """The DomainError subclasses the apps' error modules define, in the apps' order."""
    return [
        value
        for module in error_modules()
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, DomainError)
        and value.__module__ == module.__name__
    ]


def _merged_codes() -> type[StrEnum]:
    app_codes = [code for module in error_modules() for code in getattr(module, "Code", ())]
    # Two apps with one code name fail here; tests/unit/test_domain_errors.py checks values.
    members = [(code.name, code.value) for code in [*app_codes, *PlatformCode]]
    # Enum's functional API makes a class; typeshed types the call as a member.
    return cast(type[StrEnum], StrEnum("ErrorCode", members))


ErrorCode = _merged_codes()
