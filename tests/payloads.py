"""Request bodies the tests send and response bodies they expect, built in one place."""

from datetime import datetime, timedelta
from typing import Any

from example_api.bookings.models import Booking
from tests.factories import iso


def booking_body(
    resource_id: int, start: datetime, length: timedelta = timedelta(hours=1), /, **extra: Any
) -> dict[str, Any]:
    """POST /bookings/'s body for [start, start + length), plus any extra fields."""
    return {"resource_id": resource_id, "start": iso(start), "end": iso(start + length), **extra}


def utc_z(moment: datetime) -> str:
    """How the API writes a time: UTC with a Z."""
    return moment.isoformat().replace("+00:00", "Z")


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
