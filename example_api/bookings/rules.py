"""Pure booking rules, kept apart from the database so they can be property-tested."""

from datetime import datetime, timedelta


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open ranges [start, end) overlap when each starts before the other ends."""
    return a_start < b_end and b_start < a_end


def range_problem(
    *, start: datetime, end: datetime, now: datetime, max_duration: timedelta
) -> str | None:
    """Why [start, end) cannot be booked, or None if it can."""
    if end <= start:
        return "end must be after start"
    if start < now:
        return "start must not be in the past"
    if end - start > max_duration:
        hours = max_duration.total_seconds() / 3600
        return f"a booking may last at most {hours:g} hours (maximum duration)"
    return None
