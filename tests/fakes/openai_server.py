"""A fake OpenAI-compatible chat-completions server on loopback, for the assistant's tests.

Each test scripts the replies in order (`server.script(reply, ...)`); a request past the
script gets a 500, or, given a `responder`, whatever it builds from the request. Good answers
are built from the openai SDK's own types, so their shape is the real one. Every request body
is kept (`server.requests`) with the time it arrived.

The load test runs it as a process that answers every request with a valid proposal after a
model-like delay (`Proposer`):

    python -m tests.fakes.openai_server --port 18201 --latency 1.0 3.0
"""

import argparse
import json
import random
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from openai.types import CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice

from tests.harness.signals import raise_on_sigterm


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering: a hang when past the timeout


def completion(
    content: str,
    *,
    prompt_tokens: int = 120,
    completion_tokens: int = 30,
    model: str = "fake-model",
) -> Reply:
    answer = ChatCompletion(
        id="chatcmpl-fake",
        object="chat.completion",
        created=int(time.time()),
        model=model,
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
    # Loopback for the integration and load tests; the deploy tests bind the address a lab
    # host reaches the lab machine on (tests/deploy/lab_services.py).
    def __init__(
        self,
        host: str = "127.0.0.1",
        *,
        port: int = 0,
        responder: Callable[[dict[str, Any]], Reply] | None = None,
    ) -> None:
        self.requests: list[Received] = []
        self._replies: list[Reply] = []
        self._responder = responder
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

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._replies:
                return self._replies.pop(0)
        return self._responder(body) if self._responder else error(500, "script exhausted")

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
                chat = self.path == "/v1/chat/completions"
                reply = fake._next(body) if chat else error(404, "no")
                time.sleep(reply.delay)
                self._send(reply)

            def do_GET(self) -> None:
                # The model list, as the real API has it: what a readiness check can ask.
                if self.path == "/v1/models":
                    models = {"object": "list", "data": [_MODEL]}
                    self._send(Reply(body=json.dumps(models)))
                else:
                    self._send(error(404, "no"))

            def _send(self, reply: Reply) -> None:
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


_MODEL = {"id": "fake-model", "object": "model", "created": 0, "owned_by": "slipway-tests"}
_NOW = re.compile(r"It is now \w+ (\d{4}-\d\d-\d\dT\d\d:\d\d)")


@dataclass
class Proposer:
    """Answers like a model that understood: one listed resource (the one the sentence names,
    else any), tomorrow for an hour in the user's local time, after `latency` seconds (drawn
    uniformly between the two bounds)."""

    latency: tuple[float, float] = (1.0, 3.0)
    answered: int = 0

    def __call__(self, body: dict[str, Any]) -> Reply:
        messages = body.get("messages", [])
        system = next((m["content"] for m in messages if m.get("role") == "system"), "")
        sentence = next((m["content"] for m in messages if m.get("role") == "user"), "")
        names = [line[2:] for line in system.splitlines() if line.startswith("- ")]
        named = [name for name in names if name.lower() in sentence.lower()]
        found = _NOW.search(system)
        if not names or found is None:
            return error(400, "not a booking prompt")
        now = datetime.fromisoformat(found.group(1))
        start = (now + timedelta(days=1)).replace(hour=random.randint(8, 17), minute=0)
        reply = proposal(
            resource=(named or [random.choice(names)])[0],
            start=f"{start:%Y-%m-%dT%H:%M}",
            end=f"{start + timedelta(hours=1):%Y-%m-%dT%H:%M}",
            note=sentence[:80],
        )
        reply.delay = random.uniform(*self.latency)
        self.answered += 1
        return reply


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake OpenAI-compatible server (loopback)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, nargs=2, default=(1.0, 3.0), metavar="SECONDS")
    args = parser.parse_args(argv)
    proposer = Proposer(latency=(args.latency[0], args.latency[1]))
    fake = FakeOpenAI(port=args.port, responder=proposer)

    raise_on_sigterm(SystemExit, exit_status=0)  # a clean stop: whoever started us asked
    print(f"fake OpenAI on {fake.base_url}, latency {args.latency[0]}-{args.latency[1]} s")
    sys.stdout.flush()
    with fake:
        try:
            while True:
                time.sleep(3600)
        finally:
            print(f"answered {proposer.answered} of {len(fake.requests)} completions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
