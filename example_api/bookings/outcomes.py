"""What became of each booking request, counted where the domain decides (the booking
outcomes metric, docs/operations.md):

- created: a receiver of `booking_created`, counted once the booking's transaction commits;
- conflict: BookingOverlap, from the service's precheck or the exclusion constraint;
- refused: any other domain error of create_booking (a rule of rules.py, an unknown
  resource), labelled with its error code."""

from django.db import transaction
from prometheus_client import Counter

from example_api.bookings.errors import BookingOverlap
from example_api.errors import DomainError
from example_api.metrics.instruments import REGISTRY

BOOKING_OUTCOMES = Counter(
    "slipway_booking_outcomes",
    "What became of booking requests: created, conflict, or refused with an error code.",
    ["outcome", "code"],
    registry=REGISTRY,
)

_CREATED = BOOKING_OUTCOMES.labels("created", "")


def count_created(**kwargs: object) -> None:
    """`booking_created` receiver (connected in apps.py); the signal is sent inside the
    transaction, which may still roll back."""
    transaction.on_commit(_CREATED.inc)


def count_refused(error: DomainError) -> None:
    outcome = "conflict" if isinstance(error, BookingOverlap) else "refused"
    BOOKING_OUTCOMES.labels(outcome, error.code.value).inc()
