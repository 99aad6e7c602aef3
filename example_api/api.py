"""The NinjaAPI instance: routers, authentication, the host check, and one error shape for
every failure."""

from collections.abc import Callable
from functools import wraps
from typing import Any

import structlog
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from example_api.accounts.api import router as accounts_router
from example_api.accounts.auth import bearer_token
from example_api.accounts.errors import (
    InvalidCredentials,
    LoginThrottled,
    StaffOnly,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from example_api.assistant.api import router as assistant_router
from example_api.assistant.errors import (
    AssistantDisabled,
    AssistantQuotaExceeded,
    AssistantRequestNotFound,
)
from example_api.bookings.api import router as bookings_router
from example_api.bookings.errors import (
    BookingCapReached,
    BookingEndBeforeStart,
    BookingInPast,
    BookingNotFound,
    BookingOverlap,
    BookingTooLong,
    ResourceNameTaken,
    ResourceNotFound,
)
from example_api.errors import DomainError

log = structlog.get_logger(__name__)

api = NinjaAPI(
    title="Slipway example API",
    version="1.0.0",
    description="A small booking service: register, log in, book resources without overlaps.",
    auth=bearer_token,
    urls_namespace="api",
)
api.add_router("", accounts_router)
api.add_router("", bookings_router)
api.add_router("", assistant_router)


def host_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django validates the Host header against ALLOWED_HOSTS when the host is asked for,
    not on every request. Every API call asks first, before authentication and parsing: a
    bad Host raises DisallowedHost, which Django answers with its 400 (JSON under /api/,
    see ApiJsonErrorsMiddleware). The probes (/healthz, /readyz) never ask, so load
    balancers may use any address."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.get_host()
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(host_checked, mode="view")

# The one place where domain errors meet HTTP: each class's status code.
DOMAIN_ERROR_STATUS: dict[type[DomainError], int] = {
    BookingEndBeforeStart: 422,
    BookingInPast: 422,
    BookingTooLong: 422,
    BookingCapReached: 422,
    WeakPassword: 422,
    BookingOverlap: 409,
    ResourceNameTaken: 409,
    UsernameTaken: 409,
    BookingNotFound: 404,
    ResourceNotFound: 404,
    UserNotFound: 404,
    StaffOnly: 403,
    InvalidCredentials: 401,
    LoginThrottled: 429,
    AssistantRequestNotFound: 404,
    AssistantQuotaExceeded: 429,
    AssistantDisabled: 503,
}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = DOMAIN_ERROR_STATUS.get(type(exc), 400)
    detail: object = exc.message
    if isinstance(exc, WeakPassword):
        # Shaped like Ninja's 422 items and pointing at the field, so a form can show it there.
        detail = [
            {"loc": ["body", "payload", exc.field], "msg": problem, "type": exc.code}
            for problem in exc.problems
        ]
    response = api.create_response(request, {"detail": detail, "code": exc.code}, status=status)
    if isinstance(exc, LoginThrottled | AssistantQuotaExceeded):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "missing, invalid, expired or revoked token"}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "request body too large"}, status=413)


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return api.create_response(request, {"detail": "bad request"}, status=400)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never a traceback to the client; the log line carries it with the request id.
    log.exception("unhandled error", path=request.path)
    return api.create_response(request, {"detail": "internal server error"}, status=500)
