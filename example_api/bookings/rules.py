"""Pure booking rules, kept apart from the database so they can be property-tested."""

from datetime import datetime, timedelta

from example_api.bookings.errors import BookingEndBeforeStart, BookingInPast, BookingTooLong


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open ranges [start, end) overlap when each starts before the other ends."""
    return a_start < b_end and b_start < a_end


def check_range(*, start: datetime, end: datetime, now: datetime, max_duration: timedelta) -> None:
    """Raise the reason [start, end) cannot be booked, if there is one."""
    if end <= start:
        raise BookingEndBeforeStart()
    if start < now:
        raise BookingInPast()
    if end - start > max_duration:
        raise BookingTooLong(max_duration)
