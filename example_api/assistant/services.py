"""Writes of the assistant: accepting a sentence (in the request) and answering it (in the
job). The job may run twice (a retry, a redelivery): only a pending request is answered,
and only the first answer is stored, so a request never holds more than one proposal."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from example_api.accounts.errors import UserNotFound
from example_api.accounts.models import User
from example_api.assistant.errors import (
    AssistantDisabled,
    AssistantQuotaExceeded,
    UnknownTimeZone,
)
from example_api.assistant.models import AssistantRequest
from example_api.assistant.tasks import answer_request
from example_api.jobs.queue import enqueue
from example_api.llm import quota
from example_api.llm.failures import QuotaSpent

log = structlog.get_logger(__name__)


def enabled() -> bool:
    return bool(settings.ASSISTANT_API_KEY)


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@transaction.atomic
def submit(*, user_id: int, text: str, time_zone: str) -> AssistantRequest:
    if not enabled():
        raise AssistantDisabled()
    if not _known_zone(time_zone):
        raise UnknownTimeZone()
    # The user's row lock makes the daily quota hold under concurrent requests.
    if User.objects.select_for_update(no_key=True).filter(pk=user_id).first() is None:
        raise UserNotFound()
    now = timezone.now()
    today = AssistantRequest.objects.filter(user_id=user_id, created_at__gte=quota.day_start(now))
    try:
        quota.check_daily(used=today.count(), limit=settings.ASSISTANT_DAILY_QUOTA, now=now)
    except QuotaSpent as spent:
        raise AssistantQuotaExceeded(quota=spent.limit, retry_after=spent.retry_after) from None
    request = AssistantRequest.objects.create(user_id=user_id, text=text, time_zone=time_zone)
    enqueue(answer_request, request_id=request.pk)
    return request
