"""The library domain's test support: its rows, URLs, bodies and fixtures (titles and loans).
tests/conftest.py star-imports it, so the names in __all__ are fixtures every test can ask for."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from example_api.accounts.models import User
from example_api.lending.models import Loan, Title
from tests.factories import iso

__all__ = ["title"]


def _api(name: str, **kwargs: object) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)


TITLES = _api("list_titles")  # GET lists, POST (create_title) adds
LOANS = _api("borrow_title")


def loan_url(loan_id: int | str) -> str:
    """GET reads it, DELETE returns the copy."""
    return _api("get_loan", loan_id=loan_id)


def user_loans_url(user_id: int) -> str:
    return _api("list_user_loans", user_id=user_id)


def create_title(name: str = "Middlemarch", author: str = "George Eliot") -> Title:
    return Title.objects.create(name=name, author=author)


def make_loan(user: User, title: Title, start: datetime, days: float = 14) -> Loan:
    return Loan.objects.create(
        user=user, title=title, start=start, end=start + timedelta(days=days)
    )


def loan_body(title_id: int, start: datetime, days: float = 14) -> dict[str, Any]:
    """POST /loans/'s body: the copy from start, due back `days` later."""
    return {"title_id": title_id, "start": iso(start), "end": iso(start + timedelta(days=days))}


@pytest.fixture
def title(db: None) -> Title:
    return create_title()
