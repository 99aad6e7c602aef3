"""A fixed-shape ORM read compiled to SQL once, then run with new arguments on every call.

Django builds and compiles a queryset's SQL each time it is evaluated. For the API's hottest
read, one booking by primary key, that was about 300 us of CPU in a 1 ms request
(`python -m load.profile_endpoints`). A CompiledQuery keeps what the ORM gives (its SQL for
the current database, its value converters, model loading through `Model.from_db`) and pays
for the compilation once per database: the queryset is built with distinctive placeholder
integers, and where they appear in the compiled parameters says where each call's
arguments go.

Only for plain model reads with integer arguments (ids): no select_related, no annotations.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# Far outside real ids (and within bigint), so a placeholder is never confused with a value.
_PLACEHOLDER_BASE = 7_340_000_000_000_000_000


@dataclass(frozen=True)
class _Compiled(Generic[M]):
    model: type[M]
    sql: str
    argument_order: tuple[str, ...]  # which argument goes to each %s, in order
    field_names: tuple[str, ...]  # the attnames of the selected columns, in order
    converters: tuple[tuple[int, tuple[list[Any], Any]], ...]  # column -> (functions, expr)


class CompiledQuery(Generic[M]):
    """`CompiledQuery(lambda booking_id: Booking.objects.filter(pk=booking_id))`, then
    `.first(booking_id=7)`: the parameter names of the builder are the argument names."""

    def __init__(self, build: Callable[..., "QuerySet[M]"]) -> None:
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        self._compiled: dict[tuple[str, str], _Compiled[M]] = {}

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **arguments: int) -> M | None:
        """The first row as a model instance, or None."""
        if set(arguments) != set(self._names):
            raise TypeError(f"expected arguments {self._names}, got {tuple(arguments)}")
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor)) or self._compile(using)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [arguments[name] for name in compiled.argument_order])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for position, (functions, expression) in compiled.converters:
            for convert in functions:
                values[position] = convert(values[position], expression, connection)
        return compiled.model.from_db(using, compiled.field_names, values)

    def _compile(self, using: str) -> _Compiled[M]:
        placeholders = {name: _PLACEHOLDER_BASE + i for i, name in enumerate(self._names)}
        queryset = self._build(**placeholders)[:1]
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in placeholders.items()}
        if any(param not in by_value for param in params):
            raise ValueError(f"only placeholder parameters can be compiled: {params!r}")
        columns = [column for column, _sql, _alias in compiler.select]
        field_names = tuple(columns[i].target.attname for i in compiler.klass_info["select_fields"])
        if len(field_names) != len(columns):
            raise ValueError("only plain model reads can be compiled (no joins or annotations)")
        converters = compiler.get_converters(columns)
        compiled = _Compiled(
            model=queryset.model,
            sql=sql,
            argument_order=tuple(by_value[param] for param in params),
            field_names=field_names,
            converters=tuple(converters.items()),
        )
        self._compiled[(using, connections[using].vendor)] = compiled
        return compiled
