"""Answering a request: ask the model, check its proposal against the real resources and
the booking rule, store the outcome. Runs in the assistant's job (tasks.py)."""

from zoneinfo import ZoneInfo

import structlog
from django.utils import timezone

from example_api.assistant import prompt, proposal, upstream
from example_api.assistant.errors import AssistantFailure, AssistantInvalidOutput
from example_api.assistant.models import AssistantRequest, AssistantState
from example_api.bookings import selectors as bookings
from example_api.errors import DomainError

log = structlog.get_logger(__name__)

# What the provider reports is stored as far as the columns hold it: a model name past the
# column's length, or a token count past PostgreSQL's integer, must not fail the job and
# leave the request pending with the day's quota spent.
MODEL_NAME_LENGTH = AssistantRequest._meta.get_field("model").max_length or 0
TOKENS_MAX = 2**31 - 1  # PositiveIntegerField: PostgreSQL's integer


def _storable(tokens: int) -> int:
    return min(max(tokens, 0), TOKENS_MAX)


def answer(*, request_id: int) -> None:
    """Ask the model about a pending request and store the outcome. Never raises for what
    the model or its provider did: every such outcome is a `failed` state with a code."""
    request = AssistantRequest.objects.filter(pk=request_id, state=AssistantState.PENDING).first()
    if request is None:
        return  # answered already, or deleted
    zone = ZoneInfo(request.time_zone)
    result: dict[str, object] = {}
    try:
        names = list(bookings.resources().values_list("name", flat=True))
        reply = upstream.ask(
            prompt.messages(
                sentence=request.text,
                resource_names=names,
                now_local=timezone.now().astimezone(zone),
            )
        )
        result.update(
            model=reply.model[:MODEL_NAME_LENGTH],
            prompt_tokens=_storable(reply.prompt_tokens),
            completion_tokens=_storable(reply.completion_tokens),
        )
        if reply.content is None:
            raise AssistantInvalidOutput()
        found = proposal.parse(reply.content, zone=zone)
        result.update(
            state=AssistantState.PROPOSED,
            resource=found.resource,
            start=found.start,
            end=found.end,
            note=found.note,
        )
    except (AssistantFailure, DomainError) as refused:
        result.update(state=AssistantState.FAILED, code=refused.code)
    stored = AssistantRequest.objects.filter(pk=request_id, state=AssistantState.PENDING).update(
        finished_at=timezone.now(), **result
    )
    # The request id, outcome and token counts only: the sentence may hold personal data.
    log.info(
        "assistant request answered",
        request_id=request_id,
        state=result["state"],
        code=result.get("code", ""),
        prompt_tokens=result.get("prompt_tokens", 0),
        completion_tokens=result.get("completion_tokens", 0),
        stored=bool(stored),
    )
