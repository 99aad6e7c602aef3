"""Where errors meet HTTP: each domain error's status, the body of every error, and what the
OpenAPI document declares for them. Every error body carries `detail` (for people) and `code`
(an ErrorCode, for programs); every 422 lists its problems in `detail`
(example_api/schemas.py: ErrorOut, ValidationErrorOut)."""

from http import HTTPStatus

from example_api.accounts.errors import (
    InvalidCredentials,
    LoginThrottled,
    StaffOnly,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from example_api.assistant.errors import (
    AssistantDisabled,
    AssistantQuotaExceeded,
    AssistantRequestNotFound,
    UnknownTimeZone,
)
from example_api.bookings.errors import (
    BookingCapReached,
    BookingEndBeforeStart,
    BookingInPast,
    BookingNotFound,
    BookingOverlap,
    BookingTooLong,
    ResourceNameTaken,
    ResourceNotFound,
)
from example_api.errors import DomainError, ErrorCode

# The one place where domain errors meet HTTP: each class's status code.
DOMAIN_ERROR_STATUS: dict[type[DomainError], int] = {
    BookingEndBeforeStart: 422,
    BookingInPast: 422,
    BookingTooLong: 422,
    BookingCapReached: 422,
    WeakPassword: 422,
    BookingOverlap: 409,
    ResourceNameTaken: 409,
    UsernameTaken: 409,
    BookingNotFound: 404,
    ResourceNotFound: 404,
    UserNotFound: 404,
    StaffOnly: 403,
    InvalidCredentials: 401,
    LoginThrottled: 429,
    AssistantRequestNotFound: 404,
    AssistantQuotaExceeded: 429,
    AssistantDisabled: 503,
    UnknownTimeZone: 422,
}

# Codes of the rules that may refuse well-formed input (a 422 that no schema can foresee).
RULE_CODES: frozenset[ErrorCode] = frozenset(
    error.code for error, status in DOMAIN_ERROR_STATUS.items() if status == 422
)

# Errors from below the domain (framework, middleware): their status says which code.
STATUS_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHENTICATED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.REQUEST_TOO_LARGE,
    422: ErrorCode.VALIDATION_ERROR,
    500: ErrorCode.INTERNAL_ERROR,
}


def error_body(status: int, detail: str | None = None) -> dict[str, str]:
    """The body of an error that no domain rule raised."""
    return {
        "detail": detail or _phrase(status),
        "code": STATUS_CODES.get(status, ErrorCode.BAD_REQUEST),
    }


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def domain_error_body(exc: DomainError) -> tuple[int, dict[str, object]]:
    status = DOMAIN_ERROR_STATUS.get(type(exc), 400)
    if status != 422:
        return status, {"detail": exc.message, "code": exc.code}
    # Shaped like the framework's 422 items, pointing at the input, so one parser and one
    # form field handler serve both.
    problems = exc.problems if isinstance(exc, WeakPassword) else [exc.message]
    loc = ["body", "payload", exc.field] if exc.field else ["body", "payload"]
    detail = [{"loc": loc, "msg": problem, "type": exc.code} for problem in problems]
    return status, {"detail": detail, "code": exc.code}
