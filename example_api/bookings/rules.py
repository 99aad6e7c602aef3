"""The booking rule, in one place.

A booking holds the half-open range [start, end) of one resource, so back-to-back bookings
do not overlap. Only bookings in SLOT_HOLDING_STATUS hold their range (cancelling frees it).
A new booking must end after it starts, not start in the past, last at most the maximum
duration, and its user may hold at most the per-user cap of active bookings.

Everything that enforces the rule takes it from here: the service's checks, the selectors'
queries (`conflicting`, `active_at`) and the PostgreSQL exclusion constraint of migration
0002, which is built from RANGE_BOUNDS and SLOT_HOLDING_STATUS. The limits are settings
(BOOKING_MAX_DURATION_MINUTES, BOOKING_MAX_ACTIVE_PER_USER), read on every check.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from example_api.bookings.errors import (
    BookingCapReached,
    BookingEndBeforeStart,
    BookingInPast,
    BookingTooLong,
)
from example_api.bookings.models import BookingStatus

# Migration 0002 builds the exclusion constraint from these two. An applied migration never
# runs again: changing either needs a new migration (tests/unit/test_rules.py pins the SQL).
RANGE_BOUNDS = "[)"
SLOT_HOLDING_STATUS: str = BookingStatus.CONFIRMED.value


def max_duration() -> timedelta:
    return settings.BOOKING_MAX_DURATION


def max_active_per_user() -> int:
    return settings.BOOKING_MAX_ACTIVE_PER_USER


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open ranges [start, end) overlap when each starts before the other ends."""
    return a_start < b_end and b_start < a_end


def overlapping(start: datetime, end: datetime) -> Q:
    """`overlaps` as a queryset filter: bookings whose range overlaps [start, end)."""
    return Q(start__lt=end, end__gt=start)


def conflicting(*, resource_id: int, start: datetime, end: datetime) -> Q:
    """Bookings that a new booking of [start, end) would collide with."""
    return Q(resource_id=resource_id, status=SLOT_HOLDING_STATUS) & overlapping(start, end)


def active_at(now: datetime) -> Q:
    """Bookings that count towards the per-user cap: holding a slot that has not ended."""
    return Q(status=SLOT_HOLDING_STATUS, end__gt=now)


def check_range(
    *, start: datetime, end: datetime, now: datetime, longest: timedelta | None = None
) -> None:
    """Raise the reason [start, end) cannot be booked, if there is one. `longest` defaults
    to the configured maximum duration."""
    longest = max_duration() if longest is None else longest
    if end <= start:
        raise BookingEndBeforeStart()
    if start < now:
        raise BookingInPast()
    if end - start > longest:
        raise BookingTooLong(longest)


def check_cap(*, active: int) -> None:
    """Raise if a user who holds `active` active bookings may not book another."""
    cap = max_active_per_user()
    if active >= cap:
        raise BookingCapReached(cap)
