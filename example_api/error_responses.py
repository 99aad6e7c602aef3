"""Where errors meet HTTP: the body of every error. Every error body carries `detail` (for
people) and `code` (for programs); every 422 lists its problems in `detail`
(example_api/schemas.py: ErrorOut, ValidationErrorOut). A domain error's status is its app's
(example_api/api.py merges them); this module names no app."""

from http import HTTPStatus

from example_api.errors import DomainError, PlatformCode

# Errors from below the domain (framework, middleware): their status says which code.
STATUS_CODES: dict[int, PlatformCode] = {
    400: PlatformCode.BAD_REQUEST,
    401: PlatformCode.UNAUTHENTICATED,
    404: PlatformCode.NOT_FOUND,
    405: PlatformCode.METHOD_NOT_ALLOWED,
    413: PlatformCode.REQUEST_TOO_LARGE,
    422: PlatformCode.VALIDATION_ERROR,
    500: PlatformCode.INTERNAL_ERROR,
}


def error_body(status: int, detail: str | None = None) -> dict[str, str]:
    """The body of an error that no domain rule raised."""
    return {
        "detail": detail or _phrase(status),
        "code": STATUS_CODES.get(status, PlatformCode.BAD_REQUEST),
    }


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def domain_error_body(exc: DomainError, status: int) -> dict[str, object]:
    """The body of a domain error answered with `status`."""
    if status != 422:
        return {"detail": exc.message, "code": exc.code}
    # Shaped like the framework's 422 items, pointing at the input, so one parser and one
    # form field handler serve both.
    loc = ["body", "payload", exc.field] if exc.field else ["body", "payload"]
    detail = [{"loc": loc, "msg": problem, "type": exc.code} for problem in exc.problems]
    return {"detail": detail, "code": exc.code}
