"""Notification jobs, and what enqueues them. SMTP failures raise, and the job is retried
with backoff."""

from example_api.jobs.app import OUTSIDE_SERVICE_RETRY, app
from example_api.jobs.queue import enqueue
from example_api.notifications import sending


@app.task(name="notifications.send_booking_confirmation", retry=OUTSIDE_SERVICE_RETRY)
def send_booking_confirmation(booking_id: int) -> None:
    sending.send_booking_confirmation(booking_id=booking_id)


def on_booking_created(*, booking_id: int, **signal: object) -> None:
    """Receives bookings' signal inside the transaction that creates the booking, so the job
    commits with it."""
    enqueue(send_booking_confirmation, booking_id=booking_id)
