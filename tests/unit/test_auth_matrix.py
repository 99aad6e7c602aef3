"""Who may call what: every endpoint x every kind of caller, as one table.

Callers: no token, an expired token, a revoked token, another (non-staff) user, the owner of
the booking under test, and staff. Public endpoints must also ignore a bad token."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from example_api.accounts.models import ApiToken
from tests import domain_support, endpoints
from tests.domain_support import booking_body, make_booking
from tests.factories import PASSWORD, future, issue_token

CALLERS = ["none", "expired", "revoked", "other", "owner", "staff"]

# "METHOD url" (a name in url_for below) -> expected status per caller, in CALLERS order
MATRIX = {
    "DELETE token": (401, 401, 401, 204, 204, 204),
    "GET me": (401, 401, 401, 200, 200, 200),
    "GET resources": (401, 401, 401, 200, 200, 200),
    "POST resources": (401, 401, 401, 403, 403, 201),
    "POST bookings": (401, 401, 401, 201, 201, 201),
    "GET owners_booking": (401, 401, 401, 404, 200, 200),
    "DELETE owners_booking": (401, 401, 401, 404, 204, 204),
    "GET owners_bookings": (401, 401, 401, 404, 200, 200),
    "POST register": (201, 201, 201, 201, 201, 201),
    "POST token": (200, 200, 200, 200, 200, 200),
}

CASES = [
    pytest.param(endpoint, caller, expected[i], id=f"{endpoint} as {caller}")
    for endpoint, expected in MATRIX.items()
    for i, caller in enumerate(CALLERS)
]


@pytest.fixture
def world(make_user, resource):
    owner, other, staff = make_user("owner"), make_user("other"), make_user("boss", staff=True)
    booking = make_booking(owner, resource, future())
    expired = issue_token(owner, expires_in=-timedelta(seconds=1))
    revoked = issue_token(owner)
    ApiToken.objects.filter(expires_at__gt=timezone.now()).update(revoked_at=timezone.now())
    tokens = {
        "none": None,
        "expired": expired,
        "revoked": revoked,
        "other": issue_token(other),
        "owner": issue_token(owner),
        "staff": issue_token(staff),
    }
    return {"owner": owner, "booking": booking, "resource": resource, "tokens": tokens}


def url_for(name: str, world: dict) -> str:
    return {
        "token": endpoints.TOKEN,
        "me": endpoints.ME,
        "resources": domain_support.RESOURCES,
        "bookings": domain_support.BOOKINGS,
        "owners_booking": domain_support.booking_url(world["booking"].pk),
        "owners_bookings": domain_support.user_bookings_url(world["owner"].pk),
        "register": endpoints.REGISTER,
    }[name]


def body_for(endpoint: str, world: dict, caller: str) -> dict | None:
    return {
        "POST resources": {"name": f"New room for {caller}"},
        "POST bookings": booking_body(world["resource"].pk, future(48)),
        "POST register": {
            "username": f"new_{caller}",
            "email": f"new_{caller}@example.com",
            "password": PASSWORD,
        },
        "POST token": {"username": "owner", "password": PASSWORD},
    }.get(endpoint)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "caller", "expected"), CASES)
def test_auth_matrix(api, world, endpoint, caller, expected):
    method, name = endpoint.split(" ")
    response = api.request(
        method,
        url_for(name, world),
        body_for(endpoint, world, caller),
        token=world["tokens"][caller],
    )
    assert response.status_code == expected
    if expected == HTTPStatus.NO_CONTENT:
        assert response.content == b""
    else:
        body = response.json()
        if expected == HTTPStatus.UNAUTHORIZED:
            assert body == {
                "detail": "missing, invalid, expired or revoked token",
                "code": "unauthenticated",
            }
        elif expected == HTTPStatus.NOT_FOUND:
            assert set(body) == {"detail", "code"}  # nothing about the booking leaks
        elif expected == HTTPStatus.FORBIDDEN:
            assert body == {"detail": "only staff may create resources", "code": "staff_only"}
