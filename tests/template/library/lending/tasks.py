"""The loan confirmation's job: send-once notifications (example_api/notifications)."""

from example_api.jobs.app import OUTSIDE_SERVICE_RETRY, app
from example_api.jobs.queue import enqueue
from example_api.lending import emails
from example_api.notifications.sending import send_once


@app.task(name="lending.send_loan_confirmation", retry=OUTSIDE_SERVICE_RETRY)
def send_loan_confirmation(loan_id: int) -> None:
    send_once(kind=emails.LOAN_CONFIRMATION, object_id=loan_id, build=emails.loan_confirmation)


def confirm(loan_id: int) -> None:
    """Called inside the transaction that lends: the job commits with the loan or not at all."""
    enqueue(send_loan_confirmation, loan_id=loan_id)
