"""Deleting tokens that can no longer authenticate anyone."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from example_api.accounts.models import ApiToken

# Kept a day past expiry or revocation, so a support question about a fresh 401 can be
# answered from the table.
GRACE = timedelta(days=1)


def delete_dead_tokens() -> int:
    """Idempotent: running it twice deletes nothing more the second time."""
    cutoff = timezone.now() - GRACE
    deleted, _ = ApiToken.objects.filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    ).delete()
    return deleted
