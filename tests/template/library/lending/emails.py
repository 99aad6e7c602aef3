"""The loan confirmation: plain text, built from the loan alone."""

from django.conf import settings
from django.core.mail import EmailMessage

from example_api.lending.models import Loan

# The kind recorded in SentNotification: stored in rows, so never renamed.
LOAN_CONFIRMATION = "loan_confirmation"


def loan_confirmation(loan_id: int) -> EmailMessage | None:
    """The confirmation of the loan, or None when it is gone or its user has no address."""
    loan = Loan.objects.select_related("title", "user").filter(pk=loan_id).first()
    if loan is None or not loan.user.email:
        return None
    return EmailMessage(
        subject=f"On loan: {loan.title.name}",
        body=f"Due back: {loan.end.isoformat()}\nLoan id: {loan.pk}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[loan.user.email],
    )
