"""Turning the model's text into a proposal we can stand behind: it must be one JSON object
of the schema, name a real resource and pass the booking rule. Anything else is refused
with a failure code; the text is never used in any other way."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from example_api.assistant.errors import AssistantInvalidOutput, AssistantUnknownResource
from example_api.bookings import rules
from example_api.bookings.models import Resource


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    resource: Annotated[str, StringConstraints(max_length=100)]
    start: datetime
    end: datetime
    note: Annotated[str, StringConstraints(max_length=500)]


@dataclass(frozen=True)
class Proposal:
    resource: Resource
    start: datetime
    end: datetime
    note: str


def _utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment in UTC, as a booking stores it. Local wall time is read in the user's zone
    as asked; an explicit offset is taken as given. A moment past year 9999 once in UTC (late
    on 31 December 9999 west of Greenwich) fits no datetime: the booking endpoint answers 422
    for it, and the assistant refuses it before anything is stored."""
    aware = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        raise AssistantInvalidOutput() from None


def parse(content: str, *, zone: ZoneInfo, now: datetime | None = None) -> Proposal:
    try:
        output = _Output.model_validate(json.loads(content))
    except (ValueError, ValidationError):  # JSONDecodeError is a ValueError
        raise AssistantInvalidOutput() from None
    resource = Resource.objects.filter(name__iexact=output.resource.strip()).first()
    if resource is None:
        raise AssistantUnknownResource()
    start, end = _utc(output.start, zone), _utc(output.end, zone)
    rules.check_range(start=start, end=end, now=now or timezone.now())
    return Proposal(resource=resource, start=start, end=end, note=output.note.strip())
