"""The Idempotency-Key header of the API's creates (docs/api.md, Safe retries), and the
statuses of its errors. An app's router marks a create with `@idempotent(...)` under its
`@router.post(...)`, and declares the header with `openapi_extra=IDEMPOTENT`."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja.decorators import decorate_view

from example_api.errors import DomainError
from example_api.idempotency import services
from example_api.idempotency.errors import IdempotencyKeyInvalid, IdempotencyKeyReused

ERROR_STATUS: dict[type[DomainError], int] = {
    IdempotencyKeyInvalid: 400,
    # As the IETF's Idempotency-Key draft has it: the key is fine, the body does not match.
    IdempotencyKeyReused: 422,
}

HEADER = "Idempotency-Key"
# Visible ASCII (a UUID, a ULID, a random string); the value is the key, quotes included.
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")
IDEMPOTENT = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "description": "Makes the request safe to retry: a repeat with the same key and "
            "body (same user) gets the first successful answer and creates nothing; the same "
            "key with another body is 422 `idempotency_key_reused`. Kept "
            "IDEMPOTENCY_KEY_TTL_SECONDS (24 h). A fresh random value (a UUID) per new request.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
        }
    ]
}
_CLAIM = "_idempotency_claim"  # the row a request holds, for the transaction to settle

View = TypeVar("View", bound=Callable[..., Any])


def idempotent(owner: Callable[[HttpRequest], object] | None = None) -> Callable[[View], View]:
    """Keys belong to `owner(request)` (after authentication), or are shared by anonymous
    callers when there is none. The key is looked up after the body is validated, before the
    view runs; the view and the key's row commit in one transaction."""

    def decorate(view: View) -> View:
        @wraps(view)
        def claimed(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(HEADER)
            if key is None:
                return view(request, *args, **kwargs)
            if not _VALID_KEY.fullmatch(key):
                raise IdempotencyKeyInvalid()
            outcome = services.claim(
                owner="anonymous" if owner is None else f"user:{owner(request)}",
                operation=request.path[:200],
                key=key,
                fingerprint=services.fingerprint(request.body),
            )
            if isinstance(outcome, services.Answer):
                return HttpResponse(
                    outcome.body, status=outcome.status, content_type=outcome.content_type
                )
            setattr(request, _CLAIM, outcome)
            return view(request, *args, **kwargs)

        # Around the whole operation (Ninja's decorate_view): its answer is complete there.
        return cast(View, decorate_view(_one_transaction)(claimed))

    return decorate


def _one_transaction(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if HEADER not in request.headers:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            row = getattr(request, _CLAIM, None)
            if row is not None and 200 <= response.status_code < 300:
                services.settle(
                    row,
                    status=response.status_code,
                    body=response.content,  # type: ignore[attr-defined]
                    content_type=response["Content-Type"],
                )
            elif row is not None:
                # Refused or failed: nothing is kept, the key stays free for a corrected
                # request, and whatever the view wrote before failing is undone.
                transaction.set_rollback(True)
        return response

    return wrapped
