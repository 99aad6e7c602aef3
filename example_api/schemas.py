"""Field types and schemas shared by the apps' request and response schemas."""

from datetime import UTC, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field

MAX_ID = 2**63 - 1  # PostgreSQL bigint; larger numbers are malformed ids, not unknown ones


def _reject_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; say so as a validation error, not a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


# Put after StringConstraints: Annotated[str, StringConstraints(...), NoNul]
NoNul = AfterValidator(_reject_nul)

UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class InputSchema(Schema):
    """Request bodies reject unknown fields, so `id`, `user_id`, `status`, `is_staff` and
    typos are refused instead of silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str


class DomainErrorOut(ErrorOut):
    """A request the domain refused (example_api/errors.py)."""

    code: str = Field(description="Stable, machine-readable reason, e.g. booking_overlap")


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]
    code: str | None = Field(None, description="Set when a domain rule refused a field")


# Responses every operation with a JSON body can give: unparseable (400), too large (413),
# invalid (422). Declared so the OpenAPI document tells the truth.
BODY_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}
