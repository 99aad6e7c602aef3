"""What the accounts domain refuses: its error codes and errors (their HTTP statuses are in
example_api/accounts/api.py)."""

from enum import StrEnum

from example_api.errors import DomainError


class Code(StrEnum):
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - a code, not a password
    INVALID_CREDENTIALS = "invalid_credentials"
    LOGIN_THROTTLED = "login_throttled"
    STAFF_ONLY = "staff_only"
    USER_NOT_FOUND = "user_not_found"


class UsernameTaken(DomainError):
    code = Code.USERNAME_TAKEN

    def __init__(self) -> None:
        super().__init__("username is taken")


class WeakPassword(DomainError):
    """The password fails Django's password validators; one message per failed validator."""

    code = Code.WEAK_PASSWORD
    field = "password"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class InvalidCredentials(DomainError):
    code = Code.INVALID_CREDENTIALS

    def __init__(self) -> None:
        super().__init__("invalid username or password")


class LoginThrottled(DomainError):
    code = Code.LOGIN_THROTTLED

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed login attempts; try again later")
        self.retry_after = retry_after


class StaffOnly(DomainError):
    code = Code.STAFF_ONLY

    def __init__(self, action: str) -> None:
        super().__init__(f"only staff may {action}")


class UserNotFound(DomainError):
    code = Code.USER_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("user not found")
