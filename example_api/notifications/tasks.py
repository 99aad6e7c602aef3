"""Notification jobs. SMTP failures raise, and the job is retried with backoff."""

from example_api.jobs.app import OUTSIDE_SERVICE_RETRY, app
from example_api.notifications import services


@app.task(name="notifications.send_booking_confirmation", retry=OUTSIDE_SERVICE_RETRY)
def send_booking_confirmation(booking_id: int) -> None:
    services.send_booking_confirmation(booking_id=booking_id)
