"""Resources and bookings endpoints. Parse, authorize, call a service, map the answer; and the
HTTP status of each of the bookings domain's errors."""

from http import HTTPStatus

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from example_api.accounts.auth import principal_of, user_id_of
from example_api.accounts.errors import StaffOnly, UserNotFound
from example_api.bookings import selectors, services
from example_api.bookings.errors import (
    BookingCapReached,
    BookingEndBeforeStart,
    BookingInPast,
    BookingNotFound,
    BookingOverlap,
    BookingTooLong,
    ResourceNameTaken,
    ResourceNotFound,
)
from example_api.bookings.models import Booking, Resource
from example_api.bookings.schemas import (
    BookingFilters,
    BookingIn,
    BookingOut,
    ResourceIn,
    ResourceOut,
)
from example_api.errors import DomainError
from example_api.idempotency.api import IDEMPOTENT, idempotent
from example_api.pagination import LimitOffset
from example_api.schemas import MAX_ID, errors

router = Router(tags=["bookings"])

# Each of this app's domain errors and the status that answers it (the project merges every
# app's table: example_api/api.py). 422: a rule refused well-formed input.
ERROR_STATUS: dict[type[DomainError], int] = {
    BookingEndBeforeStart: 422,
    BookingInPast: 422,
    BookingTooLong: 422,
    BookingCapReached: 422,
    BookingOverlap: 409,
    BookingNotFound: 404,
    ResourceNotFound: 404,
    ResourceNameTaken: 409,
}


def _visible_booking_or_404(request: HttpRequest, booking_id: int) -> Booking:
    booking = selectors.visible_booking(viewer=principal_of(request), booking_id=booking_id)
    if booking is None:
        raise BookingNotFound()
    return booking


@router.get("/resources/", response={200: list[ResourceOut], **errors(401, 422)})
@paginate(LimitOffset)
def list_resources(request: HttpRequest) -> "QuerySet[Resource]":
    return selectors.resources()


@router.post(
    "/resources/",
    response={201: ResourceOut, **errors(400, 401, 403, 409, 413, 422)},
    summary="Create a resource (staff only)",
)
def create_resource(request: HttpRequest, payload: ResourceIn) -> Status[object]:
    if not principal_of(request).is_staff:
        raise StaffOnly("create resources")
    resource = services.create_resource(name=payload.name, description=payload.description)
    return Status(HTTPStatus.CREATED, resource)


@router.post(
    "/bookings/",
    response={201: BookingOut, **errors(400, 401, 404, 409, 413, 422)},
    summary="Book a resource for [start, end)",
    openapi_extra=IDEMPOTENT,
)
@idempotent(owner=user_id_of)
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[object]:
    booking = services.create_booking(
        user_id=principal_of(request).user_id,
        resource_id=payload.resource_id,
        start=payload.start,
        end=payload.end,
        note=payload.note,
    )
    return Status(HTTPStatus.CREATED, booking)


@router.get("/bookings/{booking_id}/", response={200: BookingOut, **errors(401, 404, 422)})
def get_booking(request: HttpRequest, booking_id: int = Path(..., ge=1, le=MAX_ID)) -> object:
    return _visible_booking_or_404(request, booking_id)


@router.delete("/bookings/{booking_id}/", response={204: None, **errors(401, 404, 422)})
def cancel_booking(
    request: HttpRequest, booking_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[None]:
    services.cancel_booking(booking=_visible_booking_or_404(request, booking_id))
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get(
    "/users/{user_id}/bookings/",
    response={200: list[BookingOut], **errors(401, 404, 422)},
    summary="A user's bookings, newest start first",
)
@paginate(LimitOffset)
def list_user_bookings(
    request: HttpRequest,
    filters: Query[BookingFilters],
    user_id: int = Path(..., ge=1, le=MAX_ID),
) -> "QuerySet[Booking]":
    if not selectors.can_list_bookings_of(viewer=principal_of(request), user_id=user_id):
        raise UserNotFound()
    return selectors.bookings_of_user(
        user_id=user_id,
        status=filters.status,
        starts_after=filters.starts_after,
        starts_before=filters.starts_before,
    )
