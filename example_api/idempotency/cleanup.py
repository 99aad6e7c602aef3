"""Deleting idempotency keys past their time (services.py keeps them)."""

from django.utils import timezone

from example_api.idempotency.models import IdempotencyKey


def prune() -> int:
    """Delete expired keys. Idempotent: a second run deletes nothing more."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
