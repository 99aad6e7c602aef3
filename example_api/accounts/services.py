"""Writes for accounts: registration, login tokens, revocation."""

import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from example_api.accounts import tokens
from example_api.accounts.errors import (
    InvalidCredentials,
    LoginThrottled,
    UsernameTaken,
    WeakPassword,
)
from example_api.accounts.models import ApiToken, User
from example_api.accounts.throttle import THROTTLED_LOGINS, LoginThrottle


def register_user(*, username: str, email: str, password: str) -> User:
    user = User(username=username, email=email)
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise WeakPassword(exc.messages) from None
    # The cheap refusals first: a taken name costs one query, never a password hash.
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken()
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # lost a race with a concurrent registration
        raise UsernameTaken() from None
    return user


def issue_token(*, username: str, password: str, client_address: str) -> tuple[str, ApiToken]:
    """Check the credentials and return (raw token, stored token). The raw token is never
    stored; only its hash is."""
    # The authentication backend (backends.py) refuses a throttled login and counts failures;
    # asking first is how the API can answer 429 with Retry-After instead of a plain 401.
    retry_after = LoginThrottle(username=username, address=client_address).retry_after()
    if retry_after:
        THROTTLED_LOGINS.inc()  # refused here, so the backend below never sees it
        raise LoginThrottled(retry_after)
    user = authenticate(username=username, password=password, client_address=client_address)
    if user is None:
        raise InvalidCredentials()
    raw_token = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=tokens.hash_token(raw_token),
        expires_at=timezone.now() + settings.API_TOKEN_TTL,
    )
    return raw_token, token


def revoke_token(*, principal: tokens.Principal) -> None:
    """Log out: the token fails at once in this process; see tokens.py for the others."""
    token = ApiToken.objects.filter(pk=principal.token_id)
    key_hash = token.values_list("key_hash", flat=True).first()
    token.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if key_hash is not None:
        tokens.forget(key_hash)
