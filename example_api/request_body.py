"""Request bodies as granian hands them over, made whole for Django (issue 28, defects 4, 7).

granian's `wsgi.input` streams the body from the connection as the app reads it; it sets
CONTENT_LENGTH only when the client sent Content-Length, and `wsgi.input_terminated` on
every request (the stream ends where the body ends). Django trusts CONTENT_LENGTH alone,
and reads only when a view asks. Two gaps follow, closed here around the WSGI application:

- A body without a length (`Transfer-Encoding: chunked`; HTTP/2 without Content-Length)
  was read by Django as empty. It is read here first, at most DATA_UPLOAD_MAX_MEMORY_SIZE + 1
  bytes, and handed on with its length: Django parses it, or refuses one over the limit
  as it refuses a long Content-Length (RequestDataTooBig, the API's JSON 413).
- A body nobody read (an answer that came first: 401, 404, 405, 413) stays on the
  connection; granian then drops the connection after the answer, mostly without saying
  so, and the client's next request on it gets no answer. So when the app answers, the
  rest of a body Django would accept (DATA_UPLOAD_MAX_MEMORY_SIZE) is read, and the
  connection stays usable; of a longer one nothing more is read, and the answer says
  `Connection: close` (granian then closes the connection; the client opens a new one).

A request without a body passes straight through; one with Content-Length costs one read
of an ended stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO
from types import TracebackType
from typing import Protocol
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings


class Body(Protocol):
    """What is used of `wsgi.input`: read(size), which gives b"" once the body has ended."""

    def read(self, size: int = ..., /) -> bytes: ...


ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]
_CLOSE = ("Connection", "close")


def complete_bodies(app: WSGIApplication) -> WSGIApplication:
    """`app`, its requests' bodies readable by length and never left on the connection."""
    # Read once: settings do not change while serving, and each access costs about 1 µs.
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH")
        if length is None:
            if "HTTP_TRANSFER_ENCODING" not in environ and environ["SERVER_PROTOCOL"] != "HTTP/2":
                return app(environ, start_response)  # HTTP/1 without either header: no body
        elif length in ("", "0"):
            return app(environ, start_response)
        stream: Body = environ["wsgi.input"]
        if length is not None:
            # Django refuses a longer one unread: reading it here would only delay the
            # refusal, so the connection closes instead. (granian checked it is a number.)
            drain = limit is None or int(length) <= limit
        else:
            body = read_at_most(stream, limit)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = BytesIO(body)
            if limit is None or len(body) <= limit:
                return app(environ, start_response)  # all of it read: nothing left behind
            drain = False

        def start(
            status: str, headers: list[tuple[str, str]], exc_info: ExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            # Django calls it once the view has answered: what it left unread is read now.
            # (HTTP/2 has no Connection header: there the stream ends, not the connection.)
            http1 = environ["SERVER_PROTOCOL"].startswith("HTTP/1")
            if not (drain and drained(stream)) and http1:
                headers = [*headers, _CLOSE]
            return start_response(status, headers, exc_info)

        return app(environ, start)

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


def drained(stream: Body) -> bool:
    """Reads the stream to its end (bounded by its Content-Length); False if that failed."""
    try:
        while stream.read(64 * 1024):
            pass
    except OSError:
        return False
    return True
