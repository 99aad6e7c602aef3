"""What the planted app refuses: its own code, and how long to wait (its api.py gives the
status)."""

from enum import StrEnum

from example_api.errors import DomainError


class Code(StrEnum):
    PARCEL_HELD = "parcel_held"


class ParcelHeld(DomainError):
    code = Code.PARCEL_HELD

    def __init__(self, retry_after: int) -> None:
        super().__init__("the parcel is held at the depot; try again later")
        self.retry_after = retry_after
