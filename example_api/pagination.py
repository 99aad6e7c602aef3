"""Limit/offset pages shaped `{items, count}`, as API.md specifies."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

MAX_OFFSET = 2**31 - 1

M = TypeVar("M", bound=Model)


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="Page size, 1..100")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


def paginate(queryset: "QuerySet[M]", page: PageParams) -> dict[str, Any]:
    return {
        "items": list(queryset[page.offset : page.offset + page.limit]),
        "count": queryset.count(),
    }
