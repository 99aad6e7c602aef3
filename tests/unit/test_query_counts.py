"""Each endpoint's query count, pinned, so an N+1 or a lost cache shows up as a failure.

Measured with a warm token cache (the normal case: a client logs in once and makes many
requests). The first request with a token costs one more query, for the token lookup
(tests/unit/test_tokens.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from example_api.bookings.models import Resource
from tests.domain_support import (
    BOOKINGS,
    RESOURCES,
    booking_body,
    booking_url,
    make_booking,
    user_bookings_url,
)
from tests.endpoints import ME
from tests.factories import future

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(api, make_user, token_for, resource):
    user = make_user("alice", staff=True)
    token = token_for(user)
    for i in range(15):  # enough rows that a per-row query would show
        make_booking(user, resource, future(2 * i))
    Resource.objects.bulk_create(Resource(name=f"R{i}") for i in range(15))
    assert api.get(ME, token=token).status_code == 200  # warms the cache
    return api, user, token, resource


def count_queries(call) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = call()
    return status, len(queries), [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("me", 1),  # the user row: the token cache holds only the Principal
        ("list resources", 2),  # page + count
        ("get booking", 1),
        ("list own bookings", 2),  # page + count
        ("list another user's bookings as staff", 3),  # + does the user exist
        ("cancel booking", 2),  # read + update
        # lock resource, lock user, active count, overlap check, insert; plus the savepoint
        # and its release that the test's own transaction turns BEGIN/COMMIT into
        ("create booking", 7),
    ],
)
def test_query_count_per_endpoint(setup, make_user, label, expected):
    api, user, token, resource = setup
    booking_id = user.pk and resource.bookings.first().pk
    other = make_user("bob")
    start = future(24 * 30)
    calls = {
        "me": lambda: api.get(ME, token=token),
        "list resources": lambda: api.get(RESOURCES, token=token),
        "get booking": lambda: api.get(booking_url(booking_id), token=token),
        "list own bookings": lambda: api.get(user_bookings_url(user.pk), token=token),
        "list another user's bookings as staff": lambda: api.get(
            user_bookings_url(other.pk), token=token
        ),
        "cancel booking": lambda: api.delete(booking_url(booking_id), token=token),
        "create booking": lambda: api.post(BOOKINGS, booking_body(resource.pk, start), token=token),
    }
    status, count, sql = count_queries(lambda: calls[label]().status_code)
    assert status < 300
    assert count == expected, "\n".join(sql)
