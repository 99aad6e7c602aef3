"""Where errors meet HTTP: the body of every error. Every error body carries `detail` (for
people) and `code` (for programs); every 422 lists its problems in `detail`
(example_api/schemas.py: ErrorOut, ValidationErrorOut). A domain error's status is its app's
(example_api/api.py merges them); this module names no app."""

from http import HTTPStatus
from typing import Any

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
    503: PlatformCode.SERVICE_UNAVAILABLE,
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


# A malformed body's 422 lists at most MAX_ISSUES problems, with field names cut to
# MAX_NAME_LENGTH characters and never the input itself: its size follows the schema, not the
# request (208 KB of unknown keys came back as 2.15 MB).
MAX_ISSUES = 20
MAX_NAME_LENGTH = 100


def validation_error_body(errors: list[dict[str, Any]]) -> dict[str, object]:
    """The 422 of input the schemas refused: `{loc, msg, type[, ctx]}` per problem."""
    issues: list[dict[str, Any]] = [_issue(error) for error in errors[:MAX_ISSUES]]
    if len(errors) > MAX_ISSUES:
        more = len(errors) - MAX_ISSUES
        issues.append({"loc": ["body"], "msg": f"{more} more problems", "type": "too_many_errors"})
    return {**error_body(422), "detail": issues}


def _issue(error: dict[str, Any]) -> dict[str, Any]:
    issue = {
        "loc": [_cut(part) if isinstance(part, str) else part for part in error["loc"]],
        "msg": error["msg"],
        "type": error["type"],
    }
    # The error type's limits (max_length, ...), as plain values; never the input.
    ctx = {k: v for k, v in error.get("ctx", {}).items() if isinstance(v, int | float | str)}
    if ctx:
        issue["ctx"] = {k: _cut(v) if isinstance(v, str) else v for k, v in ctx.items()}
    return issue


def _cut(text: str) -> str:
    return text if len(text) <= MAX_NAME_LENGTH else text[: MAX_NAME_LENGTH - 1] + "…"
