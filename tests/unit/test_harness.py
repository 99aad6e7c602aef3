"""tests/harness: the helpers every layer shares behave as their callers rely on."""

from __future__ import annotations

import os
import signal
import socket
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness import domain, launcher
from tests.harness.ports import free_port, port_is_free
from tests.harness.signals import raise_on_sigterm


def test_a_free_port_can_be_bound_and_is_free() -> None:
    port = free_port()
    assert port_is_free(port)
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        assert not port_is_free(port)


@pytest.mark.parametrize(
    ("exception", "status", "expected"),
    [(KeyboardInterrupt, None, None), (SystemExit, None, 128 + 15), (SystemExit, 0, 0)],
)
def test_sigterm_raises_what_the_caller_chose(exception, status, expected) -> None:
    before = signal.getsignal(signal.SIGTERM)
    try:
        raise_on_sigterm(exception, exit_status=status)
        with pytest.raises(exception) as raised:
            os.kill(os.getpid(), signal.SIGTERM)
        if expected is not None:
            assert raised.value.code == expected
    finally:
        signal.signal(signal.SIGTERM, before)


def test_the_launcher_serves_until_the_block_ends_and_stops_the_group(tmp_path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    ready = launcher.http_ok(f"http://127.0.0.1:{port}/")
    with launcher.served(
        command, env=dict(os.environ), log_path=tmp_path / "log", ready=ready
    ) as p:
        assert ready()
    assert p.poll() is not None
    assert not ready()


def test_a_server_that_exits_is_not_ready_and_names_its_log(tmp_path) -> None:
    command = [sys.executable, "-c", "raise SystemExit(3)"]
    log_path = tmp_path / "log"
    with (
        pytest.raises(launcher.NotReady, match=f"exited with 3; see {log_path}"),
        launcher.served(command, env=dict(os.environ), log_path=log_path, ready=lambda: False),
    ):
        pass  # pragma: no cover - never reached


class FakeApi:
    """Answers as the example API would, and keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any]] = []

    def request(self, method: str, path: str, body: object | None = None, token: str | None = None):
        self.sent.append((method, path, body))
        answer = {"id": 7, "status": "confirmed", **(body if isinstance(body, dict) else {})}
        return {"POST": 201, "DELETE": 204}.get(method, 200), {}, answer


def test_a_write_is_a_confirmed_record_on_the_actors_item() -> None:
    api, actor = FakeApi(), domain.Actor("u", "p", "t", item=3)
    created = domain.write(api, actor, days_ahead=2)
    method, path, body = api.sent[0]
    assert (method, path, created["id"]) == ("POST", domain.RECORDS, 7)
    start = datetime.fromisoformat(body["start"])
    assert datetime.fromisoformat(body["end"]) - start == timedelta(hours=1)
    assert start > datetime.now(UTC) + timedelta(days=1)
    assert domain.cancel(api, actor, 7) == 204
    assert api.sent[-1][:2] == ("DELETE", domain.record_path(7))


def test_same_record_compares_id_item_and_slot() -> None:
    start = datetime(2026, 3, 3, tzinfo=UTC)
    end = start + timedelta(minutes=30)
    answer = {"id": 1, **domain.write_body(3, start, end)}
    answer["start"] = start.isoformat().replace("+00:00", "Z")
    assert domain.same_record(answer, 1, 3, start, end)
    assert not domain.same_record(answer, 1, 4, start, end)
    assert not domain.same_record(answer, 2, 3, start, end)
    assert not domain.same_record("not json", 1, 3, start, end)
