"""Bookings: creating, reading and cancelling, by status and body (resources and lists are in
their own modules)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import override_settings

from example_api.bookings.models import Booking, BookingStatus
from tests.domain_support import (
    BOOKINGS,
    booking_body,
    booking_json,
    booking_url,
    make_booking,
    user_bookings_url,
)
from tests.endpoints import ME
from tests.factories import future, iso
from tests.payloads import utc_z

pytestmark = pytest.mark.django_db


# --- creating bookings -------------------------------------------------------------------------


def test_create_booking(api, alice, alice_token, resource):
    start = future(10)
    body = booking_body(resource.pk, start, timedelta(hours=2), note="standup")
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.CREATED
    booking = Booking.objects.get()
    assert (booking.user_id, booking.status) == (alice.pk, BookingStatus.CONFIRMED)
    assert response.json() == booking_json(booking)


def test_times_with_offsets_are_stored_and_returned_in_utc(api, alice_token, resource):
    start = future(10)
    local = start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata"))
    body = {
        "resource_id": resource.pk,
        "start": local.isoformat(),
        "end": iso(start + timedelta(hours=1)),
    }
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["start"] == utc_z(start)
    assert Booking.objects.get().start == start


def test_unknown_resource_is_404(api, alice_token):
    start = future()
    body = booking_body(999, start)
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "resource not found", "code": "resource_not_found"}


def test_overlapping_a_confirmed_booking_is_409(api, make_user, alice_token, resource):
    start = future()
    make_booking(make_user("bob"), resource, start, hours=2)
    body = booking_body(resource.pk, start + timedelta(hours=1), timedelta(hours=2))
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {
        "detail": "the resource is already booked for part of this time",
        "code": "booking_overlap",
    }
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_do_not_overlap(api, make_user, alice_token, resource):
    start = future()
    make_booking(make_user("bob"), resource, start, hours=1)
    body = booking_body(resource.pk, start + timedelta(hours=1))
    assert api.post(BOOKINGS, body, token=alice_token).status_code == HTTPStatus.CREATED


def test_a_cancelled_booking_frees_its_slot(api, make_user, alice_token, resource):
    start = future()
    old = make_booking(make_user("bob"), resource, start)
    old.status = BookingStatus.CANCELLED
    old.save()
    body = booking_body(resource.pk, start)
    assert api.post(BOOKINGS, body, token=alice_token).status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    ("start_delta", "length", "message", "code"),
    [
        (timedelta(hours=1), timedelta(0), "end must be after start", "booking_end_before_start"),
        (
            timedelta(hours=1),
            -timedelta(hours=1),
            "end must be after start",
            "booking_end_before_start",
        ),
        (
            -timedelta(days=3),
            timedelta(hours=1),
            "start must not be in the past",
            "booking_in_past",
        ),
        (timedelta(hours=1), timedelta(hours=8, minutes=1), "maximum duration", "booking_too_long"),
    ],
)
def test_rule_violations_are_422_saying_which_rule(
    api, alice_token, resource, start_delta, length, message, code
):
    start = future() + start_delta
    body = booking_body(resource.pk, start, length)
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in response.json()["detail"][0]["msg"]
    assert response.json()["code"] == response.json()["detail"][0]["type"] == code
    assert not Booking.objects.exists()


def test_exactly_the_maximum_duration_is_allowed(api, alice_token, resource):
    start = future()
    body = booking_body(resource.pk, start, timedelta(hours=8))
    assert api.post(BOOKINGS, body, token=alice_token).status_code == HTTPStatus.CREATED


@override_settings(BOOKING_MAX_ACTIVE_PER_USER=3)
def test_the_active_booking_cap_is_422(api, alice, alice_token, resource):
    for day in range(3):
        make_booking(alice, resource, future(24 * day))
    past = make_booking(alice, resource, future(24 * 10))
    past.status = BookingStatus.CANCELLED  # cancelled ones do not count
    past.save()
    start = future(24 * 5)
    body = booking_body(resource.pk, start)
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "payload"],
                "msg": "at most 3 active bookings per user (active booking limit)",
                "type": "booking_cap_reached",
            }
        ],
        "code": "booking_cap_reached",
    }


@override_settings(BOOKING_MAX_DURATION=timedelta(minutes=30))
def test_the_maximum_duration_is_configurable(api, alice_token, resource):
    start = future()
    body = booking_body(resource.pk, start, timedelta(minutes=31))
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "0.5 hours" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("field", ["user_id", "status", "id", "created_at"])
def test_fields_a_client_may_not_set_are_rejected(api, make_user, alice_token, resource, field):
    start = future()
    value = make_user("victim").pk if field == "user_id" else "cancelled"
    body = booking_body(resource.pk, start, **{field: value})
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert not Booking.objects.exists()


# --- reading and cancelling --------------------------------------------------------------------


def test_owner_reads_a_booking(api, alice, alice_token, resource):
    booking = make_booking(alice, resource, future())
    response = api.get(booking_url(booking.pk), token=alice_token)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == booking_json(booking)


def test_another_users_booking_and_a_missing_one_give_the_same_404(
    api, make_user, alice_token, resource
):
    theirs = make_booking(make_user("bob"), resource, future())
    hidden = api.get(booking_url(theirs.pk), token=alice_token)
    missing = api.get(booking_url(theirs.pk + 1000), token=alice_token)
    assert hidden.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert (
        hidden.json()
        == missing.json()
        == {"detail": "booking not found", "code": "booking_not_found"}
    )


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "1.5", "99999999999999999999"])
def test_a_malformed_booking_id_is_422(api, alice_token, bad_id):
    response = api.get(booking_url(bad_id), token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"] == ["path", "booking_id"]


def test_cancel_frees_the_slot_and_is_idempotent(api, alice, alice_token, resource):
    booking = make_booking(alice, resource, future())
    for _ in range(2):
        response = api.delete(booking_url(booking.pk), token=alice_token)
        assert response.status_code == HTTPStatus.NO_CONTENT
        assert response.content == b""
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_nobody_cancels_another_users_booking(api, make_user, alice_token, resource):
    theirs = make_booking(make_user("bob"), resource, future())
    response = api.delete(booking_url(theirs.pk), token=alice_token)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "booking not found", "code": "booking_not_found"}
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED


def test_staff_reads_and_cancels_anyones_booking(api, make_user, token_for, resource):
    theirs = make_booking(make_user("bob"), resource, future())
    staff = token_for(make_user("boss", staff=True))
    assert api.get(booking_url(theirs.pk), token=staff).json() == booking_json(theirs)
    assert api.delete(booking_url(theirs.pk), token=staff).status_code == 204
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CANCELLED


def test_a_user_deleted_while_its_token_is_cached_cannot_book(api, alice, alice_token, resource):
    assert api.get(user_bookings_url(alice.pk), token=alice_token).status_code == 200
    alice.delete()  # its token goes too, but the caches still know it for a while
    start = future()
    body = booking_body(resource.pk, start)
    response = api.post(BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "user not found", "code": "user_not_found"}
    assert api.get(ME, token=alice_token).status_code == HTTPStatus.UNAUTHORIZED
