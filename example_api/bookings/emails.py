"""The booking confirmation: plain text, built from the booking alone."""

from django.conf import settings
from django.core.mail import EmailMessage

from example_api.bookings.models import Booking

# The kind recorded in SentNotification: stored in rows, so never renamed.
BOOKING_CONFIRMATION = "booking_confirmation"


def booking_confirmation(booking_id: int) -> EmailMessage | None:
    """The confirmation of the booking, or None when it is gone or its user has no address."""
    booking = Booking.objects.select_related("resource", "user").filter(pk=booking_id).first()
    if booking is None or not booking.user.email:
        return None
    body = (
        f"Your booking of {booking.resource.name} is confirmed.\n\n"
        f"From: {booking.start.isoformat()}\n"
        f"To:   {booking.end.isoformat()}\n"
        f"Booking id: {booking.pk}\n"
    )
    return EmailMessage(
        subject=f"Booking confirmed: {booking.resource.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.user.email],
    )
