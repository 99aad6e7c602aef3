"""What the bookings app tells the rest of the project, so that what reacts to bookings (its
confirmation e-mail, its metrics, a fork's app) depends on bookings and never the other way
round."""

from django.dispatch import Signal

# Sent inside the transaction that creates the booking, with `booking_id`: work a receiver
# enqueues there commits or rolls back with the booking.
booking_created = Signal()
