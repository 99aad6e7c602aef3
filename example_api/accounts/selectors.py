"""Reads for accounts."""

import hashlib

from django.utils import timezone

from example_api.accounts.models import ApiToken


def hash_token(raw_token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough (no need for a slow KDF).
    return hashlib.sha256(raw_token.encode()).hexdigest()


def active_token(raw_token: str) -> ApiToken | None:
    """The live token (not expired, not revoked, user active) with its user, or None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=hash_token(raw_token),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
