"""`make bench`: the API against a bare hello app on the same server, with ratio budgets,
and the cost of the app's metrics.

    python -m load.bench [--rounds 5] [--seconds 5] [--connections 16]

Seeds a dedicated database like `make load`, then serves, side by side on loopback, the API
(`python -m example_api.serve`), its twin with METRICS_ENABLED=false and the hello app
(`python -m load.hello_wsgi`) with the same granian options and sizes. wrk (load/bench.lua)
measures, in interleaved rounds, the hello app, GET one booking, the list of a user's
bookings and POST a booking. Per round, each endpoint's req/s is divided by the hello app's
of the same round, so the machine's load cancels; the bench fails when the median ratio falls
below its budget in load/budgets.toml [bench], or on any unexpected status or socket error.
CPU per request is read from /proc for the server's own processes (PostgreSQL and wrk
excluded). Then, each round, every endpoint runs on the API and its twin at the same time
(two wrk): the metrics' cost is CPU per request on one over the other (load/bench_cost.py),
and fails above [bench.metrics]. Writes reports/bench/bench.md and bench.json; stops
everything it started, also on failure.
"""
# ruff: noqa: S603 - fixed argument lists

import argparse
import itertools
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from load import stack
from load.bench_cost import Pairs, cost_table, metrics_cost
from tests.harness.signals import raise_on_sigterm

BUDGETS = Path(__file__).with_name("budgets.toml")
POST_STRIDE_HOURS = 2000  # per wrk thread and POST run: far more hours than a run books


@dataclass(frozen=True)
class Target:
    name: str
    mode: str  # the first argument of load/bench.lua
    ok: tuple[int, ...] = (200,)
    metrics: bool = True  # False: the API's twin served with METRICS_ENABLED=false


HELLO = Target("hello", "hello")
ENDPOINTS = (
    Target("GET /bookings/{id}/", "get_booking"),
    Target("GET /users/{id}/bookings/", "list_bookings"),
    Target("POST /bookings/", "create_booking", ok=(201,)),
)
TARGETS = (HELLO, *ENDPOINTS)
# Each endpoint and its metrics-off twin, measured at the same time (two wrk at once): both
# see the same load, which one after the other, on a busy machine, they do not.
PAIRS = tuple((t, replace(t, name=t.name + " (metrics off)", metrics=False)) for t in ENDPOINTS)


@dataclass
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us: float


@dataclass
class Bench:
    """The two servers, the seed files and the wrk settings; runs one target at a time."""

    hello: stack.Server
    api: stack.Server
    api_off: stack.Server  # the same API with METRICS_ENABLED=false
    seed: Path
    args: argparse.Namespace
    post_runs: Iterator[int] = field(default_factory=itertools.count)
    problems: list[str] = field(default_factory=list)

    def lua_args(self, target: Target) -> list[str]:
        if target is HELLO:
            return ["hello"]
        tokens = str(self.seed.with_suffix(".txt"))
        if target.mode != "create_booking":
            return [target.mode, tokens]
        # Every POST run books its own far-future hours, so every request finds a free slot.
        first_hour = int(time.time()) // 3600 + 400 * 24
        offset = next(self.post_runs) * (self.args.threads + 1) * POST_STRIDE_HOURS
        resources = str(self.seed.with_suffix(".resources.txt"))
        return [target.mode, tokens, resources, str(first_hour + offset), str(POST_STRIDE_HOURS)]

    def server(self, target: Target) -> stack.Server:
        return self.hello if target is HELLO else self.api if target.metrics else self.api_off

    def run(self, *targets: Target, seconds: int) -> list[Sample | None]:
        """One wrk per target, all at once (each on its own server); a None for a target
        that completed no request (a warm-up on a busy machine may)."""
        servers = [self.server(target) for target in targets]
        cpu_before = [server.cpu_seconds() for server in servers]
        runs = [
            start_wrk(server.port, self.lua_args(t), seconds=seconds, args=self.args)
            for server, t in zip(servers, targets, strict=True)
        ]
        results = [wrk_result(run, t.name, seconds) for run, t in zip(runs, targets, strict=True)]
        cpu = [s.cpu_seconds() - before for s, before in zip(servers, cpu_before, strict=True)]
        return [self.sample(*done) for done in zip(targets, results, cpu, strict=True)]

    def sample(self, target: Target, result: Any, cpu: float) -> Sample | None:
        self.problems += [
            f"{target.name}: {count} x status {status}"
            for status, count in result["statuses"].items()
            if int(status) not in target.ok
        ]
        if result["socket_errors"]:
            self.problems.append(f"{target.name}: {result['socket_errors']} socket errors")
        if not result["requests"]:
            return None
        return Sample(
            rps=result["requests"] / (result["duration_us"] / 1e6),
            p50_ms=result["p50_us"] / 1000,
            p99_ms=result["p99_us"] / 1000,
            cpu_us=cpu * 1e6 / result["requests"],
        )


def start_wrk(
    port: int, lua_args: list[str], *, seconds: int, args: argparse.Namespace
) -> subprocess.Popen[str]:
    cmd = [
        *(shutil.which("wrk") or "wrk", f"-t{args.threads}", f"-c{args.connections}"),
        *(f"-d{seconds}s", "--timeout", "5s", "-s", "load/bench.lua"),
        *(f"http://{stack.HOST}:{port}", "--", *lua_args),
    ]
    return subprocess.Popen(
        cmd, cwd=stack.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wrk_result(run: subprocess.Popen[str], name: str, seconds: int) -> Any:
    try:
        out, err = run.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        run.kill()
        out, err = run.communicate()
    for line in out.splitlines():
        if line.startswith("WRK "):
            return json.loads(line[4:])
    raise SystemExit(f"wrk gave no result for {name}:\n{out}\n{err}")


def measure(bench: Bench) -> tuple[dict[str, list[Sample | None]], Pairs[Sample]]:
    """A warm-up, then rounds: every target once per round, in the same order, then each
    endpoint at the same time as its metrics-off twin."""
    for target in TARGETS:
        bench.run(target, seconds=bench.args.warmup)
    for pair in PAIRS:
        bench.run(*pair, seconds=bench.args.warmup)
    samples: dict[str, list[Sample | None]] = {t.name: [] for t in TARGETS}
    pairs: Pairs[Sample] = {on.name: [] for on, _ in PAIRS}
    for number in range(1, bench.args.rounds + 1):
        stack.log(f"round {number}/{bench.args.rounds}")
        for target in TARGETS:
            (sample,) = bench.run(target, seconds=bench.args.seconds)
            samples[target.name].append(sample)
            log_sample(bench, target, sample, number)
        for on, off in PAIRS:
            with_metrics, without = bench.run(on, off, seconds=bench.args.seconds)
            log_sample(bench, on, with_metrics, number, " (beside its twin)")
            log_sample(bench, off, without, number)
            if with_metrics and without:
                pairs[on.name].append((with_metrics, without))
    return samples, pairs


def log_sample(
    bench: Bench, target: Target, sample: Sample | None, number: int, note: str = ""
) -> None:
    if not sample:
        bench.problems.append(f"{target.name}: no request completed in round {number}")
        return
    stack.log(
        f"  {target.name + note:<44} {sample.rps:8.0f} req/s  p50 {sample.p50_ms:6.2f} ms"
        f"  p99 {sample.p99_ms:7.2f} ms  cpu {sample.cpu_us:6.0f} us/req"
    )


def summarize(
    samples: dict[str, list[Sample | None]], budgets: dict[str, float]
) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per target (medians over the rounds) and the broken ratio budgets."""
    rows, broken = [], []
    hello = samples[HELLO.name]
    for target in TARGETS:
        runs = [s for s in samples[target.name] if s]
        ratios = [
            s.rps / h.rps for s, h in zip(samples[target.name], hello, strict=True) if s and h
        ]
        row: dict[str, Any] = {"target": target.name, "ratios": [round(r, 4) for r in ratios]}
        for key in ("rps", "p50_ms", "p99_ms", "cpu_us"):
            row[key] = statistics.median(getattr(s, key) for s in runs) if runs else 0.0
        row["ratio"] = statistics.median(ratios) if ratios else 0.0
        row["budget"] = budgets.get(target.name)
        if target is not HELLO and row["budget"] is None:
            broken.append(f"{target.name}: no budget in {BUDGETS.name} [bench.min_ratio]")
        elif row["budget"] is not None and row["ratio"] < row["budget"]:
            broken.append(f"{target.name}: ratio {row['ratio']:.4f} < budget {row['budget']}")
        rows.append(row)
    return rows, broken


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | req/s | ratio to hello | budget | p50 ms | p99 ms | CPU us/req "
        "| ratio per round |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        budget = f"{r['budget']:.4f}" if r["budget"] is not None else "-"
        rounds = ", ".join(f"{v:.4f}" for v in r["ratios"])
        lines.append(
            f"| {r['target']} | {r['rps']:.0f} | {r['ratio']:.4f} | {budget} | {r['p50_ms']:.2f} "
            f"| {r['p99_ms']:.2f} | {r['cpu_us']:.0f} | {rounds} |"
        )
    return lines


def parse_args(argv: list[str] | None, shape: dict[str, int]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("rounds", "seconds", "warmup", "connections", "threads"):
        parser.add_argument(f"--{name}", type=int, default=shape[name], help="see budgets.toml")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "18100")))
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "slipway_bench"))
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("BENCH_REDIS_DB", "14")))
    parser.add_argument("--reports", type=Path, default=stack.ROOT / "reports" / "bench")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    config = tomllib.loads(BUDGETS.read_text())["bench"]
    args = parse_args(argv, config["shape"])
    raise_on_sigterm(SystemExit)  # a CI timeout or `kill`: every `finally` still runs
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk (make bench does it)")
    reports: Path = args.reports
    reports.mkdir(parents=True, exist_ok=True)
    env = stack.app_env(db_name=args.db, redis_db=args.redis_db)
    seed = reports / "seed.json"
    bench = Bench(
        hello=stack.serve(
            "load.hello_wsgi", port=args.port, log_path=reports / "hello.log", env=env
        ),
        api=stack.serve(
            "example_api.serve", port=args.port + 1, log_path=reports / "api.log", env=env
        ),
        api_off=stack.serve(
            "example_api.serve",
            port=args.port + 2,
            log_path=reports / "api-metrics-off.log",
            env=env | {"METRICS_ENABLED": "false"},
        ),
        seed=seed,
        args=args,
    )
    started = time.monotonic()
    with stack.services(db_name=args.db, redis_db=args.redis_db):
        stack.prepare(env, seed, secrets.token_urlsafe(18))
        try:
            for server in (bench.hello, bench.api, bench.api_off):
                server.log_path.unlink(missing_ok=True)
                stack.log(f"starting {server.name} on {stack.HOST}:{server.port}")
                server.start()
            samples, paired = measure(bench)
        finally:
            bench.api_off.stop()
            bench.api.stop()
            bench.hello.stop()
            for leftover in reports.glob("seed*"):
                leftover.unlink()  # raw tokens of a database about to be dropped
    rows, broken = summarize(samples, config["min_ratio"])
    limit = config["metrics"]["max_cpu_overhead"]
    cost_rows, overall = metrics_cost(paired)
    if not overall <= limit:  # NaN (no pair measured) fails too
        broken.append(f"metrics cost {overall:+.1%} CPU per request > {limit:.0%}")
    lines = [
        *table(rows),
        "",
        *cost_table(cost_rows, overall, limit),
        "",
        f"{bench.api.name}, the same for the hello app; wrk {args.threads} threads, "
        f"{args.connections} connections, {args.rounds} rounds x {args.seconds}s, medians; "
        f"{os.cpu_count()} CPUs shared by wrk, PostgreSQL and both servers; "
        f"load average (1 min) at the end {os.getloadavg()[0]:.1f}.",
    ]
    print("\n" + "\n".join(lines))
    (reports / "bench.md").write_text("\n".join(lines) + "\n")
    (reports / "bench.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "metrics_cost": {"overall": overall, "rows": cost_rows},
                "args": vars(args),
            },
            default=str,
        )
    )
    stack.log(f"bench took {time.monotonic() - started:.0f}s; results in {reports}/bench.md")
    failures = broken + sorted(set(bench.problems))
    if failures:
        print(f"\nFAILED (budgets in load/budgets.toml [bench]; server logs in {reports}):")
        print("\n".join(f"  - {item}" for item in failures))
        if os.getloadavg()[0] > (os.cpu_count() or 1):
            print("  The machine is busy: ratios fall several-fold under other load; re-run.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
