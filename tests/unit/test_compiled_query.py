"""CompiledQuery: the same rows and values as the ORM, one query per call, compiled once."""

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from example_api.bookings.models import Booking
from example_api.compiled_query import CompiledQuery
from tests.conftest import future, make_booking

pytestmark = pytest.mark.django_db

FIELDS = ("id", "resource_id", "user_id", "start", "end", "status", "note", "created_at")


def own_booking(booking_id: int, user_id: int) -> "QuerySet[Booking]":
    return Booking.objects.filter(pk=booking_id, user_id=user_id)


def test_returns_what_the_orm_returns(make_user, resource):
    alice, bob = make_user("alice"), make_user("bob")
    booking = make_booking(alice, resource, future(5))
    query = CompiledQuery(own_booking)

    found = query.first(booking_id=booking.pk, user_id=alice.pk)

    from_orm = Booking.objects.get(pk=booking.pk)
    assert isinstance(found, Booking)
    # Equal values of equal types: datetimes come back aware, through the ORM's converters.
    assert [getattr(found, f) for f in FIELDS] == [getattr(from_orm, f) for f in FIELDS]
    assert found.start.tzinfo is not None
    assert not found._state.adding  # a loaded row, so save() would UPDATE
    assert query.first(booking_id=booking.pk, user_id=bob.pk) is None
    assert query.first(booking_id=booking.pk + 1000, user_id=alice.pk) is None


def test_arguments_go_to_their_own_placeholders(make_user, resource):
    # Arguments named in the opposite order to the SQL's parameters still land right.
    alice = make_user("alice")
    booking = [make_booking(alice, resource, future(2 * i)) for i in range(alice.pk + 1)][-1]
    assert booking.pk != alice.pk  # else a swap could not show
    query = CompiledQuery(
        lambda user_id, booking_id: Booking.objects.filter(pk=booking_id, user_id=user_id)
    )
    assert query.first(user_id=alice.pk, booking_id=booking.pk) == booking


def test_compiles_once_and_costs_one_query_per_call(make_user, resource):
    alice = make_user("alice")
    bookings = [make_booking(alice, resource, future(2 * i)) for i in range(3)]
    builds = []

    def build(booking_id: int) -> "QuerySet[Booking]":
        builds.append(booking_id)
        return Booking.objects.filter(pk=booking_id)

    query = CompiledQuery(build)
    with CaptureQueriesContext(connection) as queries:
        found = [query.first(booking_id=b.pk) for b in bookings]
    assert found == bookings
    assert len(queries) == 3
    assert len(builds) == 1


def test_wrong_arguments_are_refused():
    query = CompiledQuery(own_booking)
    with pytest.raises(TypeError, match="expected arguments"):
        query.first(booking_id=1)


@pytest.mark.parametrize(
    "build",
    [
        # A constant would be baked into the SQL as if it were an argument's slot.
        lambda booking_id: Booking.objects.filter(pk=booking_id, status="confirmed"),
        # Joined columns are not loaded by from_db.
        lambda booking_id: Booking.objects.select_related("user").filter(pk=booking_id),
    ],
    ids=["constant parameter", "join"],
)
def test_shapes_it_cannot_compile_are_refused(build):
    with pytest.raises(ValueError, match="only"):
        CompiledQuery(build).first(booking_id=1)
