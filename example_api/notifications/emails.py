"""The messages themselves: plain text, built from the booking alone."""

from django.conf import settings
from django.core.mail import EmailMessage

from example_api.bookings.models import Booking

BOOKING_CONFIRMATION = "booking_confirmation"


def booking_confirmation(booking: Booking, *, to: str) -> EmailMessage:
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
        to=[to],
    )
