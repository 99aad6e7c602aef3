"""The login throttle below `authenticate()`, so every login is throttled by one mechanism:
the API's token endpoint, the admin's login form and any login a fork adds."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from example_api.accounts.throttle import LOGIN_FAILURES, THROTTLED_LOGINS, LoginThrottle

_BAD_CREDENTIALS = LOGIN_FAILURES.labels("bad_credentials")


def request_address(request: HttpRequest | None) -> str:
    """The address failures are counted for (behind a proxy: CLIENT_IP_META_KEY)."""
    if request is None:
        return ""
    return str(request.META.get(settings.CLIENT_IP_META_KEY, ""))


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing a throttled username or address and counting failures.

    Callers that pass no request (a service) give `client_address=` with the credentials."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        client_address: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        address = client_address if client_address is not None else request_address(request)
        throttle = LoginThrottle(username=username, address=address)
        if throttle.retry_after():
            # authenticate() stops at PermissionDenied: no other backend is asked, it returns
            # None and sends user_login_failed. Callers that want to say why ask the throttle.
            THROTTLED_LOGINS.inc()
            raise PermissionDenied("too many failed login attempts")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _BAD_CREDENTIALS.inc()
            throttle.record_failure()
        return user
