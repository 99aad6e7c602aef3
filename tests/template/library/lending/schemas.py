from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from example_api.schemas import Id, InputSchema, NoNul, UtcDatetime

Text = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]


class TitleIn(InputSchema):
    name: Text
    author: Annotated[str, StringConstraints(max_length=200), NoNul] = ""


class TitleOut(Schema):
    id: int
    name: str
    author: str


class LoanIn(InputSchema):
    title_id: Id
    start: UtcDatetime = Field(description="ISO 8601 with an offset; stored in UTC")
    end: UtcDatetime = Field(description="When the copy is due back")


class LoanOut(Schema):
    id: int
    title_id: int
    user_id: int
    start: UtcDatetime
    end: UtcDatetime
    returned: bool
