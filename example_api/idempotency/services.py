"""Idempotency keys: the first successful answer to a create, kept for the retries that carry
the same key (docs/api.md, Safe retries).

A key belongs to an owner (a user, or "anonymous") and an operation. Its row is written in
the transaction of the request it answers (api.py): it commits with what that request
created, or not at all. A retry with the same key and body gets the stored answer and runs
nothing; with another body it is refused. A concurrent repeat waits on the row's unique index
until the first request ends, then replays its answer (or, if it failed, takes the key)."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from example_api.idempotency.errors import IdempotencyKeyReused
from example_api.idempotency.models import IdempotencyKey

# A lost race (another request committed the key first) is followed by one more look.
ATTEMPTS = 3


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str


def fingerprint(body: bytes) -> str:
    """The same JSON in another key order or spacing is the same body. Keyed with
    SECRET_KEY: a registration's body holds a password, and a plain hash of it in a copy of
    the table could be guessed at."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:  # not JSON (the view refuses it; nothing is kept)
        canonical = body
    return salted_hmac("idempotency-key", canonical, algorithm="sha256").hexdigest()


def claim(*, owner: str, operation: str, key: str, fingerprint: str) -> Answer | IdempotencyKey:
    """The answer kept for this key, or the new row this request now holds (settle it).
    Runs in the request's transaction."""
    for _ in range(ATTEMPTS):
        kept = _live(owner=owner, operation=operation, key=key)
        if kept is not None:
            if kept.fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return Answer(kept.status, bytes(kept.body), kept.content_type)
        try:
            with transaction.atomic():  # a savepoint: losing the race keeps ours usable
                return IdempotencyKey.objects.create(
                    owner=owner,
                    operation=operation,
                    key=key,
                    fingerprint=fingerprint,
                    status=0,  # settled before commit: no other request ever sees a 0
                    body=b"",
                    content_type="",
                    expires_at=timezone.now() + timedelta(seconds=ttl_seconds()),
                )
        except IntegrityError:
            continue  # a request with this key committed while we waited: its answer
    raise RuntimeError(f"idempotency key {key!r} neither found nor written")


def settle(row: IdempotencyKey, *, status: int, body: bytes, content_type: str) -> None:
    """Keep the answer the key now stands for."""
    row.status, row.body, row.content_type = status, body, content_type
    row.save(update_fields=["status", "body", "content_type"])


def ttl_seconds() -> int:
    return int(settings.IDEMPOTENCY_KEY_TTL_SECONDS)


def _live(*, owner: str, operation: str, key: str) -> IdempotencyKey | None:
    row = IdempotencyKey.objects.filter(owner=owner, operation=operation, key=key).first()
    if row is not None and row.expires_at <= timezone.now():
        row.delete()  # expired, not yet pruned: the key is free again
        return None
    return row
