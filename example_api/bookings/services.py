"""Writes for resources and bookings, each in one transaction. The booking rule itself is
in rules.py; this module applies it under the locks that make it hold concurrently."""

from datetime import datetime

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone

from example_api.accounts.errors import UserNotFound
from example_api.accounts.models import User
from example_api.bookings import outcomes, rules, selectors, signals
from example_api.bookings.errors import BookingOverlap, ResourceNameTaken, ResourceNotFound
from example_api.bookings.models import Booking, BookingStatus, Resource
from example_api.errors import DomainError

EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE for an exclusion constraint

log = structlog.get_logger(__name__)


def create_resource(*, name: str, description: str = "") -> Resource:
    if Resource.objects.filter(name=name).exists():
        raise ResourceNameTaken()
    try:
        with transaction.atomic():
            return Resource.objects.create(name=name, description=description)
    except IntegrityError:
        raise ResourceNameTaken() from None


def create_booking(
    *, user_id: int, resource_id: int, start: datetime, end: datetime, note: str = ""
) -> Booking:
    try:
        return _create_booking(
            user_id=user_id, resource_id=resource_id, start=start, end=end, note=note
        )
    except DomainError as error:
        outcomes.count_refused(error)
        raise
    except IntegrityError as exc:
        # Caught outside the transaction, which has rolled back: no savepoint needed.
        if getattr(exc.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION:
            log.info("booking conflict", resource_id=resource_id, caught_by="constraint")
            outcomes.count_refused(overlap := BookingOverlap())
            raise overlap from None
        raise


@transaction.atomic
def _create_booking(
    *, user_id: int, resource_id: int, start: datetime, end: datetime, note: str
) -> Booking:
    now = timezone.now()
    rules.check_range(start=start, end=end, now=now)
    # Bookings of one resource queue on its row lock: concurrent inserts that only met at
    # the exclusion constraint could deadlock each other (seen in the race tests). Always
    # resource first, then user, so two bookings never wait on each other in a cycle.
    locked = (
        Resource.objects.select_for_update(no_key=True)
        .filter(pk=resource_id)
        .values_list("pk", flat=True)
        .first()
    )
    if locked is None:
        raise ResourceNotFound()
    # The user's row lock makes the per-user cap hold under concurrent requests.
    # (None only if the user was deleted while its token was still cached.)
    user = User.objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk")
    if user.first() is None:
        raise UserNotFound()
    rules.check_cap(active=selectors.active_count(user_id=user_id, now=now))
    # A friendly early answer; the database constraint is the guarantee on PostgreSQL, and
    # on SQLite this check runs under the write lock (BEGIN IMMEDIATE).
    if selectors.has_conflict(resource_id=resource_id, start=start, end=end):
        log.info("booking conflict", resource_id=resource_id, caught_by="precheck")
        raise BookingOverlap()
    booking = Booking.objects.create(
        user_id=user_id, resource_id=resource_id, start=start, end=end, note=note
    )
    signals.booking_created.send(sender=Booking, booking_id=booking.pk)
    return booking


def cancel_booking(*, booking: Booking) -> None:
    """Idempotent: cancelling a cancelled booking changes nothing."""
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
