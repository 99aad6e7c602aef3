"""What the bookings domain refuses: its error codes and errors (their HTTP statuses are in
example_api/bookings/api.py)."""

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
    field = "end"

    def __init__(self) -> None:
        super().__init__("end must be after start")


class BookingInPast(DomainError):
    code = Code.BOOKING_IN_PAST
    field = "start"

    def __init__(self) -> None:
        super().__init__("start must not be in the past")


class BookingTooLong(DomainError):
    code = Code.BOOKING_TOO_LONG
    field = "end"

    def __init__(self, max_duration: timedelta) -> None:
        hours = max_duration.total_seconds() / 3600
        super().__init__(f"a booking may last at most {hours:g} hours (maximum duration)")
        self.max_duration = max_duration


class BookingCapReached(DomainError):
    code = Code.BOOKING_CAP_REACHED

    def __init__(self, cap: int) -> None:
        super().__init__(f"at most {cap} active bookings per user (active booking limit)")
        self.cap = cap


class BookingOverlap(DomainError):
    code = Code.BOOKING_OVERLAP

    def __init__(self) -> None:
        super().__init__("the resource is already booked for part of this time")


class BookingNotFound(DomainError):
    code = Code.BOOKING_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("booking not found")


class ResourceNotFound(DomainError):
    code = Code.RESOURCE_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("resource not found")


class ResourceNameTaken(DomainError):
    code = Code.RESOURCE_NAME_TAKEN

    def __init__(self) -> None:
        super().__init__("a resource with this name exists")
