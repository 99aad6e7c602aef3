"""The OpenAPI document as clients need it, on top of what Django Ninja generates: short
operation ids, the headers responses carry, and only the schemas some operation uses.

`make openapi` writes it to docs/openapi.json; `make lint` fails when the two differ."""

import json
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id, as in the server's logs: the caller's own "
        "X-Request-ID when it is 1-64 of [A-Za-z0-9._-], otherwise a new one",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds until another attempt may succeed",
        "schema": {"type": "integer", "minimum": 1},
    },
    "WWW-Authenticate": {
        "description": "Always `Bearer`",
        "schema": {"type": "string"},
    },
}
# Which responses carry which header, besides X-Request-ID (on every response).
STATUS_HEADERS = {"401": ["WWW-Authenticate"], "429": ["Retry-After"], "503": ["Retry-After"]}
# Any operation answers it while the database or Redis cannot be reached (example_api/outages.py),
# so each declares it: a generated client then parses it instead of failing on the status.
OUTAGE_RESPONSE = {
    "description": "Service Unavailable",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}

NOT_DECLARED = (
    "\n\nEvery response carries `X-Request-ID`. A method a path does not list is answered "
    "405 with an `Allow` header and an error body `{detail, code: method_not_allowed}`; a "
    "path the API does not have, 404 with `code: not_found`."
)


class DocumentedAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view's name (`create_<thing>`): generated clients name their functions after it.
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["info"]["description"] += NOT_DECLARED
        schema["components"]["headers"] = HEADERS
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(503, OUTAGE_RESPONSE)
                _declare_headers(operation["responses"])
        _drop_unused_schemas(schema)
        _open_error_codes(schema["components"]["schemas"])
        return schema


OPEN_CODES = (
    "A stable, machine-readable error code. The set is open: codes are added within a major "
    "version, so accept any string, branch on the ones you know (`examples` lists those of "
    "this version), and act on the HTTP status for the others."
)


def _open_error_codes(schemas: dict[str, Any]) -> None:
    """ErrorCode as an open set: a string, its known values as `examples`, not an `enum`. A
    client generated from an enum refuses a code added after it (openapi-python-client
    raises ValueError), so every new code would break every client (docs/api.md, Errors)."""
    codes = schemas["ErrorCode"]
    known = codes.pop("enum")
    codes.update(description=OPEN_CODES, examples=known)


def _declare_headers(responses: dict[str, Any]) -> None:
    for status, response in responses.items():
        names = ["X-Request-ID", *STATUS_HEADERS.get(str(status), [])]
        response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _drop_unused_schemas(schema: OpenAPISchema) -> None:
    """Ninja also lists the models of query parameters (flattened into the operation), which
    generators would turn into classes nobody uses."""
    schemas = schema["components"]["schemas"]
    used: set[str] = set()
    pending = [json.dumps(schema["paths"])]
    while pending:
        text = pending.pop()
        for name in schemas:
            if name not in used and f'"#/components/schemas/{name}"' in text:
                used.add(name)
                pending.append(json.dumps(schemas[name]))
    for name in set(schemas) - used:
        del schemas[name]


def document(api: NinjaAPI) -> str:
    """The document as committed: stable key order, one trailing newline."""
    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"
