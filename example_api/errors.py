"""Domain errors raised by services; api.py maps each to its HTTP status."""

from typing import Any

# A message, or a list of field errors shaped like Django Ninja's 422 items.
Detail = str | list[dict[str, Any]]


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: Detail) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class RuleViolation(DomainError):
    """Well-formed input that breaks a business rule (a limit, a time in the past)."""

    status_code = 422


class Forbidden(DomainError):
    status_code = 403


class Throttled(DomainError):
    status_code = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class InvalidCredentials(DomainError):
    status_code = 401
