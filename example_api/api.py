"""The NinjaAPI instance: the apps' routers and authentication (from settings), their error
statuses merged into one table, the host check, and one error shape for every failure."""

from collections.abc import Callable
from functools import wraps
from importlib import import_module
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from ninja.errors import AuthenticationError, HttpError, ValidationError

from example_api.error_responses import domain_error_body, error_body, validation_error_body
from example_api.errors import DomainError
from example_api.openapi import DocumentedAPI
from example_api.outages import OUTAGES
from example_api.project_apps import app_modules
from example_api.telemetry import report_unhandled  # part: telemetry

log = structlog.get_logger(__name__)

api = DocumentedAPI(
    title="Slipway example API",
    version="1.1.0",
    # The domain app says what the service is (its settings.py): this module names no domain.
    description=settings.API_DESCRIPTION,
    auth=import_string(settings.API_AUTH),
    urls_namespace="api",
)
# The apps' routers, as settings.API_ROUTERS lists them: this module names no app.
for router in settings.API_ROUTERS:
    api.add_router("", import_string(router))

# Each project app's HTTP layer (its api.py) gives the status of each of its domain errors in
# ERROR_STATUS; merged, the one table the handler answers from. An error missing from it fails
# tests/unit/test_domain_errors.py.
DOMAIN_ERROR_STATUS: dict[type[DomainError], int] = {
    error: status
    for module in app_modules(settings.PROJECT_APPS, "api")
    for error, status in getattr(import_module(module), "ERROR_STATUS", {}).items()
}
# Codes of the rules that may refuse well-formed input (a 422 that no schema can foresee).
RULE_CODES = frozenset(
    error.code.value for error, status in DOMAIN_ERROR_STATUS.items() if status == 422
)


def host_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django validates the Host header against ALLOWED_HOSTS when the host is asked for,
    not on every request. Every API call asks first, before authentication and parsing: a
    bad Host raises DisallowedHost, which Django answers with its 400 (JSON under /api/,
    see ApiResponsesMiddleware). The probes (/healthz, /readyz) never ask, so load
    balancers may use any address."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.get_host()
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(host_checked, mode="view")


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = DOMAIN_ERROR_STATUS[type(exc)]
    response = api.create_response(request, domain_error_body(exc, status), status=status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    if status == 401:  # every 401 names its scheme (RFC 9110), a failed login's too
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body(401, "missing, invalid, expired or revoked token")
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_error_body(exc.errors), status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body = error_body(exc.status_code, str(exc))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, error_body(413, "request body too large"), status=413)


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return api.create_response(request, error_body(400), status=400)


def outage(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    # A dependency is down (example_api/outages.py): passed on to Django, so that
    # ApiResponsesMiddleware answers it, the one place for every view under /api/, also for
    # what fails around an operation (a view decorator's transaction, its commit).
    raise exc


# Ninja picks the handler of the closest type, so these win over the catch-all below.
for outage_type in OUTAGES:
    api.add_exception_handler(outage_type, outage)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never a traceback to the client; the log line carries it with the request id.
    log.exception("unhandled error", path=request.path)
    report_unhandled(exc)  # part: telemetry
    return api.create_response(request, error_body(500, "internal server error"), status=500)
