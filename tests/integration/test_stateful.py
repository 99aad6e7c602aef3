"""A stateful property test: random sequences of create / cancel / list through the API,
checked after every step against a plain in-memory model and the database."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from example_api.accounts.models import ApiToken, User
from example_api.bookings.models import Booking, Resource
from example_api.bookings.rules import overlaps
from tests.client import ApiClient
from tests.domain_support import BOOKINGS, booking_body, booking_url, user_bookings_url
from tests.factories import create_user, future, issue_token
from tests.integration.invariants import overlapping_confirmed_pairs

pytestmark = pytest.mark.django_db

SLOT = timedelta(minutes=30)
DAY0 = future()


@dataclass
class Expected:
    owner: int
    resource: int
    start: datetime
    end: datetime
    status: str = "confirmed"


class BookingMachine(RuleBasedStateMachine):
    bookings = Bundle("bookings")

    def __init__(self) -> None:
        super().__init__()
        Booking.objects.all().delete()
        ApiToken.objects.all().delete()
        Resource.objects.all().delete()
        User.objects.all().delete()
        self.api = ApiClient()
        self.users = [create_user(f"u{i}") for i in range(2)]
        self.tokens = [issue_token(user) for user in self.users]
        self.resources = [Resource.objects.create(name=f"r{i}").pk for i in range(2)]
        self.model: dict[int, Expected] = {}

    @rule(
        target=bookings,
        who=st.integers(0, 1),
        resource=st.integers(0, 1),
        slot=st.integers(0, 12),
        length=st.integers(1, 4),
    )
    def create(self, who: int, resource: int, slot: int, length: int) -> int:
        start = DAY0 + slot * SLOT
        end = start + length * SLOT
        resource_id = self.resources[resource]
        clash = any(
            b.resource == resource_id
            and b.status == "confirmed"
            and overlaps(b.start, b.end, start, end)
            for b in self.model.values()
        )
        response = self.api.post(
            BOOKINGS, booking_body(resource_id, start, end - start), token=self.tokens[who]
        )
        assert response.status_code == (409 if clash else 201), response.content
        if clash:
            return -1
        booking_id = response.json()["id"]
        self.model[booking_id] = Expected(self.users[who].pk, resource_id, start, end)
        return booking_id

    @rule(booking=consumes(bookings), who=st.integers(0, 1))
    def cancel(self, booking: int, who: int) -> None:
        if booking < 0:
            return
        response = self.api.delete(booking_url(booking), token=self.tokens[who])
        if self.model[booking].owner == self.users[who].pk:
            assert response.status_code == 204
            self.model[booking].status = "cancelled"
        else:
            assert response.status_code == 404

    @rule(who=st.integers(0, 1), status=st.sampled_from([None, "confirmed", "cancelled"]))
    def list_own(self, who: int, status: str | None) -> None:
        user_id = self.users[who].pk
        query = f"?limit=100&status={status}" if status else "?limit=100"
        body = self.api.get(user_bookings_url(user_id, query), token=self.tokens[who]).json()
        expected = {
            pk for pk, b in self.model.items() if b.owner == user_id and status in (None, b.status)
        }
        assert {item["id"] for item in body["items"]} == expected
        assert body["count"] == len(expected)
        starts = [item["start"] for item in body["items"]]
        assert starts == sorted(starts, reverse=True)

    @invariant()
    def database_matches_model(self) -> None:
        rows = {b.pk: (b.user_id, b.resource_id, b.status) for b in Booking.objects.all()}
        assert rows == {pk: (b.owner, b.resource, b.status) for pk, b in self.model.items()}
        assert overlapping_confirmed_pairs() == 0


def test_booking_state_machine():
    run_state_machine_as_test(
        BookingMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
