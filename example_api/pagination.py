"""Limit/offset pages shaped `{items, count}`, through Ninja's own pagination (`@paginate`).

Ninja's LimitOffsetPagination has no upper bound on `offset` (a huge one would overflow the
database's OFFSET, a 500), so this is a PaginationBase with the API's own parameters."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.pagination import PaginationBase
from pydantic import Field

MAX_OFFSET = 2**31 - 1


class PageParams(PaginationBase.Input):
    limit: int = Field(20, ge=1, le=100, description="Page size, 1..100")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


class LimitOffset(PaginationBase):
    # Named on its own so the OpenAPI component keeps its name (a nested class would be
    # "Input"); mypy wants a nested class here, where Ninja takes any subclass of it.
    Input = PageParams  # type: ignore[assignment]

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: PageParams, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start = pagination.offset
        return {
            "items": queryset[start : start + pagination.limit],
            "count": queryset.count(),
        }
