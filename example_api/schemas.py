"""Field types and schemas shared by the apps' request and response schemas."""

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

if TYPE_CHECKING:
    # Merged from the installed apps when imported: the type checker sees some StrEnum.
    from enum import StrEnum as ErrorCode
else:
    from example_api.error_catalog import ErrorCode

MAX_ID = 2**63 - 1  # PostgreSQL bigint; larger numbers are malformed ids, not unknown ones


NO_NUL_PATTERN = "^[^\x00]*$"


def _reject_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; say so as a validation error, not a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# RFC 3339, as `format: date-time` means it. Without this, pydantic would also take numbers
# (`starts_before=0.5` as a Unix time), dates without seconds and other forms no client
# generated from the document expects the API to understand.
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _rfc3339_text(value: object) -> object:
    if isinstance(value, datetime):  # from Python callers, not from the wire
        return value
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with an offset, e.g. 2030-01-01T09:00:00Z")
    return value


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


class _NoNul:
    """Refuses NUL with a clear message, and tells the document (a `pattern`) unless the
    string has a pattern of its own (which then must exclude NUL)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_reject_nul, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", NO_NUL_PATTERN)
        return json_schema


# Put after StringConstraints: Annotated[str, StringConstraints(...), NoNul]
NoNul = _NoNul()

UtcDatetime = Annotated[AwareDatetime, BeforeValidator(_rfc3339_text), AfterValidator(_to_utc)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def omit_defaults(schema: dict[str, Any]) -> None:
    """openapi-typescript (default options) types a property that has a `default` as always
    present. In a request body, or an error item, it may be absent: the default is said in
    the description instead, and the property stays optional."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class InputSchema(Schema):
    """Request bodies reject unknown fields, so `id`, `user_id`, `status`, `is_staff` and
    typos are refused instead of silently dropped."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=omit_defaults)


class ErrorOut(Schema):
    """Every error but 422: a message for people and a stable code for programs."""

    detail: str
    code: ErrorCode


class ValidationIssue(Schema):
    """One problem with the request: where (`loc`), what (`msg`), and its kind (`type`, a
    pydantic error type, or the rule's code when a domain rule refused the input)."""

    model_config = ConfigDict(json_schema_extra=omit_defaults)

    loc: list[str | int] = Field(description='e.g. ["body", "payload", "end"]')
    msg: str
    type: str
    ctx: dict[str, Any] = Field(
        default_factory=dict, description="Details of the error type, when it has any"
    )


class ValidationErrorOut(Schema):
    """Every 422: the input was malformed (`code` validation_error) or broke a domain rule
    (`code` names the rule, e.g. `<thing>_in_past`); `detail` lists the problems either way."""

    detail: list[ValidationIssue]
    code: ErrorCode


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error responses of an operation, for its `response=` declaration."""
    return {
        status: ValidationErrorOut if status == 422 else ErrorOut for status in sorted(statuses)
    }
