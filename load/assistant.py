"""The assistant's part of the load stack: a job worker and a fake model on loopback.

The worker is the production command (`python manage.py procrastinate worker`, every queue,
its default concurrency); the model is tests/fakes/openai_server.py answering every request
with a valid proposal after 1-3 s (the latency is budgets.toml [assistant]). The app gets a
dummy key from here (the fake ignores it; no secret), and e-mail goes to Django's dummy
backend: the worker runs the confirmation jobs too, as in production, without a mail
server to wait on. What became of each assistant request is read from the database.
"""

import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from load import phases, stack
from tests.harness.ports import free_port


def fake_model(*, latency: list[float], log_path: Path, env: dict[str, str]) -> stack.Server:
    port = free_port(stack.HOST)
    cmd = [sys.executable, "-m", "tests.fakes.openai_server", "--port", str(port), "--latency"]
    name = f"fake OpenAI ({latency[0]}-{latency[1]} s per completion)"
    cmd += [str(seconds) for seconds in latency]
    return stack.Server(name=name, cmd=cmd, port=port, log_path=log_path, env=env)


def app_env(model: stack.Server) -> dict[str, str]:
    """What the web and worker processes need to use the fake model."""
    return {
        "ASSISTANT_API_KEY": f"load-test-dummy-{secrets.token_hex(4)}",
        "ASSISTANT_BASE_URL": f"http://{stack.HOST}:{model.port}/v1",
        "ASSISTANT_MODEL": "fake-model",
        # Load users ask all the time; the daily quota is not what is measured here.
        "ASSISTANT_DAILY_QUOTA": "1000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def worker(*, log_path: Path, env: dict[str, str]) -> stack.Worker:
    cmd = [sys.executable, "manage.py", "procrastinate", "worker"]
    return stack.Worker(name="procrastinate worker", cmd=cmd, log_path=log_path, env=env)


@dataclass(frozen=True)
class Outcomes:
    states: dict[str, int]  # assistant requests by state at the end
    codes: dict[str, int]  # failure codes
    queue_seconds: list[float]  # created (the 202) to finished, of the proposed ones

    @property
    def total(self) -> int:
        return sum(self.states.values())

    def queue(self, key: str) -> float:
        return phases.percentile(self.queue_seconds, phases.PERCENTILES[key])


def outcomes(database_url: str, *, wait_seconds: float = 30) -> Outcomes:
    """Once no request is pending (or after `wait_seconds`): what became of every request."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline and _count_pending(conn):
            time.sleep(0.5)
        rows: list[tuple[Any, ...]] = conn.execute(
            "SELECT state, code, EXTRACT(EPOCH FROM finished_at - created_at)"
            " FROM assistant_assistantrequest"
        ).fetchall()
    states: dict[str, int] = {}
    codes: dict[str, int] = {}
    for state, code, _ in rows:
        states[state] = states.get(state, 0) + 1
        if code:
            codes[code] = codes.get(code, 0) + 1
    queue = [float(seconds) for state, _, seconds in rows if state == "proposed"]
    return Outcomes(states=states, codes=codes, queue_seconds=queue)


def _count_pending(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(
        "SELECT count(*) FROM assistant_assistantrequest WHERE state = 'pending'"
    ).fetchone()
    return int(row[0]) if row else 0
