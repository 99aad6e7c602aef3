"""What the bookings domain refuses. HTTP statuses are chosen in example_api/api.py."""

from datetime import timedelta

from example_api.errors import DomainError


class BookingEndBeforeStart(DomainError):
    code = "booking_end_before_start"

    def __init__(self) -> None:
        super().__init__("end must be after start")


class BookingInPast(DomainError):
    code = "booking_in_past"

    def __init__(self) -> None:
        super().__init__("start must not be in the past")


class BookingTooLong(DomainError):
    code = "booking_too_long"

    def __init__(self, max_duration: timedelta) -> None:
        hours = max_duration.total_seconds() / 3600
        super().__init__(f"a booking may last at most {hours:g} hours (maximum duration)")
        self.max_duration = max_duration


class BookingCapReached(DomainError):
    code = "booking_cap_reached"

    def __init__(self, cap: int) -> None:
        super().__init__(f"at most {cap} active bookings per user (active booking limit)")
        self.cap = cap


class BookingOverlap(DomainError):
    code = "booking_overlap"

    def __init__(self) -> None:
        super().__init__("the resource is already booked for part of this time")


class BookingNotFound(DomainError):
    code = "booking_not_found"

    def __init__(self) -> None:
        super().__init__("booking not found")


class ResourceNotFound(DomainError):
    code = "resource_not_found"

    def __init__(self) -> None:
        super().__init__("resource not found")


class ResourceNameTaken(DomainError):
    code = "resource_name_taken"

    def __init__(self) -> None:
        super().__init__("a resource with this name exists")
