"""Requests and SQL queries traced with OpenTelemetry and exported over OTLP/HTTP.

The SDK reads the standard variables itself: OTEL_EXPORTER_OTLP_ENDPOINT (the collector's
base URL; spans go to <it>/v1/traces), OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER,
OTEL_BSP_* (the batch processor's delay and sizes) and OTEL_RESOURCE_ATTRIBUTES.
"""

import os
from typing import Any

from django.http import HttpRequest, HttpResponse
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.django import DjangoInstrumentor
from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

# The project's package name, so that a renamed fork reports under its own name.
DEFAULT_SERVICE_NAME = __name__.split(".")[0]
# The semantic conventions' name for a captured response header.
REQUEST_ID_ATTRIBUTE = "http.response.header.x-request-id"


def start() -> None:
    service = os.environ.get("OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    # Spans leave in batches from a background thread, never on the request's time.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    # Adds its middleware to settings.MIDDLEWARE: before the WSGI handler loads it.
    DjangoInstrumentor().instrument(response_hook=tag_request_id)
    PsycopgInstrumentor().instrument()


def tag_request_id(span: Any, request: HttpRequest, response: HttpResponse) -> None:
    # Its middleware wraps ours, so the response already carries the id: a trace is found
    # from a log line or a client's report.
    if span.is_recording() and response.has_header("X-Request-ID"):
        span.set_attribute(REQUEST_ID_ATTRIBUTE, [response["X-Request-ID"]])
