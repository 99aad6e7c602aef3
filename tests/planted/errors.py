"""What the planted app refuses: its own code, status and Retry-After."""

from enum import StrEnum

from example_api.errors import DomainError


class Code(StrEnum):
    PARCEL_HELD = "parcel_held"


class ParcelHeld(DomainError):
    code = Code.PARCEL_HELD
    status = 503

    def __init__(self, retry_after: int) -> None:
        super().__init__("the parcel is held at the depot; try again later")
        self.retry_after = retry_after
