"""The platform's error codes, and the base of every domain error.

Each app declares its own errors in `<app>/errors.py`: a `Code` enum of its codes and its
DomainError subclasses, each with its code. Its HTTP layer (`<app>/api.py`: ERROR_STATUS)
gives each error its status. The project merges every app's (example_api/error_catalog.py,
example_api/api.py), as it merges their routers; this module names no app.

A code is stable and machine-readable: clients branch on it, so a released code never changes
meaning (add new ones instead). A domain error knows nothing of HTTP: it has a code, a message
for people, when one input caused it that input's name and, when trying again later may
succeed, how long to wait."""

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
    # The database or Redis cannot be reached now (example_api/outages.py): try again later.
    SERVICE_UNAVAILABLE = "service_unavailable"


class DomainError(Exception):
    code: ClassVar[StrEnum]
    # The input the error is about (a service's keyword argument), if a single one is.
    field: ClassVar[str | None] = None
    # Seconds to wait before trying again, if waiting helps (the API sends it as Retry-After).
    retry_after: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        # What a 422 lists in its detail, one item each.
        self.problems = [message]
