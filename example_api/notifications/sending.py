"""Send-once notifications, for any feature: a message about one object, of one kind, is sent
at most once after it was recorded as sent. Call it from a job (never the request), so a
failed send raises and is retried with the job's backoff.

At least once, not exactly once: a crash between the send and the record sends again on the
retry. The SentNotification row per (kind, object id) is checked before, and written after."""

from collections.abc import Callable

import structlog
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from example_api.notifications.models import SentNotification

log = structlog.get_logger(__name__)

# Builds the message about one object, or None when there is nothing to send (the object is
# gone, or has no recipient): then nothing is sent or recorded, and a later call may send.
MessageBuilder = Callable[[int], EmailMessage | None]


def send_once(*, kind: str, object_id: int, build: MessageBuilder) -> bool:
    """Send `build(object_id)` unless this kind was sent for this object already; True if this
    call sent it."""
    if SentNotification.objects.filter(kind=kind, object_id=object_id).exists():
        return False
    message = build(object_id)
    if message is None:
        log.info("notification not sent", kind=kind, object_id=object_id, reason="no message")
        return False
    message.send()
    try:
        with transaction.atomic():
            SentNotification.objects.create(kind=kind, object_id=object_id)
    except IntegrityError:
        pass  # a concurrent run recorded it first
    log.info("notification sent", kind=kind, object_id=object_id)
    return True
