"""Request bodies through granian over real HTTP (issue 28, defect 7), on a kept-alive TCP
connection written by hand, as a client library would hold it (docs/api.md, Basics): a
chunked body (Transfer-Encoding: chunked, no Content-Length) is read like any other, and
one over DATA_UPLOAD_MAX_MEMORY_SIZE gets the same 413 as a long Content-Length.

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

from tests.endpoints import HEALTHZ, REGISTER
from tests.factories import PASSWORD
from tests.integration.served_app import database_url_of_this_worker, served_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TIMEOUT = 15  # seconds: a request nobody answers fails the test instead of hanging it
LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


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
