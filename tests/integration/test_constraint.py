"""The database itself refuses overlapping confirmed bookings (the guarantee on PostgreSQL)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from example_api.bookings.models import Booking, BookingStatus
from tests.domain_support import make_booking
from tests.factories import future

pytestmark = pytest.mark.django_db


def test_the_exclusion_constraint_rejects_an_overlap_written_past_the_service(make_user, resource):
    start = future()
    make_booking(make_user(), resource, start, hours=2)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make_booking(make_user(), resource, start + timedelta(hours=1))
    assert getattr(caught.value.__cause__, "sqlstate", None) == "23P01"


def test_cancelled_bookings_and_touching_ranges_are_allowed(make_user, resource):
    start = future()
    first = make_booking(make_user(), resource, start, hours=2)
    make_booking(make_user(), resource, start + timedelta(hours=2))  # touches, [) ranges
    Booking.objects.filter(pk=first.pk).update(status=BookingStatus.CANCELLED)
    make_booking(make_user(), resource, start)  # the cancelled slot is free
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 2


def test_the_check_constraint_rejects_end_before_start(make_user, resource):
    start = future()
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(user=make_user(), resource=resource, start=start, end=start)


def test_the_constraint_is_in_the_schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            ["booking_no_overlap"],
        )
        (definition,) = cursor.fetchone()
    assert definition.startswith("EXCLUDE USING gist (resource_id WITH =, tstzrange(start")
    assert "(status)::text = 'confirmed'::text" in definition.split("WHERE")[1]
