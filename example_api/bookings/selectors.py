"""Reads for resources and bookings. Ownership is decided here, once."""

from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import QuerySet

from example_api.accounts.models import User
from example_api.accounts.tokens import Principal
from example_api.bookings import rules
from example_api.bookings.models import Booking, Resource

# The API's hottest read, GET /bookings/{id}/, in plain SQL: building and compiling the same
# queryset on every request cost more CPU than the rest of the read (docs/performance.md).
# Same SQL on PostgreSQL and SQLite; tests check it returns what the ORM returns.
_BOOKING_FIELDS = ("id", "resource_id", "user_id", "start", "end", "status", "note", "created_at")
_DATETIME_POSITIONS = (3, 4, 7)
_SELECT_BOOKING = (
    'SELECT id, resource_id, user_id, start, "end", status, note, created_at '
    "FROM bookings_booking WHERE id = %s"
)
_SELECT_OWN_BOOKING = _SELECT_BOOKING + " AND user_id = %s"


def resources() -> "QuerySet[Resource]":
    return Resource.objects.order_by("name", "id")


def visible_booking(*, viewer: Principal, booking_id: int) -> Booking | None:
    """The booking if the viewer owns it or is staff; None otherwise, so that another user's
    booking and a missing one look the same."""
    if viewer.is_staff:
        return _booking_from_sql(_SELECT_BOOKING, [booking_id])
    return _booking_from_sql(_SELECT_OWN_BOOKING, [booking_id, viewer.user_id])


def _booking_from_sql(sql: str, params: list[int]) -> Booking | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for position in _DATETIME_POSITIONS:
        # PostgreSQL returns aware datetimes; SQLite stores UTC and returns naive ones.
        if values[position].tzinfo is None:
            values[position] = values[position].replace(tzinfo=UTC)
    return Booking.from_db(DEFAULT_DB_ALIAS, _BOOKING_FIELDS, values)


def can_list_bookings_of(*, viewer: Principal, user_id: int) -> bool:
    if viewer.user_id == user_id:
        return True
    return viewer.is_staff and User.objects.filter(pk=user_id).exists()


def bookings_of_user(
    *,
    user_id: int,
    status: str | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
) -> "QuerySet[Booking]":
    bookings = Booking.objects.filter(user_id=user_id)
    if status:
        bookings = bookings.filter(status=status)
    if starts_after:
        bookings = bookings.filter(start__gte=starts_after)
    if starts_before:
        bookings = bookings.filter(start__lt=starts_before)
    return bookings.order_by("-start", "-id")


def has_conflict(*, resource_id: int, start: datetime, end: datetime) -> bool:
    """True if booking [start, end) of the resource would collide (rules.conflicting)."""
    return Booking.objects.filter(
        rules.conflicting(resource_id=resource_id, start=start, end=end)
    ).exists()


def active_count(*, user_id: int, now: datetime) -> int:
    """The user's bookings that count towards the cap (rules.active_at)."""
    return Booking.objects.filter(rules.active_at(now), user_id=user_id).count()
