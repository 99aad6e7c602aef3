"""With OTEL_EXPORTER_OTLP_ENDPOINT set, one booking request to the served API arrives at a
fake OTLP collector on loopback as a span tree: the server span named by the route template,
and a child span for each SQL query, all in its trace. Reading the booking back shows that
spans are named by the template, never by the URL (one name per route, not per booking)."""

import httpx
import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from example_api.bookings.models import Booking
from tests.domain_support import BOOKINGS, booking_body, booking_url, create_resource
from tests.factories import create_user, future, issue_token
from tests.fakes.telemetry_receivers import FakeCollector
from tests.integration.served_app import database_url_of_this_worker, served_app

pytestmark = pytest.mark.django_db(transaction=True)  # the served app must see our rows


def attributes(span: Span) -> dict[str, object]:
    found: dict[str, object] = {}
    for attribute in span.attributes:
        value = attribute.value
        kind = value.WhichOneof("value")
        found[attribute.key] = (
            [item.string_value for item in value.array_value.values]
            if kind == "array_value"
            else getattr(value, kind)
        )
    return found


def server_spans(spans: list[Span], method: str) -> list[Span]:
    return [
        span
        for span in spans
        if span.kind == Span.SPAN_KIND_SERVER and attributes(span).get("http.method") == method
    ]


def test_a_booking_request_arrives_as_a_span_tree():
    token = issue_token(create_user("tracer"))
    resource = create_resource()
    env = {"DATABASE_URL": database_url_of_this_worker(), "OTEL_BSP_SCHEDULE_DELAY": "100"}
    with FakeCollector() as collector:
        with served_app({**env, "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint}) as base_url:
            bearer = {"Authorization": f"Bearer {token}"}
            body = booking_body(resource.pk, future())
            created = httpx.post(base_url + BOOKINGS, json=body, headers=bearer, timeout=20)
            (server,) = collector.wait_for(lambda: server_spans(collector.spans, "POST"))
            booking_id = created.json()["id"]
            httpx.get(base_url + booking_url(booking_id), headers=bearer, timeout=20)
            collector.wait_for(
                lambda: [s for s in server_spans(collector.spans, "GET") if "booking" in s.name]
            )
        spans = list(collector.spans)

    assert created.status_code == 201
    assert Booking.objects.filter(resource=resource).count() == 1
    route = BOOKINGS.lstrip("/")
    server_attributes = attributes(server)
    assert server.name == f"POST {route}"
    assert server_attributes["http.route"] == route
    assert server_attributes["http.status_code"] == 201
    request_id = created.headers["X-Request-ID"]
    assert server_attributes["http.response.header.x-request-id"] == [request_id]
    assert collector.service_names == {"example_api"}

    queries = [span for span in spans if span.parent_span_id == server.span_id]
    assert queries, "no child spans under the request"
    for query in queries:
        assert query.trace_id == server.trace_id
        assert query.kind == Span.SPAN_KIND_CLIENT
        assert attributes(query)["db.system"] == "postgresql"
    statements = " ".join(str(attributes(query)["db.statement"]) for query in queries)
    assert 'INSERT INTO "bookings_booking"' in statements
    # Within the request's time: the queries ran inside it, not before or after.
    for query in queries:
        assert server.start_time_unix_nano <= query.start_time_unix_nano
        assert query.end_time_unix_nano <= server.end_time_unix_nano

    (read_span,) = [s for s in server_spans(spans, "GET") if "booking" in s.name]
    read_route = attributes(read_span)["http.route"]
    assert read_route == booking_url(987654).lstrip("/").replace("987654", "<booking_id>")
    assert read_span.name == f"GET {read_route}"
