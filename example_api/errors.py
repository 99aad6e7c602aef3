"""Error codes, and the base of every domain error. Services raise DomainError's subclasses;
`example_api/error_responses.py` maps each class to an HTTP status and an error body, in one
table.

A code is stable and machine-readable: clients branch on it, so a released code never changes
meaning (add new ones instead). A domain error knows nothing of HTTP: it has a code, a message
for people and, when one input caused it, that input's name."""

from enum import StrEnum
from typing import ClassVar


class ErrorCode(StrEnum):
    # Refused by a domain rule (a DomainError subclass names one of these).
    BOOKING_END_BEFORE_START = "booking_end_before_start"
    BOOKING_IN_PAST = "booking_in_past"
    BOOKING_TOO_LONG = "booking_too_long"
    BOOKING_CAP_REACHED = "booking_cap_reached"
    BOOKING_OVERLAP = "booking_overlap"
    BOOKING_NOT_FOUND = "booking_not_found"
    RESOURCE_NOT_FOUND = "resource_not_found"
    RESOURCE_NAME_TAKEN = "resource_name_taken"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - a code, not a password
    INVALID_CREDENTIALS = "invalid_credentials"
    LOGIN_THROTTLED = "login_throttled"
    STAFF_ONLY = "staff_only"
    USER_NOT_FOUND = "user_not_found"
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    ASSISTANT_DISABLED = "assistant_disabled"
    ASSISTANT_QUOTA_EXCEEDED = "assistant_quota_exceeded"
    ASSISTANT_REQUEST_NOT_FOUND = "assistant_request_not_found"
    # Why an assistant request ended `failed` (its `code`; never an HTTP error's).
    ASSISTANT_UPSTREAM_TIMEOUT = "assistant_upstream_timeout"
    ASSISTANT_UPSTREAM_RATE_LIMITED = "assistant_upstream_rate_limited"
    ASSISTANT_UPSTREAM_ERROR = "assistant_upstream_error"
    ASSISTANT_INVALID_OUTPUT = "assistant_invalid_output"
    ASSISTANT_UNKNOWN_RESOURCE = "assistant_unknown_resource"
    # Refused before any rule ran: the request itself.
    VALIDATION_ERROR = "validation_error"
    UNAUTHENTICATED = "unauthenticated"
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TOO_LARGE = "request_too_large"
    INTERNAL_ERROR = "internal_error"


class DomainError(Exception):
    code: ClassVar[ErrorCode]
    # The input the error is about (a service's keyword argument), if a single one is.
    field: ClassVar[str | None] = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
