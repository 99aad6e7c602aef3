"""The app's metrics move as real requests go through (single-process mode: no
PROMETHEUS_MULTIPROC_DIR in tests), with bounded labels, and /metrics answers loopback only."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings

from example_api.accounts.tokens import resolver
from example_api.health import checks
from example_api.metrics.middleware import UNMATCHED
from tests.domain_support import BOOKINGS, booking_body, booking_url, make_booking
from tests.endpoints import HEALTHZ, ME, METRICS, READYZ, TOKEN
from tests.factories import future
from tests.scrape import scrape, value

pytestmark = pytest.mark.django_db

BOOKING_ROUTE = "api/v1/bookings/<booking_id>/"
REQUESTS = "slipway_http_requests_total"


def test_a_request_is_counted_under_its_route_template(api, alice, alice_token, resource):
    first, second = (make_booking(alice, resource, future(hours)) for hours in (1, 3))
    series = {"method": "GET", "route": BOOKING_ROUTE, "status": "2xx"}
    before = scrape(api)
    queries = []  # Django's own query log starts over with every request: count them here

    def record(run, sql, *args):
        queries.append(sql)
        return run(sql, *args)

    with connection.execute_wrapper(record):
        for booking in (first, second, first):
            assert api.get(booking_url(booking.pk), token=alice_token).status_code == 200
    after = scrape(api)
    assert value(after, REQUESTS, **series) - value(before, REQUESTS, **series) == 3
    duration = "slipway_http_request_duration_seconds_count"
    assert value(after, duration, **series) - value(before, duration, **series) == 3
    # Every query the requests ran, counted under their route; and no raw path anywhere.
    queries_run = value(after, "slipway_db_queries_total", route=BOOKING_ROUTE) - value(
        before, "slipway_db_queries_total", route=BOOKING_ROUTE
    )
    assert queries_run == len(queries) > 0
    assert value(after, "slipway_db_query_seconds_total", route=BOOKING_ROUTE) > 0
    raw = f"/{first.pk}/"
    assert not [key for key in after if any(raw in label for _, label in key[1])]


def test_latency_lands_in_buckets_up_to_the_total(api):
    api.get(HEALTHZ)
    samples = scrape(api)
    series = {"method": "GET", "route": "healthz", "status": "2xx"}
    name = "slipway_http_request_duration_seconds"
    count = value(samples, f"{name}_count", **series)
    assert value(samples, f"{name}_bucket", le="+Inf", **series) == count >= 1
    assert value(samples, f"{name}_sum", **series) > 0


def test_status_classes_and_unmatched_paths(api, alice_token):
    before = scrape(api)
    assert api.get(booking_url(999_999), token=alice_token).status_code == 404
    assert api.get("/no/such/page").status_code == 404
    assert api.post(HEALTHZ).status_code == 405
    after = scrape(api)

    def moved(**labels):
        return value(after, REQUESTS, **labels) - value(before, REQUESTS, **labels)

    assert moved(method="GET", route=BOOKING_ROUTE, status="4xx") == 1
    assert moved(method="GET", route=UNMATCHED, status="4xx") == 1
    assert moved(method="POST", route="healthz", status="4xx") == 1


def test_scrapes_are_not_counted(api):
    before = scrape(api)
    scrape(api)
    after = scrape(api)
    assert not [key for key in after if ("route", "metrics") in key[1]]
    assert {k: v for k, v in after.items() if k[0] == REQUESTS} == {
        k: v for k, v in before.items() if k[0] == REQUESTS
    }


def test_in_flight_counts_the_request_being_handled(api):
    seen = []
    gauge = "slipway_http_requests_in_flight"

    def database_check():
        seen.append(value(scrape(api), gauge, method="GET", route="readyz"))

    with mock.patch.dict(checks.CHECKS, {"database": database_check}):
        assert api.get(READYZ).status_code == 200
    assert seen == [1]
    assert value(scrape(api), gauge, method="GET", route="readyz") == 0


def test_token_cache_hits_and_misses(api, alice_token):
    name = "slipway_token_cache_lookups_total"
    layers = [("local", "hit"), ("local", "miss"), ("shared", "hit"), ("shared", "miss")]

    def counts():
        samples = scrape(api)
        return [value(samples, name, cache=c, result=r) for c, r in layers]

    start = counts()
    api.get(ME, token=alice_token)  # cold: both caches miss
    api.get(ME, token=alice_token)  # this process remembers it
    resolver.clear()
    api.get(ME, token=alice_token)  # the shared cache still has it
    moved = [now - then for now, then in zip(counts(), start, strict=True)]
    assert moved == [1, 2, 1, 1]


def test_booking_outcomes(api, alice_token, resource, django_capture_on_commit_callbacks):
    name = "slipway_booking_outcomes_total"
    outcomes = [
        ("created", ""),
        ("conflict", "booking_overlap"),
        ("refused", "booking_in_past"),
        ("refused", "resource_not_found"),
    ]

    def counts():
        samples = scrape(api)
        return [value(samples, name, outcome=o, code=c) for o, c in outcomes]

    start = counts()
    slot = booking_body(resource.pk, future())
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(BOOKINGS, slot, token=alice_token).status_code == 201
    assert api.post(BOOKINGS, slot, token=alice_token).status_code == 409
    past = booking_body(resource.pk, future() - timedelta(days=5))
    assert api.post(BOOKINGS, past, token=alice_token).status_code == 422
    unknown = booking_body(resource.pk + 1, future(48))
    assert api.post(BOOKINGS, unknown, token=alice_token).status_code == 404
    assert [now - then for now, then in zip(counts(), start, strict=True)] == [1, 1, 1, 1]


def test_a_booking_rolled_back_is_not_counted_as_created(api, alice_token, resource):
    # Without the commit (the test's transaction never commits), nothing is counted.
    name = "slipway_booking_outcomes_total"
    before = value(scrape(api), name, outcome="created", code="")
    assert api.post(BOOKINGS, booking_body(resource.pk, future()), token=alice_token).status_code
    assert value(scrape(api), name, outcome="created", code="") == before


@pytest.mark.parametrize(
    "caller",
    [
        {"REMOTE_ADDR": "203.0.113.7"},
        {"REMOTE_ADDR": "10.0.0.2"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"REMOTE_ADDR": "", "HTTP_X_REAL_IP": "203.0.113.7"},
        {"REMOTE_ADDR": "", "HTTP_FORWARDED": "for=203.0.113.7"},
        {"REMOTE_ADDR": "not-an-address"},
    ],
)
def test_metrics_are_a_404_to_anyone_but_loopback(api, caller):
    assert api.get(METRICS, **caller).status_code == 404
    assert api.post(METRICS, **caller).status_code == 404


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.0.0.53", "::1", ""])  # "": a Unix socket
def test_metrics_answer_loopback_and_the_unix_socket(api, peer):
    response = api.get(METRICS, REMOTE_ADDR=peer)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "# TYPE slipway_http_requests_total counter" in response.content.decode()
    assert api.post(METRICS, REMOTE_ADDR=peer).status_code == 405


def test_metrics_switched_off_answer_404(api, settings):
    settings.METRICS_ENABLED = False
    assert api.get(METRICS).status_code == 404


def test_metrics_are_plain_http_on_any_host(api):
    # Exempt from the HTTPS redirect and the Host check, like the probes: the loopback
    # nginx server asks over plain HTTP on the instance's socket.
    response = api.get(METRICS, headers={"Host": "10.9.9.9:8000"}, secure=False)
    assert response.status_code == 200


# >>> part jobs
def test_no_job_queue_figures_without_a_queue(api, settings):
    assert settings.JOBS_RUN_INLINE  # SQLite: jobs run inline
    assert not [key for key in scrape(api) if key[0].startswith("slipway_job")]


# <<< part jobs
@override_settings(LOGIN_MAX_FAILURES_PER_USERNAME=2)
def test_failed_and_throttled_logins_are_counted(api, alice):
    name = "slipway_login_failures_total"

    def counts():
        samples = scrape(api)
        return [value(samples, name, reason=r) for r in ("bad_credentials", "throttled")]

    start = counts()
    wrong = {"username": alice.username, "password": "not-the-password-1"}
    assert api.post(TOKEN, wrong).status_code == 401
    assert api.post(TOKEN, wrong).status_code == 401
    assert api.post(TOKEN, wrong).status_code == 429  # the throttle refuses a third
    moved = [now - then for now, then in zip(counts(), start, strict=True)]
    assert moved == [2, 1]
