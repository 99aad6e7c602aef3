"""Request bodies through granian over real HTTP (issue 28, defects 7 and 4), on one kept-alive
TCP connection written by hand, as a client library would hold it (docs/api.md, Basics).

- A chunked body (Transfer-Encoding: chunked, no Content-Length) is read like any other,
  and one over DATA_UPLOAD_MAX_MEMORY_SIZE gets the same 413 as a long Content-Length.
- An answer that comes before the body was read (401 without a token, 405) leaves the
  connection usable: the next request on it is answered. One over the limit is answered
  with `Connection: close`, and the connection is closed, not left silent.

The served app is `python -m example_api.serve` (granian, as in production) on this worker's
test database; one server for the module, its users flushed after each test."""

from __future__ import annotations

import http.client
import json
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.endpoints import (
    ASSISTANT_REQUESTS,  # part: assistant
    HEALTHZ,
    ME,
    REGISTER,
    TOKEN,
)
from tests.factories import PASSWORD
from tests.integration.served_app import database_url_of_this_worker, served_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TIMEOUT = 15  # seconds: a request nobody answers fails the test instead of hanging it
LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
# Under the limit, and more than granian takes off the connection when nobody reads it: from
# some 32 KB (chunked) or 60 KB (Content-Length) on, it dropped the connection after the answer.
UNREAD_BODY = b'{"padding": "' + b"x" * 200_000 + b'"}'


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


class Connection:
    """One TCP connection; each request is written whole, then its answer read whole."""

    def __init__(self, base_url: str) -> None:
        address = urlsplit(base_url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=TIMEOUT)

    def request(
        self, method: str, path: str, body: bytes | None = None, *, chunked: bool = False
    ) -> Answer:
        head = [f"{method} {path} HTTP/1.1", "Host: localhost"]
        payload = b""
        if body is not None:
            head.append("Content-Type: application/json")
            if chunked:
                head.append("Transfer-Encoding: chunked")
                payload = _chunks(body)
            else:
                head.append(f"Content-Length: {len(body)}")
                payload = body
        self.sock.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + payload)
        response = http.client.HTTPResponse(self.sock, method=method)
        try:
            response.begin()
            return Answer(response.status, response.headers, response.read())
        finally:
            response.close()

    def closed_by_server(self) -> bool:
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()


def _chunks(body: bytes, size: int = 16 * 1024) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def registration(username: str) -> bytes:
    return json.dumps(
        {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    ).encode()


@pytest.fixture(scope="module")
def base_url(django_db_setup: None) -> Iterator[str]:
    with served_app({"DATABASE_URL": database_url_of_this_worker()}) as url:
        yield url


@pytest.fixture
def connection(base_url: str) -> Iterator[Connection]:
    conn = Connection(base_url)
    yield conn
    conn.close()


def test_a_chunked_body_is_read_and_the_connection_goes_on(connection):
    username = f"chunked-{uuid.uuid4().hex[:8]}"

    created = connection.request("POST", REGISTER, registration(username), chunked=True)
    assert created.status == 201, created.body
    assert created.json()["username"] == username
    healthz = connection.request("GET", HEALTHZ)
    assert healthz.status == 200


def test_a_chunked_body_over_the_limit_is_refused_as_a_long_content_length(base_url):
    too_long = b'"' + b"x" * LIMIT + b'"'
    answers = {}
    for chunked in (False, True):
        conn = Connection(base_url)
        try:
            answers[chunked] = conn.request("POST", REGISTER, too_long, chunked=chunked)
        finally:
            conn.close()

    by_length, by_chunks = answers[False], answers[True]
    assert (by_length.status, by_chunks.status) == (413, 413), by_chunks.body
    assert by_length.headers["Content-Type"] == by_chunks.headers["Content-Type"]
    expected = {"detail": "request body too large", "code": "request_too_large"}
    assert by_length.json() == expected
    assert by_chunks.json() == expected


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_answered_then_the_connection_closed(connection, chunked):
    too_long = b'"' + b"x" * LIMIT + b'"'
    refused = connection.request("DELETE", TOKEN, too_long, chunked=chunked)

    # The rest of the body is not read: the answer says the connection ends, and it does.
    assert refused.status == 401
    assert refused.headers["Connection"] == "close"
    assert connection.closed_by_server()


@pytest.mark.parametrize(
    ("method", "path", "status", "chunked"),
    [
        # No token: refused before the body is read.
        ("POST", ASSISTANT_REQUESTS, 401, False),  # part: assistant
        ("DELETE", TOKEN, 401, False),
        ("DELETE", TOKEN, 401, True),
        ("POST", ME, 405, False),  # a method the path does not serve
    ],
)
def test_an_unread_body_leaves_the_connection_usable(connection, method, path, status, chunked):
    early = connection.request(method, path, UNREAD_BODY, chunked=chunked)
    assert early.status == status, early.body
    assert "Connection" not in early.headers

    try:
        healthz = connection.request("GET", HEALTHZ)
    except (OSError, http.client.HTTPException) as error:
        pytest.fail(f"the next request on the connection got no answer: {error!r}")
    assert healthz.status == 200
    assert healthz.json()["status"] == "ok"
