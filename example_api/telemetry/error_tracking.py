"""Unhandled exceptions to Sentry, with the request id as a tag and no secrets.

sentry-sdk reads SENTRY_DSN and SENTRY_ENVIRONMENT (default "production") itself; the release
is the app's APP_VERSION (the deployed commit). Sentry's own tracing stays off: traces are
OpenTelemetry's (tracing.py).
"""

import logging
import os
from collections.abc import Callable
from typing import Any

import sentry_sdk
import structlog
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration


def start() -> Callable[[BaseException], object]:
    sentry_sdk.init(
        release=os.environ.get("APP_VERSION") or None,
        # No cookies, Authorization headers, user ids or client addresses; the SDK's
        # default scrubber also blanks values under names like password, token, secret.
        send_default_pii=False,
        # Request bodies carry passwords (register, log in): never sent. Nor the frames'
        # local variables: the scrubber goes by name, and the bearer token sits in one
        # called raw_token (tests/integration/test_error_tracking.py caught it).
        max_request_body_size="never",
        include_local_variables=False,
        # Only the integrations chosen here, not every one whose library is installed
        # (Redis commands, the LLM client's prompts).
        auto_enabling_integrations=False,
        integrations=[
            # Errors only: none of the SDK's own spans (traces are OpenTelemetry's), which
            # it would make around each middleware, signal receiver and cache call.
            DjangoIntegration(middleware_spans=False, signals_spans=False, cache_spans=False),
            # Log lines are breadcrumbs, events are exceptions only. Otherwise the API's
            # "unhandled error" line becomes the event (its message structlog's event
            # dict printed whole), and the exception reported after it a duplicate.
            LoggingIntegration(level=logging.INFO, event_level=None),
        ],
        before_send=tag_request_id,
        # No release-health session per request: the 5xx ratio is Prometheus' to alert on.
        auto_session_tracking=False,
    )
    return sentry_sdk.capture_exception


def tag_request_id(event: Any, hint: Any) -> Any:
    """The request id RequestIdMiddleware bound for the log lines, also returned to the
    client in X-Request-ID: an event is found from a user's report or a log line."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
