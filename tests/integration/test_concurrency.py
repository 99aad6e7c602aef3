"""Races through the HTTP layer on real PostgreSQL: many requests released at once for one
slot must give exactly one 201, the rest 409, and never two overlapping confirmed rows."""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from example_api.bookings.models import Booking, BookingStatus, Resource
from tests.client import ApiClient
from tests.domain_support import BOOKINGS, booking_body, booking_url
from tests.factories import future, issue_token
from tests.integration.invariants import overlapping_confirmed_pairs
from tests.integration.threads import released_together

THREADS = 8
ROUNDS = 6

pytestmark = pytest.mark.django_db(transaction=True)


def release_together(calls: list[Callable[[], int]]) -> Counter[int]:
    """Run every call in its own thread, all released by one barrier; count status codes."""
    return Counter(released_together(calls))


@pytest.fixture
def racers(make_user):
    """One user and token per thread, so per-user locking cannot serialize the race."""
    return [issue_token(make_user()) for _ in range(THREADS)]


def cancel_booking(token: str, booking_id: int) -> Callable[[], int]:
    return lambda: ApiClient().delete(booking_url(booking_id), token=token).status_code


def post_booking(token: str, resource_id: int, start, hours: float) -> Callable[[], int]:
    body = booking_body(resource_id, start, timedelta(hours=hours))
    return lambda: ApiClient().post(BOOKINGS, body, token=token).status_code


def conflicts_caught_by_constraint(caplog) -> int:
    return sum(
        1
        for record in caplog.records
        if isinstance(record.msg, dict) and record.msg.get("caught_by") == "constraint"
    )


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_overlapping_requests_for_one_slot_give_exactly_one_booking(
    racers, round_number, caplog, capsys
):
    caplog.set_level("INFO", logger="example_api.bookings.services")
    resource = Resource.objects.create(name=f"Contested {round_number}")
    start = future(24 * round_number)
    # Same slot, shifted by a few minutes each: every pair overlaps.
    calls = [
        post_booking(token, resource.pk, start + timedelta(minutes=5 * i), hours=1)
        for i, token in enumerate(racers)
    ]
    statuses = release_together(calls)
    assert statuses == Counter({201: 1, 409: THREADS - 1})
    assert Booking.objects.filter(resource=resource).count() == 1
    assert overlapping_confirmed_pairs() == 0
    with capsys.disabled():
        print(
            f"\n  race round {round_number}: {THREADS} concurrent POSTs -> "
            f"{ {int(k): v for k, v in statuses.items()} }, "
            f"{conflicts_caught_by_constraint(caplog)} of the 409s from the exclusion constraint"
        )


def test_cancel_then_rebook_race_never_double_books(racers, make_user):
    resource = Resource.objects.create(name="Rebooked")
    owner = make_user()
    start = future()
    for round_number in range(ROUNDS):
        slot = start + timedelta(days=round_number)
        booking = Booking.objects.create(
            user=owner, resource=resource, start=slot, end=slot + timedelta(hours=1)
        )
        owner_token = issue_token(owner)
        cancel = cancel_booking(owner_token, booking.pk)
        calls = [cancel] + [post_booking(t, resource.pk, slot, hours=1) for t in racers]
        statuses = release_together(calls)
        assert statuses[204] == 1
        assert statuses[201] <= 1  # at most one rebooking wins, once the slot is free
        assert statuses[201] + statuses[409] == THREADS
        assert sum(statuses.values()) == THREADS + 1
        confirmed = Booking.objects.filter(resource=resource, status=BookingStatus.CONFIRMED)
        assert confirmed.filter(start=slot).count() == statuses[201]
        assert overlapping_confirmed_pairs() == 0


def test_the_per_user_cap_holds_under_concurrency(make_user, settings):
    settings.BOOKING_MAX_ACTIVE_PER_USER = 3
    token = issue_token(make_user())
    resources = [Resource.objects.create(name=f"Cap {i}") for i in range(THREADS)]
    start = future()
    statuses = release_together([post_booking(token, r.pk, start, hours=1) for r in resources])
    assert statuses == Counter({201: 3, 422: THREADS - 3})
