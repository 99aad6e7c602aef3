"""Request metrics: count, latency and in-flight requests per route template and status
class, and the database queries each route runs. Installed first in MIDDLEWARE (when
METRICS_ENABLED), so the time covers every other middleware.

Kept lean, it runs on every request: the route is the pattern Django resolved
(`request.resolver_match.route`, e.g. "api/v1/things/<int:thing_id>/"), never the raw
path; each label set's metric children are looked up once and kept in a dict."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from example_api.metrics import instruments

Handler = Callable[[HttpRequest], HttpResponse]

# Requests no route matched (404s, CORS preflights answered before resolving).
UNMATCHED = "<unmatched>"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
STATUS_CLASSES = ("0xx", "1xx", "2xx", "3xx", "4xx", "5xx")
# Where process_view leaves the in-flight gauge it raised (WSGI allows such keys in environ).
IN_FLIGHT_KEY = "slipway.metrics.in_flight"


class QueryTally:
    """A database execute wrapper (Django's `connection.execute_wrapper`) that counts the
    queries of one request and adds up their time."""

    __slots__ = ("count", "seconds")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class _RouteSeries:
    """The children of one (method, route, status class): bound once, reused."""

    __slots__ = ("duration", "queries", "query_seconds", "requests")

    def __init__(self, method: str, route: str, status: str) -> None:
        self.requests = instruments.HTTP_REQUESTS.labels(method, route, status)
        self.duration = instruments.HTTP_DURATION.labels(method, route, status)
        self.queries = instruments.DB_QUERIES.labels(route)
        self.query_seconds = instruments.DB_QUERY_SECONDS.labels(route)


class RequestMetricsMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.skip_path = settings.METRICS_PATH  # its own scrapes are not measured
        self.series: dict[tuple[str, str, int], _RouteSeries] = {}
        self.in_flight: dict[tuple[str, str], Any] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == self.skip_path:
            return self.get_response(request)
        tally = QueryTally()
        started = time.perf_counter()
        with connection.execute_wrapper(tally):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        method = request.method if request.method in KNOWN_METHODS else "other"
        match = request.resolver_match
        route = UNMATCHED if match is None else match.route
        in_flight = request.META.pop(IN_FLIGHT_KEY, None)
        if in_flight is not None:
            in_flight.dec()
        key = (method, route, response.status_code // 100)
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = _RouteSeries(method, route, _status_class(key[2]))
        series.requests.inc()
        series.duration.observe(elapsed)
        if tally.count:
            series.queries.inc(tally.count)
            series.query_seconds.inc(tally.seconds)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        """Called once the URL is resolved, before the view: the route is known here."""
        if request.path_info == self.skip_path or request.resolver_match is None:
            return
        method = request.method if request.method in KNOWN_METHODS else "other"
        key = (method, request.resolver_match.route)
        gauge = self.in_flight.get(key)
        if gauge is None:
            gauge = self.in_flight[key] = instruments.HTTP_IN_FLIGHT.labels(*key)
        gauge.inc()
        request.META[IN_FLIGHT_KEY] = gauge  # lowered by __call__ when the response is out


def _status_class(hundreds: int) -> str:
    return STATUS_CLASSES[hundreds] if 0 <= hundreds < len(STATUS_CLASSES) else "other"
