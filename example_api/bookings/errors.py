"""What the bookings domain refuses: its error codes, and each error's HTTP status."""

from datetime import timedelta
from enum import StrEnum

from example_api.errors import DomainError


class Code(StrEnum):
    BOOKING_END_BEFORE_START = "booking_end_before_start"
    BOOKING_IN_PAST = "booking_in_past"
    BOOKING_TOO_LONG = "booking_too_long"
    BOOKING_CAP_REACHED = "booking_cap_reached"
    BOOKING_OVERLAP = "booking_overlap"
    BOOKING_NOT_FOUND = "booking_not_found"
    RESOURCE_NOT_FOUND = "resource_not_found"
    RESOURCE_NAME_TAKEN = "resource_name_taken"


class BookingEndBeforeStart(DomainError):
    code = Code.BOOKING_END_BEFORE_START
    status = 422
    field = "end"

    def __init__(self) -> None:
        super().__init__("end must be after start")


class BookingInPast(DomainError):
    code = Code.BOOKING_IN_PAST
    status = 422
    field = "start"

    def __init__(self) -> None:
        super().__init__("start must not be in the past")


class BookingTooLong(DomainError):
    code = Code.BOOKING_TOO_LONG
    status = 422
    field = "end"

    def __init__(self, max_duration: timedelta) -> None:
        hours = max_duration.total_seconds() / 3600
        super().__init__(f"a booking may last at most {hours:g} hours (maximum duration)")
        self.max_duration = max_duration


class BookingCapReached(DomainError):
    code = Code.BOOKING_CAP_REACHED
    status = 422

    def __init__(self, cap: int) -> None:
        super().__init__(f"at most {cap} active bookings per user (active booking limit)")
        self.cap = cap


class BookingOverlap(DomainError):
    code = Code.BOOKING_OVERLAP
    status = 409

    def __init__(self) -> None:
        super().__init__("the resource is already booked for part of this time")


class BookingNotFound(DomainError):
    code = Code.BOOKING_NOT_FOUND
    status = 404

    def __init__(self) -> None:
        super().__init__("booking not found")


class ResourceNotFound(DomainError):
    code = Code.RESOURCE_NOT_FOUND
    status = 404

    def __init__(self) -> None:
        super().__init__("resource not found")


class ResourceNameTaken(DomainError):
    code = Code.RESOURCE_NAME_TAKEN
    status = 409

    def __init__(self) -> None:
        super().__init__("a resource with this name exists")
