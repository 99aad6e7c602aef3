"""What the accounts domain refuses. HTTP statuses are chosen in example_api/api.py."""

from example_api.errors import DomainError, ErrorCode


class UsernameTaken(DomainError):
    code = ErrorCode.USERNAME_TAKEN

    def __init__(self) -> None:
        super().__init__("username is taken")


class WeakPassword(DomainError):
    """The password fails Django's password validators; one message per failed validator."""

    code = ErrorCode.WEAK_PASSWORD
    field = "password"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class InvalidCredentials(DomainError):
    code = ErrorCode.INVALID_CREDENTIALS

    def __init__(self) -> None:
        super().__init__("invalid username or password")


class LoginThrottled(DomainError):
    code = ErrorCode.LOGIN_THROTTLED

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed login attempts; try again later")
        self.retry_after = retry_after


class StaffOnly(DomainError):
    code = ErrorCode.STAFF_ONLY

    def __init__(self, action: str) -> None:
        super().__init__(f"only staff may {action}")


class UserNotFound(DomainError):
    code = ErrorCode.USER_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("user not found")
