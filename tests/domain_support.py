"""The example domain's test support: its rows, URLs, bodies and fixtures (resources and
bookings). The platform's are in tests/factories.py, tests/endpoints.py and tests/payloads.py;
a fork that replaces the domain rewrites this module only (docs/forking.md). tests/conftest.py
star-imports it, so the names in __all__ are fixtures every test can ask for."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from example_api.accounts.models import User
from example_api.bookings.models import Booking, Resource
from tests.factories import iso
from tests.payloads import utc_z

__all__ = ["resource"]


def _api(name: str, **kwargs: object) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)


RESOURCES = _api("list_resources")  # GET lists, POST (create_resource) creates
BOOKINGS = _api("create_booking")


def booking_url(booking_id: int | str) -> str:
    """GET reads it, DELETE cancels it; a str for malformed ids."""
    return _api("get_booking", booking_id=booking_id)


def user_bookings_url(user_id: int, query: str = "") -> str:
    return _api("list_user_bookings", user_id=user_id) + query


def create_resource(name: str = "Room Ada", description: str = "6 seats") -> Resource:
    return Resource.objects.create(name=name, description=description)


def make_booking(user: User, resource: Resource, start: datetime, hours: float = 1) -> Booking:
    return Booking.objects.create(
        user=user, resource=resource, start=start, end=start + timedelta(hours=hours)
    )


def booking_body(
    resource_id: int, start: datetime, length: timedelta = timedelta(hours=1), /, **extra: Any
) -> dict[str, Any]:
    """POST /bookings/'s body for [start, start + length), plus any extra fields."""
    return {"resource_id": resource_id, "start": iso(start), "end": iso(start + length), **extra}


def booking_json(booking: Booking) -> dict[str, Any]:
    """The API's JSON for a booking, as the database holds it now."""
    booking.refresh_from_db()
    return {
        "id": booking.pk,
        "resource_id": booking.resource_id,
        "user_id": booking.user_id,
        "start": utc_z(booking.start),
        "end": utc_z(booking.end),
        "status": booking.status,
        "note": booking.note,
        "created_at": booking.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


@pytest.fixture
def resource(db: None) -> Resource:
    return create_resource()
