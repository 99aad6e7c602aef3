"""The booking rule: property tests of the pure functions, and the queryset filters and the
migration's constraint checked against them."""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from example_api.bookings.errors import (
    BookingCapReached,
    BookingEndBeforeStart,
    BookingInPast,
    BookingTooLong,
)
from example_api.bookings.models import Booking, Resource
from example_api.bookings.rules import (
    active_at,
    check_cap,
    check_range,
    conflicting,
    max_duration,
    overlapping,
    overlaps,
)
from example_api.errors import DomainError

BASE = datetime(2030, 1, 1, tzinfo=UTC)
minutes = st.integers(min_value=0, max_value=24 * 60)


def interval(draw_start: int, length: int) -> tuple[datetime, datetime]:
    start = BASE + timedelta(minutes=draw_start)
    return start, start + timedelta(minutes=length)


@given(minutes, st.integers(1, 600), minutes, st.integers(1, 600))
def test_overlap_matches_shared_minutes(a: int, a_len: int, b: int, b_len: int) -> None:
    # Brute force: two half-open ranges overlap iff they share at least one whole minute.
    shared = set(range(a, a + a_len)) & set(range(b, b + b_len))
    assert overlaps(*interval(a, a_len), *interval(b, b_len)) == bool(shared)


@given(minutes, st.integers(1, 600), minutes, st.integers(1, 600))
def test_overlap_is_symmetric(a: int, a_len: int, b: int, b_len: int) -> None:
    assert overlaps(*interval(a, a_len), *interval(b, b_len)) == overlaps(
        *interval(b, b_len), *interval(a, a_len)
    )


@given(minutes, st.integers(1, 600), st.integers(1, 600))
def test_adjacent_ranges_do_not_overlap(a: int, a_len: int, b_len: int) -> None:
    first = interval(a, a_len)
    second = interval(a + a_len, b_len)  # starts exactly where the first ends
    assert not overlaps(*first, *second)


MAX = timedelta(hours=8)


def range_refusal(**kwargs) -> DomainError | None:
    try:
        check_range(**kwargs, longest=MAX)
    except DomainError as refusal:
        return refusal
    return None


@given(st.integers(-600, 600), st.integers(-600, 1200))
def test_check_range_accepts_exactly_valid_ranges(start_offset: int, length: int) -> None:
    now = BASE
    start = now + timedelta(minutes=start_offset)
    end = start + timedelta(minutes=length)
    valid = length > 0 and start_offset >= 0 and timedelta(minutes=length) <= MAX
    assert (range_refusal(start=start, end=end, now=now) is None) == valid


@pytest.mark.parametrize(
    ("start", "end", "error", "code"),
    [
        (BASE, BASE, BookingEndBeforeStart, "booking_end_before_start"),
        (BASE - timedelta(hours=1), BASE, BookingInPast, "booking_in_past"),
        (BASE, BASE + timedelta(hours=9), BookingTooLong, "booking_too_long"),
    ],
)
def test_check_range_names_the_rule(start, end, error, code) -> None:
    refusal = range_refusal(start=start, end=end, now=BASE)
    assert isinstance(refusal, error)
    assert refusal.code == code


def test_too_long_says_the_limit() -> None:
    assert str(BookingTooLong(MAX)) == "a booking may last at most 8 hours (maximum duration)"


# --- the same rule in the database -------------------------------------------------------------

# Migration 0002's constraint, exactly as first released: the migration builds it from
# rules.RANGE_BOUNDS and rules.SLOT_HOLDING_STATUS, and an applied migration never runs again.
RELEASED_CONSTRAINT_SQL = """
                ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap
                EXCLUDE USING gist (resource_id WITH =, tstzrange(start, "end", '[)') WITH &&)
                WHERE (status = 'confirmed')
            """


def test_the_constraint_sql_is_the_released_one() -> None:
    migration = importlib.import_module("example_api.bookings.migrations.0002_booking_no_overlap")
    sqls = [op.sql for op in migration.Migration.operations]
    assert sqls[1] == RELEASED_CONSTRAINT_SQL


@pytest.mark.django_db
def test_the_query_predicates_agree_with_overlaps(make_user) -> None:
    # Every range of whole hours within a 5-hour window against every other: the queryset
    # filters select exactly what the pure function says.
    user, resource, other = (
        make_user(),
        Resource.objects.create(name="a"),
        Resource.objects.create(name="b"),
    )
    ranges = [interval(60 * a, 60 * (b - a)) for a in range(5) for b in range(a + 1, 6)]
    booked = {
        Booking.objects.create(user=user, resource=resource, start=s, end=e).pk: (s, e)
        for s, e in ranges
    }
    cancelled = Booking.objects.create(
        user=user, resource=resource, start=BASE, end=BASE + timedelta(hours=5), status="cancelled"
    )
    Booking.objects.create(user=user, resource=other, start=BASE, end=BASE + timedelta(hours=5))
    for start, end in ranges:
        expected = {pk for pk, (s, e) in booked.items() if overlaps(s, e, start, end)}
        conflicts = Booking.objects.filter(
            conflicting(resource_id=resource.pk, start=start, end=end)
        )
        assert set(conflicts.values_list("pk", flat=True)) == expected
        any_status = Booking.objects.filter(overlapping(start, end), resource=resource)
        assert set(any_status.values_list("pk", flat=True)) == expected | {cancelled.pk}


@pytest.mark.django_db
def test_active_bookings_are_slot_holders_that_have_not_ended(make_user, resource) -> None:
    user = make_user()
    ended = Booking.objects.create(
        user=user, resource=resource, start=BASE, end=BASE + timedelta(hours=1)
    )
    running = Booking.objects.create(
        user=user, resource=resource, start=BASE + timedelta(hours=1), end=BASE + timedelta(hours=3)
    )
    Booking.objects.create(
        user=user,
        resource=resource,
        start=BASE + timedelta(hours=3),
        end=BASE + timedelta(hours=4),
        status="cancelled",
    )
    now = BASE + timedelta(hours=2)
    assert set(Booking.objects.filter(active_at(now))) == {running}
    assert ended.end <= now


def test_the_cap_and_the_maximum_duration_come_from_settings(settings) -> None:
    settings.BOOKING_MAX_ACTIVE_PER_USER = 2
    settings.BOOKING_MAX_DURATION = timedelta(minutes=30)
    check_cap(active=1)
    with pytest.raises(BookingCapReached, match="at most 2 active bookings"):
        check_cap(active=2)
    with pytest.raises(BookingTooLong, match=r"0\.5 hours"):
        check_range(start=BASE, end=BASE + timedelta(minutes=31), now=BASE)
    assert max_duration() == timedelta(minutes=30)
