from datetime import datetime
from typing import Annotated

from django.conf import settings
from ninja import Schema
from pydantic import Field, StringConstraints

from example_api.assistant.models import AssistantState
from example_api.schemas import ErrorCode, InputSchema, NoNul

Sentence = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=settings.ASSISTANT_MAX_INPUT_CHARS
    ),
    NoNul,
]
# Whether the zone exists is the service's rule (unknown_time_zone): no schema can say it.
TimeZoneName = Annotated[str, StringConstraints(max_length=64), NoNul]


class AssistantRequestIn(InputSchema):
    text: Sentence = Field(
        description="What to book, in the user's words",
        examples=["Room Ada tomorrow 10 to 11 for the design review"],
    )
    time_zone: TimeZoneName = Field("UTC", description="The user's IANA time zone")


class ProposalOut(Schema):
    resource_id: int
    resource: str
    start: datetime
    end: datetime
    note: str
    conflicts: bool = Field(description="True if these times are already booked (checked now)")


class UsageOut(Schema):
    prompt_tokens: int
    completion_tokens: int


class AssistantRequestOut(Schema):
    id: int
    state: AssistantState
    code: ErrorCode | None = Field(None, description="Why it failed (docs/assistant.md)")
    proposal: ProposalOut | None = None
    usage: UsageOut
    created_at: datetime
