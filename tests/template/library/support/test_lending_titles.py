"""Titles: staff add them, everyone with a token lists them."""

from http import HTTPStatus

import pytest

from tests.domain_support import TITLES

pytestmark = pytest.mark.django_db


def test_staff_add_a_title_and_users_list_it(api, make_user, token_for):
    staff = token_for(make_user("librarian", staff=True))
    created = api.post(TITLES, {"name": "Dune", "author": "Frank Herbert"}, token=staff)
    assert created.status_code == HTTPStatus.CREATED
    listed = api.get(TITLES, token=token_for(make_user())).json()
    assert listed == {"items": [{**created.json(), "name": "Dune"}], "count": 1}


def test_a_user_may_not_add_titles(api, make_user, token_for):
    response = api.post(TITLES, {"name": "Mine"}, token=token_for(make_user()))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "staff_only"


def test_a_second_title_of_the_same_name_is_409(api, make_user, token_for, title):
    staff = token_for(make_user("librarian", staff=True))
    response = api.post(TITLES, {"name": title.name}, token=staff)
    assert (response.status_code, response.json()["code"]) == (409, "title_name_taken")
