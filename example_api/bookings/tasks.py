"""The booking confirmation's job, and what enqueues it: the example's use of send-once
notifications (example_api/notifications). SMTP failures raise, and the job is retried with
backoff."""

from example_api.bookings import emails
from example_api.jobs.app import OUTSIDE_SERVICE_RETRY, app
from example_api.jobs.queue import enqueue
from example_api.notifications.sending import send_once


# The name it had when notifications sent it: queued jobs and the deploy tests know it by
# this name (docs/jobs.md, "Jobs across releases").
@app.task(name="notifications.send_booking_confirmation", retry=OUTSIDE_SERVICE_RETRY)
def send_booking_confirmation(booking_id: int) -> None:
    send_once(
        kind=emails.BOOKING_CONFIRMATION, object_id=booking_id, build=emails.booking_confirmation
    )


def on_booking_created(*, booking_id: int, **signal: object) -> None:
    """Receives bookings' signal inside the transaction that creates the booking, so the job
    commits with it."""
    enqueue(send_booking_confirmation, booking_id=booking_id)
