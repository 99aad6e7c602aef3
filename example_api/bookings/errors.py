"""What the bookings domain refuses. HTTP statuses are chosen in example_api/api.py."""

from datetime import timedelta

from example_api.errors import DomainError, ErrorCode


class BookingEndBeforeStart(DomainError):
    code = ErrorCode.BOOKING_END_BEFORE_START
    field = "end"

    def __init__(self) -> None:
        super().__init__("end must be after start")


class BookingInPast(DomainError):
    code = ErrorCode.BOOKING_IN_PAST
    field = "start"

    def __init__(self) -> None:
        super().__init__("start must not be in the past")


class BookingTooLong(DomainError):
    code = ErrorCode.BOOKING_TOO_LONG
    field = "end"

    def __init__(self, max_duration: timedelta) -> None:
        hours = max_duration.total_seconds() / 3600
        super().__init__(f"a booking may last at most {hours:g} hours (maximum duration)")
        self.max_duration = max_duration


class BookingCapReached(DomainError):
    code = ErrorCode.BOOKING_CAP_REACHED

    def __init__(self, cap: int) -> None:
        super().__init__(f"at most {cap} active bookings per user (active booking limit)")
        self.cap = cap


class BookingOverlap(DomainError):
    code = ErrorCode.BOOKING_OVERLAP

    def __init__(self) -> None:
        super().__init__("the resource is already booked for part of this time")


class BookingNotFound(DomainError):
    code = ErrorCode.BOOKING_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("booking not found")


class ResourceNotFound(DomainError):
    code = ErrorCode.RESOURCE_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("resource not found")


class ResourceNameTaken(DomainError):
    code = ErrorCode.RESOURCE_NAME_TAKEN

    def __init__(self) -> None:
        super().__init__("a resource with this name exists")
