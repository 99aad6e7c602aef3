"""A fake OpenAI-compatible chat-completions server on loopback, for the assistant's tests.

Each test scripts the replies in order (`server.script(reply, ...)`); a request past the
script gets a 500. Good answers are built from the openai SDK's own types, so their shape is
the real one. Every request body is kept (`server.requests`) with the time it arrived."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from openai.types import CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering: a hang when past the timeout


def completion(content: str, *, prompt_tokens: int = 120, completion_tokens: int = 30) -> Reply:
    answer = ChatCompletion(
        id="chatcmpl-fake",
        object="chat.completion",
        created=int(time.time()),
        model="fake-model",
        choices=[
            Choice(
                index=0,
                finish_reason="stop",
                message=ChatCompletionMessage(role="assistant", content=content),
            )
        ],
        usage=CompletionUsage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
    )
    return Reply(body=answer.model_dump_json())


def proposal(**fields: Any) -> Reply:
    return completion(json.dumps(fields))


def error(status: int, message: str, *, retry_after: str | None = None) -> Reply:
    body = json.dumps({"error": {"message": message, "type": "fake_error", "code": None}})
    headers = {"Retry-After": retry_after} if retry_after else {}
    return Reply(status=status, body=body, headers=headers)


@dataclass
class Received:
    at: float
    body: dict[str, Any]
    authorization: str


class FakeOpenAI:
    # Loopback for the integration tests; the deploy tests bind the address a lab host
    # reaches the lab machine on (tests/deploy/lab_services.py).
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.requests: list[Received] = []
        self._replies: list[Reply] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True  # a hanging reply must not block shutdown
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def _next(self) -> Reply:
        with self._lock:
            return self._replies.pop(0) if self._replies else error(500, "script exhausted")

    def __enter__(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                auth = self.headers.get("Authorization", "")
                fake.requests.append(Received(time.monotonic(), body, auth))
                reply = fake._next() if self.path == "/v1/chat/completions" else error(404, "no")
                time.sleep(reply.delay)
                payload = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): expected in the hang scenario

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        return Handler
