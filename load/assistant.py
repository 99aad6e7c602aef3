"""The assistant's part of the load run (load/traffic.py's seam): its users, a fake model,
its budgets and what became of every request.

The model is tests/fakes/openai_server.py on loopback, answering every request with a valid
proposal after 1-3 s (the latency is budgets.toml [assistant]). The app gets a dummy key
from here (the fake ignores it; no secret). The job worker that answers the requests is the
jobs part's (load/worker.py). What became of each request is read from the database.
"""

import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from load import phases, stack
from tests.harness.ports import free_port

POST = "POST /assistant/requests/"


def fake_model(*, latency: list[float], log_path: Path, env: dict[str, str]) -> stack.Server:
    port = free_port(stack.HOST)
    cmd = [sys.executable, "-m", "tests.fakes.openai_server", "--port", str(port), "--latency"]
    name = f"fake OpenAI ({latency[0]}-{latency[1]} s per completion)"
    cmd += [str(seconds) for seconds in latency]
    return stack.Server(name=name, cmd=cmd, port=port, log_path=log_path, env=env)


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


def budgets_broken(
    others: dict[str, phases.Row], outcomes: Outcomes, budgets: dict[str, Any]
) -> list[str]:
    """The "with" blocks' own budgets: the ordinary p99 barely moved, every request proposed
    and the queue short. (5xx answers are every run's budget: verdict.server_errors.)"""
    limits = budgets["assistant"]
    broken = []
    moved = phases.ratio(others["with"].p99, others["without"].p99)
    if moved > limits["others_p99_max_ratio"]:
        broken.append(
            f"assistant traffic moved the other endpoints' p99 {moved:.2f}x "
            f"({others['without'].p99:.0f} -> {others['with'].p99:.0f} ms) > "
            f"{limits['others_p99_max_ratio']}"
        )
    if not outcomes.states.get("proposed"):
        broken.append("no assistant request reached `proposed`")
    not_proposed = {k: v for k, v in outcomes.states.items() if k != "proposed"}
    if not_proposed:
        broken.append(
            f"assistant requests not proposed at the end: {not_proposed} {outcomes.codes}"
        )
    if outcomes.queue("p95") > limits["queue_p95_max_s"]:
        broken.append(
            f"assistant queue p95 {outcomes.queue('p95'):.1f} s > {limits['queue_p95_max_s']} s"
        )
    return broken


def outcome_lines(outcomes: Outcomes, samples: list[phases.Sample]) -> list[str]:
    asked = [s for s in samples if s.name == POST]
    server_errors = sum(
        1 for s in samples if s.name.startswith(phases.ASSISTANT_PREFIX) and s.status >= 500
    )
    return [
        f"assistant: {len(asked)} requests posted, {outcomes.total} stored, by state "
        f"{outcomes.states or '{}'}{f' codes {outcomes.codes}' if outcomes.codes else ''}; "
        f"5xx answers to assistant calls: {server_errors}",
        "assistant queue latency (202 to proposed, server clock): "
        + ", ".join(f"{p} {outcomes.queue(p):.1f} s" for p in phases.PERCENTILES)
        + f", max {max(outcomes.queue_seconds, default=0):.1f} s",
    ]


@dataclass
class AssistantTraffic:
    """load/traffic.Traffic for the assistant: `users` more users ask it in the "with" blocks."""

    shape: dict[str, Any]  # budgets.toml [assistant]
    users: int
    reports: Path
    env: dict[str, str] = field(repr=False)
    name: str = "assistant"
    result: Outcomes = field(default_factory=lambda: Outcomes({}, {}, []))

    def __post_init__(self) -> None:
        self.model = fake_model(
            latency=self.shape["upstream_latency"],
            log_path=self.reports / "fake-openai.log",
            env=self.env,
        )

    def app_env(self) -> dict[str, str]:
        return {
            "ASSISTANT_API_KEY": f"load-test-dummy-{secrets.token_hex(4)}",
            "ASSISTANT_BASE_URL": f"http://{stack.HOST}:{self.model.port}/v1",
            "ASSISTANT_MODEL": "fake-model",
            # Load users ask all the time; the daily quota is not what is measured here.
            "ASSISTANT_DAILY_QUOTA": "1000000",
        }

    def locust_env(self) -> dict[str, str]:
        think = ",".join(str(s) for s in self.shape["think_seconds"])
        return {"LOAD_ASSISTANT_USERS": str(self.users), "LOAD_ASSISTANT_THINK": think}

    def start(self) -> None:
        stack.log(f"starting {self.model.name}")
        self.model.start(ready_path="/v1/models")

    def stop(self) -> None:
        self.model.stop()

    def cpu(self) -> dict[str, float]:
        return {"fake OpenAI": self.model.cpu_seconds()}

    def collect(self, database_url: str) -> None:
        self.result = outcomes(database_url)

    def describe(self) -> str:
        low, high = self.shape["upstream_latency"]
        return (
            f"{self.users} more asking the assistant in the 'with' blocks "
            f"(fake model {low}-{high} s)"
        )

    def budgets(
        self, others: dict[str, phases.Row], samples: list[phases.Sample], budgets: dict[str, Any]
    ) -> list[str]:
        return budgets_broken(others, self.result, budgets)

    def lines(self, samples: list[phases.Sample]) -> list[str]:
        return outcome_lines(self.result, samples)


def traffic(
    budgets: dict[str, Any], shape: dict[str, Any], reports: Path, env: dict[str, str]
) -> AssistantTraffic:
    """The run's assistant traffic: budgets.toml [assistant] and the run's assistant_users."""
    return AssistantTraffic(budgets["assistant"], shape["assistant_users"], reports, env)
