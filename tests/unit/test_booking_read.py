"""GET /bookings/{id}/'s plain-SQL read returns what the ORM returns, for every kind of row
and viewer. tests/integration runs the same checks on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from example_api.accounts.models import User
from example_api.accounts.tokens import Principal
from example_api.bookings import selectors
from example_api.bookings.models import Booking, BookingStatus
from tests.domain_support import make_booking
from tests.factories import future

pytestmark = pytest.mark.django_db


def fields_of(booking: Booking | None) -> dict | None:
    if booking is None:
        return None
    return {f.attname: getattr(booking, f.attname) for f in Booking._meta.concrete_fields}


def as_viewer(user: User) -> Principal:
    return Principal(user.pk, user.is_staff, token_id=1, expires_at=future())


def test_the_sql_selects_every_field_of_the_model():
    assert tuple(f.attname for f in Booking._meta.concrete_fields) == selectors._BOOKING_FIELDS


def test_visible_booking_matches_the_orm(make_user, resource):
    alice, bob, staff = make_user("alice"), make_user("bob"), make_user("boss", staff=True)
    bookings = [make_booking(alice, resource, future(2 * i)) for i in range(3)]
    bookings += [make_booking(bob, resource, future(10 + 2 * i)) for i in range(2)]
    cancelled = make_booking(alice, resource, future(20))
    cancelled.status = BookingStatus.CANCELLED
    cancelled.note = "with a note: ünïcödé"
    cancelled.save()
    ids = [b.pk for b in [*bookings, cancelled]]
    checked = 0
    for viewer in (alice, bob, staff):
        for booking_id in range(min(ids) - 2, max(ids) + 3):  # includes missing ids
            owned = {} if viewer.is_staff else {"user_id": viewer.pk}
            expected = Booking.objects.filter(pk=booking_id, **owned).first()
            found = selectors.visible_booking(viewer=as_viewer(viewer), booking_id=booking_id)
            assert fields_of(found) == fields_of(expected), (viewer.username, booking_id)
            if found is not None:
                assert isinstance(found, Booking)
                assert found.start.utcoffset() is not None  # aware, as the ORM's
                assert found.created_at.utcoffset() is not None
                checked += 1
    assert checked == 4 + 2 + 6  # alice's 4, bob's 2, staff sees all 6


def test_a_read_row_saves_as_an_update(make_user, resource):
    alice = make_user("alice")
    booking = make_booking(alice, resource, future())
    found = selectors.visible_booking(viewer=as_viewer(alice), booking_id=booking.pk)
    assert found is not None
    found.note = "changed"
    with CaptureQueriesContext(connection) as queries:
        found.save(update_fields=["note"])
    assert queries[0]["sql"].startswith("UPDATE")
    assert Booking.objects.get(pk=booking.pk).note == "changed"
