"""Request-scoped middleware: request id and access log; under /api/, JSON errors, 503 for
outages, and no-store."""

import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse, JsonResponse

from example_api.error_responses import error_body
from example_api.outages import RETRY_AFTER_SECONDS, dependency_of

access_log = structlog.get_logger("example_api.access")
log = structlog.get_logger(__name__)

# Accept a caller's id (from nginx or a client) only if it is short and harmless to log.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Binds a request id to every log line of the request and returns it in X-Request-ID."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        access_log.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return response


class ApiResponsesMiddleware:
    """What every answer under /api/ carries. Any non-JSON error (405 from the router, 400
    from Django's request checks, ...) becomes `{"detail": ..., "code": ...}`, so clients only
    ever parse JSON. And Cache-Control: no-store: each answer is about one caller (a token,
    their records), so no browser, proxy or CDN may keep a copy."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/"):
            return response
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            replacement = JsonResponse(
                error_body(response.status_code), status=response.status_code
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            response = replacement
        response["Cache-Control"] = "no-store"
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """An unreachable database or Redis (example_api/outages.py) is 503 with Retry-After,
        never 500: a client can tell an outage from a bug. Not a bug, so no traceback; the
        API's operations pass theirs on to here (example_api/api.py). Anything else goes on
        to the API's or Django's own handling."""
        dependency = dependency_of(exc)
        if dependency is None or not request.path.startswith("/api/"):
            return None
        log.warning("dependency unavailable", dependency=dependency, error=repr(exc)[:200])
        body = error_body(503, "service temporarily unavailable, try again later")
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
