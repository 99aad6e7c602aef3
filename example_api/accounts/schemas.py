import re
from datetime import datetime
from typing import Annotated

from django.conf import settings
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


def _valid_username(value: str) -> str:
    # Python's re, as Django's username validator and the fuzzer read the pattern (pydantic's
    # own regex engine has another idea of \w); fullmatch, so no trailing newline slips by.
    if not re.fullmatch(r"[\w.@+-]+", value):
        raise ValueError("may contain only letters, digits and @ . + - _")
    return value


Username = Annotated[
    str,
    StringConstraints(max_length=150),
    AfterValidator(_valid_username),
    Field(json_schema_extra={"pattern": r"^[\w.@+-]+$"}),
]
# Django's validator also wants the domain to end in a top-level domain of two or more
# letters (`a@b.c` is RFC-valid, yet refused): the pattern tells the document, and no NUL.
EMAIL_PATTERN = r"^[^\x00]*\.[A-Za-z]{2,63}$"
Email = Annotated[
    str,
    StringConstraints(max_length=254, pattern=EMAIL_PATTERN),
    AfterValidator(_valid_email),
    Field(json_schema_extra={"format": "email"}),
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=128), NoNul]


class RegisterIn(InputSchema):
    username: Username
    email: Email
    # Shorter ones are weak_password (Django's validators, which also refuse common, numeric
    # and username-like passwords): the length is the one rule a schema can say.
    password: Annotated[Password, Field(min_length=settings.PASSWORD_MIN_LENGTH)]


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
