"""Loans: the library has one copy of each title, lent to one user at a time."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from example_api.lending.models import Loan, Title
from tests.domain_support import LOANS, loan_body, loan_url, make_loan, user_loans_url
from tests.factories import future

pytestmark = pytest.mark.django_db


def test_a_user_borrows_a_free_title_and_is_told_by_mail(
    api, make_user, token_for, title, django_capture_on_commit_callbacks
):
    alice = make_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(LOANS, loan_body(title.pk, future()), token=token_for(alice))
    assert response.status_code == HTTPStatus.CREATED
    loan = Loan.objects.get()
    assert (loan.user, loan.title, loan.returned) == (alice, title, False)
    assert response.json()["id"] == loan.pk
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert f"Loan id: {loan.pk}" in mail.outbox[0].body


def test_borrowing_a_title_on_loan_is_409_with_its_own_code(api, make_user, token_for, title):
    make_loan(make_user(), title, future())
    response = api.post(LOANS, loan_body(title.pk, future(48)), token=token_for(make_user()))
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {
        "detail": "the library's one copy of this title is on loan",
        "code": "title_on_loan",
    }
    assert Loan.objects.count() == 1


def test_the_database_refuses_a_second_open_loan_by_itself(make_user, title):
    from django.db import IntegrityError, transaction

    make_loan(make_user(), title, future())
    with pytest.raises(IntegrityError), transaction.atomic():
        make_loan(make_user(), title, future(48))


def test_returned_copies_may_be_borrowed_again(api, make_user, token_for, title):
    alice = token_for(make_user())
    first = api.post(LOANS, loan_body(title.pk, future()), token=alice).json()
    assert api.delete(loan_url(first["id"]), token=alice).status_code == HTTPStatus.NO_CONTENT
    assert api.delete(loan_url(first["id"]), token=alice).status_code == HTTPStatus.NO_CONTENT
    again = api.post(LOANS, loan_body(title.pk, future(48)), token=token_for(make_user()))
    assert again.status_code == HTTPStatus.CREATED
    assert api.get(loan_url(first["id"]), token=alice).json()["returned"] is True


def test_unknown_titles_and_other_users_loans_are_404(api, make_user, token_for, title):
    bob = token_for(make_user())
    missing = api.post(LOANS, loan_body(title.pk + 1, future()), token=bob)
    assert (missing.status_code, missing.json()["code"]) == (404, "title_not_found")
    alices = make_loan(make_user(), title, future())
    hidden = api.get(loan_url(alices.pk), token=bob)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "loan_not_found")
    assert api.get(user_loans_url(alices.user_id), token=bob).status_code == 404


def test_a_loan_due_before_it_starts_is_422(api, make_user, token_for, title):
    body = {**loan_body(title.pk, future()), "end": loan_body(title.pk, future(-48))["start"]}
    response = api.post(LOANS, body, token=token_for(make_user()))
    assert (response.status_code, response.json()["code"]) == (422, "loan_end_before_start")


def test_a_user_lists_their_loans_newest_first(api, make_user, token_for):
    alice = make_user()
    older = make_loan(alice, Title.objects.create(name="Emma"), future())
    newer = make_loan(alice, Title.objects.create(name="Dune"), future(48))
    page = api.get(user_loans_url(alice.pk), token=token_for(alice)).json()
    assert [loan["id"] for loan in page["items"]] == [newer.pk, older.pk]


def test_seed_demo_makes_titles_and_one_loan_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert (Title.objects.count(), Loan.objects.filter(returned=False).count()) == (3, 1)
