"""Property tests for the pure booking rules."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from example_api.bookings.rules import overlaps, range_problem

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


@given(st.integers(-600, 600), st.integers(-600, 1200))
def test_range_problem_accepts_exactly_valid_ranges(start_offset: int, length: int) -> None:
    now = BASE
    start = now + timedelta(minutes=start_offset)
    end = start + timedelta(minutes=length)
    problem = range_problem(start=start, end=end, now=now, max_duration=MAX)
    valid = length > 0 and start_offset >= 0 and timedelta(minutes=length) <= MAX
    assert (problem is None) == valid


def test_range_problem_names_the_rule() -> None:
    now = BASE
    assert range_problem(start=now, end=now, now=now, max_duration=MAX) == (
        "end must be after start"
    )
    past = range_problem(start=now - timedelta(hours=1), end=now, now=now, max_duration=MAX)
    assert past == "start must not be in the past"
    too_long = range_problem(start=now, end=now + timedelta(hours=9), now=now, max_duration=MAX)
    assert too_long is not None
    assert "maximum duration" in too_long
    assert "8 hours" in too_long
