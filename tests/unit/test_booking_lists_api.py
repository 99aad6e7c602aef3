"""A user's bookings: GET /users/{id}/bookings/, its filters, paging and who may list."""

from http import HTTPStatus

import pytest

from example_api.bookings.models import BookingStatus
from tests.domain_support import booking_json, make_booking
from tests.domain_support import user_bookings_url as user_bookings
from tests.factories import future
from tests.payloads import utc_z

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_bookings(alice, resource):
    first = make_booking(alice, resource, future(1))
    second = make_booking(alice, resource, future(5))
    third = make_booking(alice, resource, future(9))
    second.status = BookingStatus.CANCELLED
    second.save()
    return first, second, third


def test_list_is_newest_start_first_with_both_statuses(api, alice, alice_token, alice_bookings):
    first, second, third = alice_bookings
    response = api.get(user_bookings(alice.pk), token=alice_token)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "items": [booking_json(b) for b in (third, second, first)],
        "count": 3,
    }


def test_list_filters(api, alice, alice_token, alice_bookings):
    first, second, third = alice_bookings

    def ids(query: str) -> list[int]:
        body = api.get(user_bookings(alice.pk, query), token=alice_token).json()
        assert body["count"] == len(body["items"])
        return [item["id"] for item in body["items"]]

    assert ids("?status=confirmed") == [third.pk, first.pk]
    assert ids("?status=cancelled") == [second.pk]
    after = utc_z(second.start)
    assert ids(f"?starts_after={after}") == [third.pk, second.pk]  # inclusive
    before = second.start.isoformat().replace("+00:00", "%2B00:00")
    assert ids(f"?starts_before={before}") == [first.pk]  # exclusive
    assert ids(f"?status=confirmed&starts_after={after}") == [third.pk]


def test_list_paging_keeps_the_true_count(api, alice, alice_token, alice_bookings):
    body = api.get(user_bookings(alice.pk, "?limit=1&offset=1"), token=alice_token).json()
    assert (len(body["items"]), body["count"]) == (1, 3)
    assert body["items"][0]["id"] == alice_bookings[1].pk


@pytest.mark.parametrize(
    "query", ["?status=pending", "?starts_after=2030-01-01T00:00:00", "?starts_before=soon"]
)
def test_bad_filters_are_422(api, alice, alice_token, query):
    response = api.get(user_bookings(alice.pk, query), token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_another_users_list_and_a_missing_users_list_give_the_same_404(
    api, make_user, alice_token, resource
):
    bob = make_user("bob")
    make_booking(bob, resource, future())
    other = api.get(user_bookings(bob.pk), token=alice_token)
    missing = api.get(user_bookings(bob.pk + 100), token=alice_token)
    assert other.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert other.json() == missing.json() == {"detail": "user not found", "code": "user_not_found"}


def test_staff_lists_anyones_bookings_but_a_missing_user_is_404(
    api, make_user, token_for, alice, alice_bookings
):
    staff = token_for(make_user("boss", staff=True))
    assert api.get(user_bookings(alice.pk), token=staff).json()["count"] == 3
    assert api.get(user_bookings(alice.pk + 100), token=staff).status_code == 404
