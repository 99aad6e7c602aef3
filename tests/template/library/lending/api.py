"""Titles and loans endpoints, and the HTTP status of each of lending's errors."""

from http import HTTPStatus

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.pagination import paginate

from example_api.accounts.auth import principal_of
from example_api.accounts.errors import StaffOnly, UserNotFound
from example_api.errors import DomainError
from example_api.lending import selectors, services
from example_api.lending.errors import (
    LoanEndBeforeStart,
    LoanNotFound,
    TitleNameTaken,
    TitleNotFound,
    TitleOnLoan,
)
from example_api.lending.models import Loan, Title
from example_api.lending.schemas import LoanIn, LoanOut, TitleIn, TitleOut
from example_api.pagination import LimitOffset
from example_api.schemas import MAX_ID, errors

router = Router(tags=["lending"])

ERROR_STATUS: dict[type[DomainError], int] = {
    TitleNotFound: 404,
    TitleNameTaken: 409,
    TitleOnLoan: 409,
    LoanNotFound: 404,
    LoanEndBeforeStart: 422,
}


def _visible_loan_or_404(request: HttpRequest, loan_id: int) -> Loan:
    loan = selectors.visible_loan(viewer=principal_of(request), loan_id=loan_id)
    if loan is None:
        raise LoanNotFound()
    return loan


@router.get("/titles/", response={200: list[TitleOut], **errors(401, 422)})
@paginate(LimitOffset)
def list_titles(request: HttpRequest) -> "QuerySet[Title]":
    return selectors.titles()


@router.post(
    "/titles/",
    response={201: TitleOut, **errors(400, 401, 403, 409, 413, 422)},
    summary="Add a title (staff only)",
)
def create_title(request: HttpRequest, payload: TitleIn) -> Status[object]:
    if not principal_of(request).is_staff:
        raise StaffOnly("add titles")
    title = services.create_title(name=payload.name, author=payload.author)
    return Status(HTTPStatus.CREATED, title)


@router.post(
    "/loans/",
    response={201: LoanOut, **errors(400, 401, 404, 409, 413, 422)},
    summary="Borrow a title's one copy until end",
)
def borrow_title(request: HttpRequest, payload: LoanIn) -> Status[object]:
    loan = services.borrow(
        user_id=principal_of(request).user_id,
        title_id=payload.title_id,
        start=payload.start,
        end=payload.end,
    )
    return Status(HTTPStatus.CREATED, loan)


@router.get("/loans/{loan_id}/", response={200: LoanOut, **errors(401, 404, 422)})
def get_loan(request: HttpRequest, loan_id: int = Path(..., ge=1, le=MAX_ID)) -> object:
    return _visible_loan_or_404(request, loan_id)


@router.delete("/loans/{loan_id}/", response={204: None, **errors(401, 404, 422)})
def return_loan(request: HttpRequest, loan_id: int = Path(..., ge=1, le=MAX_ID)) -> Status[None]:
    services.give_back(loan=_visible_loan_or_404(request, loan_id))
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get(
    "/users/{user_id}/loans/",
    response={200: list[LoanOut], **errors(401, 404, 422)},
    summary="A user's loans, newest start first",
)
@paginate(LimitOffset)
def list_user_loans(
    request: HttpRequest, user_id: int = Path(..., ge=1, le=MAX_ID)
) -> "QuerySet[Loan]":
    if not selectors.can_list_loans_of(viewer=principal_of(request), user_id=user_id):
        raise UserNotFound()
    return selectors.loans_of_user(user_id=user_id)
