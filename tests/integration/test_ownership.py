"""Ownership on PostgreSQL: nobody reads, lists or cancels another user's bookings, not by
guessing ids either, and fields a client must not set are never applied."""

import pytest

from example_api.accounts.models import User
from example_api.bookings.models import Booking, BookingStatus
from tests.domain_support import (
    BOOKINGS,
    booking_body,
    booking_url,
    make_booking,
    user_bookings_url,
)
from tests.endpoints import REGISTER
from tests.factories import PASSWORD, future, issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_users(make_user, resource):
    alice, bob = make_user("alice"), make_user("bob")
    bob_bookings = [make_booking(bob, resource, future(3 * i)) for i in range(3)]
    return issue_token(alice), bob, bob_bookings


def fingerprint(response) -> tuple:
    return response.status_code, response.content, response["Content-Type"]


def test_every_by_id_endpoint_hides_another_users_booking(api, two_users):
    alice_token, _, bob_bookings = two_users
    missing_id = max(b.pk for b in bob_bookings) + 1000
    for method in ("get", "delete"):
        missing = fingerprint(getattr(api, method)(booking_url(missing_id), token=alice_token))
        assert missing[0] == 404
        for booking in bob_bookings:
            response = getattr(api, method)(booking_url(booking.pk), token=alice_token)
            assert fingerprint(response) == missing  # byte for byte: nothing leaks
    assert not Booking.objects.filter(status=BookingStatus.CANCELLED).exists()


def test_every_by_user_endpoint_hides_another_users_list(api, two_users):
    alice_token, bob, _ = two_users
    missing_user = max(User.objects.values_list("pk", flat=True)) + 1000
    hidden = api.get(user_bookings_url(bob.pk), token=alice_token)
    missing = api.get(user_bookings_url(missing_user), token=alice_token)
    assert fingerprint(hidden) == fingerprint(missing)
    assert hidden.status_code == 404
    for query in ("?status=confirmed", "?limit=1", "?offset=0"):
        response = api.get(user_bookings_url(bob.pk, query), token=alice_token)
        assert fingerprint(response) == fingerprint(missing)


def test_guessing_ids_finds_nothing(api, two_users):
    alice_token, _, bob_bookings = two_users
    first = min(b.pk for b in bob_bookings)
    statuses = {
        api.get(booking_url(pk), token=alice_token).status_code
        for pk in range(max(1, first - 5), first + 20)  # below 1 is a malformed id (422)
    }
    assert statuses == {404}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("user_id", "bob"),
        ("status", "cancelled"),
        ("id", 424242),
        ("created_at", "2020-01-01T00:00:00Z"),
    ],
)
def test_booking_fields_a_client_may_not_set_are_rejected(api, two_users, resource, field, value):
    alice_token, bob, _ = two_users
    body = booking_body(resource.pk, future(100), **{field: bob.pk if value == "bob" else value})
    before = Booking.objects.count()
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert Booking.objects.count() == before


@pytest.mark.parametrize("field", ["is_staff", "is_superuser", "id"])
def test_register_fields_a_client_may_not_set_are_rejected(api, field):
    body = {"username": "mallory", "email": "m@example.com", "password": PASSWORD, field: 1}
    assert api.post(REGISTER, body).status_code == 422
    assert not User.objects.filter(username="mallory").exists()
