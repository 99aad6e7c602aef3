"""Writes for titles and loans, each in one transaction."""

from datetime import datetime

from django.db import IntegrityError, transaction

from example_api.lending import tasks
from example_api.lending.errors import (
    LoanEndBeforeStart,
    TitleNameTaken,
    TitleNotFound,
    TitleOnLoan,
)
from example_api.lending.models import Loan, Title


def create_title(*, name: str, author: str = "") -> Title:
    try:
        with transaction.atomic():
            return Title.objects.create(name=name, author=author)
    except IntegrityError:
        raise TitleNameTaken() from None


def borrow(*, user_id: int, title_id: int, start: datetime, end: datetime) -> Loan:
    if end <= start:
        raise LoanEndBeforeStart()
    if not Title.objects.filter(pk=title_id).exists():
        raise TitleNotFound()
    try:
        with transaction.atomic():
            loan = Loan.objects.create(user_id=user_id, title_id=title_id, start=start, end=end)
            tasks.confirm(loan.pk)
            return loan
    except IntegrityError:
        # The partial unique index refused a second open loan, however the race went.
        raise TitleOnLoan() from None


def give_back(*, loan: Loan) -> None:
    """Returning twice is returning once."""
    Loan.objects.filter(pk=loan.pk).update(returned=True)
