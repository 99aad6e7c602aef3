"""Reads for resources and bookings. Ownership is decided here, once."""

from datetime import datetime

from django.db.models import QuerySet

from example_api.accounts.models import User
from example_api.bookings import rules
from example_api.bookings.models import Booking, Resource
from example_api.compiled_query import CompiledQuery


def resources() -> "QuerySet[Resource]":
    return Resource.objects.order_by("name", "id")


# The hottest read of the API, compiled once (see compiled_query.py for the measurement).
_any_booking = CompiledQuery(lambda booking_id: Booking.objects.filter(pk=booking_id))
_own_booking = CompiledQuery(
    lambda booking_id, user_id: Booking.objects.filter(pk=booking_id, user_id=user_id)
)


def visible_booking(*, viewer: User, booking_id: int) -> Booking | None:
    """The booking if the viewer owns it or is staff; None otherwise, so that another user's
    booking and a missing one look the same."""
    if viewer.is_staff:
        return _any_booking.first(booking_id=booking_id)
    return _own_booking.first(booking_id=booking_id, user_id=viewer.pk)


def can_list_bookings_of(*, viewer: User, user_id: int) -> bool:
    if viewer.pk == user_id:
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
