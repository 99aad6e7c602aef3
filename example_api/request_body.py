"""Request bodies as granian hands them over, made whole for Django (issue 28, defect 7).

granian's `wsgi.input` streams the body from the connection as the app reads it; it sets
CONTENT_LENGTH only when the client sent Content-Length, and `wsgi.input_terminated` on
every request (the stream ends where the body ends). Django trusts CONTENT_LENGTH alone,
so a body without a length (`Transfer-Encoding: chunked`; HTTP/2 without Content-Length)
was read by Django as empty. Such a body is read here first, at most
DATA_UPLOAD_MAX_MEMORY_SIZE + 1 bytes, and handed on with its length: Django parses it, or
refuses one over the limit as it refuses a long Content-Length (RequestDataTooBig, the
API's JSON 413).

Any other request passes straight through.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Protocol
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings


class Body(Protocol):
    """What is used of `wsgi.input`: read(size), which gives b"" once the body has ended."""

    def read(self, size: int = ..., /) -> bytes: ...


def complete_bodies(app: WSGIApplication) -> WSGIApplication:
    """`app`, its requests' bodies readable by length."""
    # Read once: settings do not change while serving, and each access costs about 1 µs.
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if "CONTENT_LENGTH" not in environ and (
            "HTTP_TRANSFER_ENCODING" in environ or environ["SERVER_PROTOCOL"] == "HTTP/2"
        ):
            body = read_at_most(environ["wsgi.input"], limit)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = BytesIO(body)
        return app(environ, start_response)

    return application


def read_at_most(stream: Body, limit: int | None) -> bytes:
    """The body up to its end, or its first `limit` + 1 bytes (one more than allowed)."""
    if limit is None:
        return stream.read()
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        part = stream.read(limit + 1 - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)
