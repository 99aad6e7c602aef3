"""The platform's error codes, and the base of every domain error.

Each app declares its own errors in `<app>/errors.py`: a `Code` enum of its codes and its
DomainError subclasses, each with its code and the HTTP status that answers it. The project
merges every app's (example_api/error_catalog.py), as it merges their routers; this module
names no app.

A code is stable and machine-readable: clients branch on it, so a released code never changes
meaning (add new ones instead). A domain error carries no HTTP machinery: a code, a status
number, a message for people and, when one input caused it, that input's name."""

from enum import StrEnum
from typing import ClassVar


class PlatformCode(StrEnum):
    """Refused before any rule ran: the request itself, or the server."""

    VALIDATION_ERROR = "validation_error"
    UNAUTHENTICATED = "unauthenticated"
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TOO_LARGE = "request_too_large"
    INTERNAL_ERROR = "internal_error"


class DomainError(Exception):
    code: ClassVar[StrEnum]
    # The HTTP status that answers it; 422 means a rule refused well-formed input.
    status: ClassVar[int]
    # The input the error is about (a service's keyword argument), if a single one is.
    field: ClassVar[str | None] = None
    # Seconds a client should wait before trying again (sent as Retry-After), if any.
    retry_after: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        # What a 422 lists in its detail, one item each.
        self.problems = [message]
