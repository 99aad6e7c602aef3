"""Writes of the assistant: accepting a sentence (in the request) and answering it (in the
job). The job may run twice (a retry, a redelivery): only a pending request is answered,
and only the first answer is stored, so a request never holds more than one proposal."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from example_api.accounts.errors import UserNotFound
from example_api.accounts.models import User
from example_api.assistant import prompt, proposal, upstream
from example_api.assistant.errors import (
    AssistantDisabled,
    AssistantFailure,
    AssistantInvalidOutput,
    AssistantQuotaExceeded,
)
from example_api.assistant.models import AssistantRequest, AssistantState
from example_api.bookings import selectors as bookings
from example_api.errors import DomainError
from example_api.jobs.queue import enqueue

log = structlog.get_logger(__name__)


def enabled() -> bool:
    return bool(settings.ASSISTANT_API_KEY)


def _day_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def submit(*, user_id: int, text: str, time_zone: str) -> AssistantRequest:
    if not enabled():
        raise AssistantDisabled()
    # The user's row lock makes the daily quota hold under concurrent requests.
    if User.objects.select_for_update(no_key=True).filter(pk=user_id).first() is None:
        raise UserNotFound()
    now = timezone.now()
    day_start = _day_start(now)
    used = AssistantRequest.objects.filter(user_id=user_id, created_at__gte=day_start).count()
    quota = settings.ASSISTANT_DAILY_QUOTA
    if used >= quota:
        next_day = day_start + timedelta(days=1)
        raise AssistantQuotaExceeded(
            quota=quota, retry_after=int((next_day - now).total_seconds()) + 1
        )
    request = AssistantRequest.objects.create(user_id=user_id, text=text, time_zone=time_zone)
    from example_api.assistant.tasks import answer_request

    enqueue(answer_request, request_id=request.pk)
    return request


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
            model=reply.model,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
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
