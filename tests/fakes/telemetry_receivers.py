"""Fake Sentry and OTLP/HTTP receivers on loopback, each on an ephemeral port of its own.

FakeSentry takes what sentry-sdk posts to /api/<project>/envelope/ and keeps the items
(events, ...) decoded; FakeCollector takes OTLP/HTTP protobuf posted to /v1/traces and keeps
the spans, decoded with opentelemetry-proto's own message types. Both keep the raw bytes too,
so a test can check what never left the app (a token, a password)."""

import gzip
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span


class _Receiver:
    """A threaded HTTP server that hands each POST body (decompressed) to `receive`."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def receive(self, path: str, body: bytes) -> tuple[int, bytes]:
        raise NotImplementedError

    def wait_for(self, found: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Polls until `found()` is truthy, and returns it; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                result = found()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"nothing expected arrived within {timeout} s; got {self.raw!r}")

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                encoding = self.headers.get("Content-Encoding", "identity")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding != "identity":
                    self.send_error(415, f"unexpected Content-Encoding {encoding}")
                    return
                with receiver._lock:
                    receiver.raw.append(body)
                    status, payload = receiver.receive(self.path, body)
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


class FakeSentry(_Receiver):
    PROJECT = "1"

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[dict[str, Any], Any]] = []  # (item header, payload)

    @property
    def dsn(self) -> str:
        return f"http://public-key@127.0.0.1:{self.port}/{self.PROJECT}"

    def events(self) -> list[dict[str, Any]]:
        return [payload for header, payload in self.items if header.get("type") == "event"]

    def receive(self, path: str, body: bytes) -> tuple[int, bytes]:
        if path != f"/api/{self.PROJECT}/envelope/":
            return 404, b""
        self.items.extend(parse_envelope(body))
        return 200, b"{}"


def parse_envelope(body: bytes) -> list[tuple[dict[str, Any], Any]]:
    """Sentry's envelope: a header line, then items, each a header line and a payload (of
    the header's `length` in bytes, or up to the next newline)."""
    _, _, rest = body.partition(b"\n")
    items = []
    while rest.strip():
        line, _, rest = rest.partition(b"\n")
        header = json.loads(line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] + 1 :]
        else:
            payload, _, rest = rest.partition(b"\n")
        is_json = header.get("content_type", "application/json") == "application/json"
        items.append((header, json.loads(payload) if is_json else payload))
    return items


class FakeCollector(_Receiver):
    def __init__(self) -> None:
        super().__init__()
        self.spans: list[Span] = []
        self.service_names: set[str] = set()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def receive(self, path: str, body: bytes) -> tuple[int, bytes]:
        if path != "/v1/traces":
            return 404, b""
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            for attribute in resource_spans.resource.attributes:
                if attribute.key == "service.name":
                    self.service_names.add(attribute.value.string_value)
            for scope_spans in resource_spans.scope_spans:
                self.spans.extend(scope_spans.spans)
        return 200, ExportTraceServiceResponse().SerializeToString()
