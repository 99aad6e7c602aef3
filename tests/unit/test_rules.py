"""Property tests for the pure booking rules."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from example_api.bookings.errors import BookingEndBeforeStart, BookingInPast, BookingTooLong
from example_api.bookings.rules import check_range, overlaps
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
        check_range(**kwargs, max_duration=MAX)
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
