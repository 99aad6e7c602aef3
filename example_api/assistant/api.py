"""The booking assistant's endpoints: submit a sentence, read what became of it (answering
happens in a job; these never call the model); and the HTTP status of each of its errors."""

from http import HTTPStatus

from django.http import HttpRequest
from ninja import Path, Router, Status

from example_api.accounts.auth import principal_of, user_id_of
from example_api.assistant import selectors, services
from example_api.assistant.errors import (
    AssistantDisabled,
    AssistantQuotaExceeded,
    AssistantRequestNotFound,
    UnknownTimeZone,
)
from example_api.assistant.models import AssistantRequest, AssistantState
from example_api.assistant.schemas import AssistantRequestIn, AssistantRequestOut
from example_api.errors import DomainError
from example_api.idempotency.api import IDEMPOTENT, idempotent
from example_api.schemas import MAX_ID, errors

router = Router(tags=["assistant"])

# Each of this app's domain errors and the status that answers it (the project merges every
# app's table: example_api/api.py). Its failures (AssistantFailure) are no HTTP errors.
ERROR_STATUS: dict[type[DomainError], int] = {
    UnknownTimeZone: 422,
    AssistantDisabled: 503,  # the server's state, not the request: no assistant configured
    AssistantQuotaExceeded: 429,
    AssistantRequestNotFound: 404,
}


def _out(request: AssistantRequest) -> dict[str, object]:
    proposal = None
    if request.state == AssistantState.PROPOSED and request.resource is not None:
        proposal = {
            "resource_id": request.resource.pk,
            "resource": request.resource.name,
            "start": request.start,
            "end": request.end,
            "note": request.note,
            "conflicts": selectors.conflicts(request),
        }
    return {
        "id": request.pk,
        "state": request.state,
        "code": request.code or None,
        "proposal": proposal,
        "usage": {
            "prompt_tokens": request.prompt_tokens,
            "completion_tokens": request.completion_tokens,
        },
        "created_at": request.created_at,
    }


@router.post(
    "/assistant/requests/",
    response={202: AssistantRequestOut, **errors(400, 401, 413, 422, 429, 503)},
    summary="Ask the booking assistant for a proposal (answered later; poll the request)",
    openapi_extra=IDEMPOTENT,
)
@idempotent(owner=user_id_of)
def submit_assistant_request(request: HttpRequest, payload: AssistantRequestIn) -> Status[object]:
    created = services.submit(
        user_id=principal_of(request).user_id, text=payload.text, time_zone=payload.time_zone
    )
    return Status(HTTPStatus.ACCEPTED, _out(created))


@router.get(
    "/assistant/requests/{request_id}/",
    response={200: AssistantRequestOut, **errors(401, 404, 422)},
    summary="An assistant request: pending, proposed (never booked) or failed",
)
def get_assistant_request(
    request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, object]:
    found = selectors.own_request(user_id=principal_of(request).user_id, request_id=request_id)
    if found is None:
        raise AssistantRequestNotFound()
    return _out(found)
