from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

from example_api.bookings.models import BookingStatus
from example_api.schemas import Id, InputSchema, NoNul, UtcDatetime


def _stripped_not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


# Python's strip() and the pattern's \s agree on what whitespace is (the fuzzer reads the
# pattern with Python's re; pydantic's own strip_whitespace has another notion of it).
NOT_BLANK_PATTERN = "^[^\x00]*[^\x00\\s][^\x00]*$"
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100),
    NoNul,
    AfterValidator(_stripped_not_blank),
    Field(json_schema_extra={"pattern": NOT_BLANK_PATTERN}),
]


class ResourceIn(InputSchema):
    name: Name
    description: Annotated[str, StringConstraints(max_length=2000), NoNul] = Field(
        "", description="Empty when omitted"
    )


class ResourceOut(Schema):
    id: int
    name: str
    description: str


class BookingIn(InputSchema):
    resource_id: Id
    start: UtcDatetime = Field(description="ISO 8601 with an offset; stored in UTC")
    end: UtcDatetime = Field(description="Exclusive: [start, end)")
    note: Annotated[str, StringConstraints(max_length=500), NoNul] = Field(
        "", description="Empty when omitted"
    )


class BookingOut(Schema):
    id: int
    resource_id: int
    user_id: int
    start: datetime
    end: datetime
    status: BookingStatus
    note: str
    created_at: datetime


class BookingFilters(Schema):
    status: BookingStatus | None = None
    starts_after: UtcDatetime | None = Field(None, description="Inclusive lower bound on start")
    starts_before: UtcDatetime | None = Field(None, description="Exclusive upper bound on start")
