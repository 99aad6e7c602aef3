"""Writes for resources and bookings, each in one transaction."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from example_api.accounts.models import User
from example_api.bookings import selectors
from example_api.bookings.models import Booking, BookingStatus, Resource
from example_api.bookings.rules import range_problem
from example_api.errors import Conflict, NotFound, RuleViolation

EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE for an exclusion constraint


def create_resource(*, name: str, description: str = "") -> Resource:
    if Resource.objects.filter(name=name).exists():
        raise Conflict("a resource with this name exists")
    try:
        with transaction.atomic():
            return Resource.objects.create(name=name, description=description)
    except IntegrityError:
        raise Conflict("a resource with this name exists") from None


@transaction.atomic
def create_booking(
    *, user: User, resource_id: int, start: datetime, end: datetime, note: str = ""
) -> Booking:
    now = timezone.now()
    problem = range_problem(
        start=start, end=end, now=now, max_duration=settings.BOOKING_MAX_DURATION
    )
    if problem:
        raise RuleViolation(problem)
    if not Resource.objects.filter(pk=resource_id).exists():
        raise NotFound("resource not found")
    # Lock the user's row so two concurrent requests cannot both pass the per-user cap.
    User.objects.select_for_update().filter(pk=user.pk).first()
    cap = settings.BOOKING_MAX_ACTIVE_PER_USER
    if selectors.active_future_count(user_id=user.pk, now=now) >= cap:
        raise RuleViolation(f"at most {cap} active bookings per user (active booking limit)")
    # A friendly early answer; the database constraint is the guarantee on PostgreSQL, and
    # on SQLite this check runs under the write lock (BEGIN IMMEDIATE).
    if selectors.overlapping_confirmed(resource_id=resource_id, start=start, end=end):
        raise Conflict("the resource is already booked for part of this time")
    try:
        with transaction.atomic():
            return Booking.objects.create(
                user=user, resource_id=resource_id, start=start, end=end, note=note
            )
    except IntegrityError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION:
            raise Conflict("the resource is already booked for part of this time") from None
        raise


def cancel_booking(*, booking: Booking) -> None:
    """Idempotent: cancelling a cancelled booking changes nothing."""
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
