"""What lending refuses: its error codes and errors (their HTTP statuses are in api.py)."""

from enum import StrEnum

from example_api.errors import DomainError


class Code(StrEnum):
    TITLE_NOT_FOUND = "title_not_found"
    TITLE_NAME_TAKEN = "title_name_taken"
    TITLE_ON_LOAN = "title_on_loan"
    LOAN_NOT_FOUND = "loan_not_found"
    LOAN_END_BEFORE_START = "loan_end_before_start"


class TitleNotFound(DomainError):
    code = Code.TITLE_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("title not found")


class TitleNameTaken(DomainError):
    code = Code.TITLE_NAME_TAKEN

    def __init__(self) -> None:
        super().__init__("a title with this name exists")


class TitleOnLoan(DomainError):
    code = Code.TITLE_ON_LOAN

    def __init__(self) -> None:
        super().__init__("the library's one copy of this title is on loan")


class LoanNotFound(DomainError):
    code = Code.LOAN_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("loan not found")


class LoanEndBeforeStart(DomainError):
    code = Code.LOAN_END_BEFORE_START
    field = "end"

    def __init__(self) -> None:
        super().__init__("end must be after start")
