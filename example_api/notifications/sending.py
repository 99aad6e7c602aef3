"""Sending notifications, in a job (tasks.py), never in the request."""

import structlog
from django.db import IntegrityError, transaction

from example_api.bookings.models import Booking
from example_api.notifications import emails
from example_api.notifications.models import SentNotification

log = structlog.get_logger(__name__)


def send_booking_confirmation(*, booking_id: int) -> bool:
    """Send the confirmation unless it was sent already; True if this call sent it.
    At least once: a crash between the send and the record sends again on the retry."""
    kind = emails.BOOKING_CONFIRMATION
    if SentNotification.objects.filter(kind=kind, object_id=booking_id).exists():
        return False
    booking = Booking.objects.select_related("resource", "user").filter(pk=booking_id).first()
    if booking is None or not booking.user.email:
        log.info("booking confirmation not sent", booking_id=booking_id, reason="no recipient")
        return False
    emails.booking_confirmation(booking, to=booking.user.email).send()
    try:
        with transaction.atomic():
            SentNotification.objects.create(kind=kind, object_id=booking_id)
    except IntegrityError:
        pass  # a concurrent run recorded it first
    log.info("booking confirmation sent", booking_id=booking_id)
    return True
