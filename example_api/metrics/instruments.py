"""The registry every metric of the app is registered on, and the platform's own metrics
(requests, their latency, their database queries). Each app defines its own metrics where it
counts (e.g. an app's outcomes.py) on REGISTRY; this module names no app. Labels
are bounded only (route templates, status classes, error codes: never a raw path, an id or a
user).

With PROMETHEUS_MULTIPROC_DIR set (`python -m example_api.serve` sets one up), each worker
process writes its values to files there and /metrics adds them up; without it (`make run`,
tests) they live in this process, in REGISTRY. Gauges that count what is happening now sum
the live processes only ("livesum")."""

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)

# No `_created` series beside each counter: twice the series for a time Prometheus knows.
disable_created_metrics()

# Single-process mode collects from here; multiprocess mode reads the files instead.
REGISTRY = CollectorRegistry(auto_describe=True)

# Up to 10 s, nginx's and the load test's time limits; fine below 100 ms, where the API
# answers, and a bound at each p99 budget of load/budgets.toml (0.8, 1.0, 1.5 s) and its
# most common p95 one (0.4 s), so an alert on them reads a bucket, not an interpolation.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.5, 3.0, 10.0)

HTTP_REQUESTS = Counter(
    "slipway_http_requests",
    "HTTP requests answered, by method, route template and status class.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "slipway_http_request_duration_seconds",
    "Time from the first middleware to the response, by method, route and status class.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
HTTP_IN_FLIGHT = Gauge(
    "slipway_http_requests_in_flight",
    "Requests being handled now, by method and route template.",
    ["method", "route"],
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
DB_QUERIES = Counter(
    "slipway_db_queries",
    "Database queries run while handling requests, by route template.",
    ["route"],
    registry=REGISTRY,
)
DB_QUERY_SECONDS = Counter(
    "slipway_db_query_seconds",
    "Time spent in those queries (client side, round trip included), by route template.",
    ["route"],
    registry=REGISTRY,
)
