"""Reads for titles and loans. Who may see a loan is decided here, once."""

from django.db.models import QuerySet

from example_api.accounts.tokens import Principal
from example_api.lending.models import Loan, Title


def titles() -> "QuerySet[Title]":
    return Title.objects.order_by("name", "id")


def visible_loan(*, viewer: Principal, loan_id: int) -> Loan | None:
    """The loan if the viewer holds it or is staff; None otherwise (another's loan is 404)."""
    loans = Loan.objects.filter(pk=loan_id)
    return (loans if viewer.is_staff else loans.filter(user_id=viewer.user_id)).first()


def can_list_loans_of(*, viewer: Principal, user_id: int) -> bool:
    return viewer.is_staff or viewer.user_id == user_id


def loans_of_user(*, user_id: int) -> "QuerySet[Loan]":
    """A user's loans, newest first."""
    return Loan.objects.filter(user_id=user_id).order_by("-start", "-id")
