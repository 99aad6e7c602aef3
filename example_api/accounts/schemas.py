from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

from example_api.schemas import InputSchema, NoNul


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError("is not a valid email address") from None
    return value


Username = Annotated[str, StringConstraints(max_length=150, pattern=r"^[\w.@+-]+$"), NoNul]
Email = Annotated[
    str,
    StringConstraints(max_length=254),
    NoNul,
    AfterValidator(_valid_email),
    Field(json_schema_extra={"format": "email"}),
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=128), NoNul]


class RegisterIn(InputSchema):
    username: Username
    email: Email
    password: Password


class UserOut(Schema):
    id: int
    username: str
    email: str


class MeOut(UserOut):
    is_staff: bool


class TokenIn(InputSchema):
    # Any string may be tried; only a wrong one costs a failed attempt.
    username: Annotated[str, StringConstraints(min_length=1, max_length=150), NoNul]
    password: Password


class TokenOut(Schema):
    token: str
    expires_at: datetime
