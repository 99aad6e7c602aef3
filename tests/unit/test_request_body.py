"""The WSGI wrapper that makes granian's request bodies whole for Django
(example_api/request_body.py), with a stand-in for granian's stream and for the app; what
granian and Django do with it over real HTTP is tests/integration/test_request_body.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import WSGIRequest
from django.test import override_settings

from example_api.request_body import complete_bodies, read_at_most

LIMIT = 1000


class Stream:
    """Like granian's wsgi.input: read(size) gives what the body still has, then b""."""

    def __init__(self, body: bytes) -> None:
        self.left = BytesIO(body)
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        return self.left.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self.left.readline(size)

    @property
    def unread(self) -> int:
        return len(self.left.getbuffer()) - self.left.tell()


def environ(body: bytes = b"", *, length: bool = True, protocol: str = "HTTP/1.1") -> dict:
    env: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "SERVER_PROTOCOL": protocol,
        "wsgi.input": Stream(body),
    }
    if length:
        env["CONTENT_LENGTH"] = str(len(body))
    elif protocol.startswith("HTTP/1"):
        env["HTTP_TRANSFER_ENCODING"] = "chunked"
    return env


def serve(env: dict, view: Callable[[WSGIRequest], object] = lambda request: None) -> dict:
    """Calls the wrapped app as granian would; returns what the view returned and the
    headers that reached start_response."""
    seen: dict[str, Any] = {}

    def app(env: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen["returned"] = view(WSGIRequest(env))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        seen["headers"] = dict(headers)
        return lambda data: None

    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT):  # Django's, and ours
        assert complete_bodies(app)(env, start_response) == [b"{}"]
    return seen


def body_of(request: WSGIRequest) -> bytes:
    return request.body


def test_a_request_without_a_body_passes_straight_through():
    env = environ(b"", length=False)
    del env["HTTP_TRANSFER_ENCODING"]
    stream = env["wsgi.input"]
    seen = serve(env)
    assert stream.reads == 0
    assert "Connection" not in seen["headers"]


def test_an_empty_body_by_content_length_passes_straight_through():
    env = environ(b"")
    seen = serve(env)
    assert env["wsgi.input"].reads == 0
    assert "Connection" not in seen["headers"]


def test_a_body_the_view_read_costs_one_more_read_and_keeps_the_connection():
    env = environ(b'{"a": 1}')
    stream = env["wsgi.input"]
    seen = serve(env, body_of)
    assert seen["returned"] == b'{"a": 1}'
    assert "Connection" not in seen["headers"]
    assert stream.reads == 2  # Django's read, then ours, at the end


def test_a_body_nobody_read_is_drained_and_the_connection_kept():
    env = environ(b"x" * LIMIT)
    seen = serve(env)
    assert env["wsgi.input"].unread == 0
    assert "Connection" not in seen["headers"]


def test_a_declared_length_over_the_limit_is_not_read_and_the_connection_closes():
    env = environ(b"x" * (LIMIT + 1))
    seen = serve(env)
    assert env["wsgi.input"].unread == LIMIT + 1
    assert seen["headers"]["Connection"] == "close"


def test_a_chunked_body_reaches_django_with_its_length():
    env = environ(b'{"a": 1}', length=False)
    seen = serve(env, body_of)
    assert seen["returned"] == b'{"a": 1}'
    assert env["CONTENT_LENGTH"] == "8"
    assert "Connection" not in seen["headers"]


def test_a_chunked_body_over_the_limit_is_too_big_for_django_and_closes_the_connection():
    env = environ(b"x" * (LIMIT + 500), length=False)

    def view(request: WSGIRequest) -> object:
        with pytest.raises(RequestDataTooBig):
            body_of(request)
        return "refused"

    seen = serve(env, view)
    assert seen["returned"] == "refused"
    assert env["CONTENT_LENGTH"] == str(LIMIT + 1)  # read one byte past the limit, no more
    assert env["wsgi.input"].getvalue() == b"x" * (LIMIT + 1)
    assert seen["headers"]["Connection"] == "close"


def test_http2_bodies_without_a_length_are_read_but_never_say_connection_close():
    short = environ(b'{"a": 1}', length=False, protocol="HTTP/2")
    assert serve(short, body_of)["returned"] == b'{"a": 1}'
    long = environ(b"x" * (LIMIT + 1), length=False, protocol="HTTP/2")
    assert "Connection" not in serve(long)["headers"]


def test_a_body_that_cannot_be_read_closes_the_connection():
    env = environ(b"x" * 10)

    def broken(size: int = -1) -> bytes:
        raise OSError("client gone")

    env["wsgi.input"].read = broken
    assert serve(env)["headers"]["Connection"] == "close"


@pytest.mark.parametrize(
    ("body", "limit", "expected"),
    [
        (b"abc", 10, b"abc"),
        (b"x" * 20, 10, b"x" * 11),
        (b"x" * 20, None, b"x" * 20),
    ],
)
def test_read_at_most_stops_one_byte_past_the_limit(body, limit, expected):
    assert read_at_most(Stream(body), limit) == expected
