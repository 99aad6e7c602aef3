"""`make load` / `make load-smoke`: the production stack on loopback under locust, with budgets.

    python -m load.run            # the full run (load/budgets.toml [run])
    python -m load.run --smoke    # about 2.5 minutes, for CI ([smoke])

Creates a dedicated PostgreSQL database and uses a dedicated Redis db, migrates, seeds
(~1,000 users, ~10,000 records), serves the API as production does (`python -m
example_api.serve`, DEBUG off) with a procrastinate worker and a fake OpenAI-compatible model
(load/assistant.py), runs locust headless through timed blocks without and with assistant
traffic, stops everything (also on failure), then checks the budgets (load/verdict.py):
error ratio, per-endpoint p50/p95/p99 (nobody browses before every user has logged in, so
only the logins meet the login ramp), how far assistant traffic moves the other endpoints'
p99, and what became of every assistant request. Writes reports/load[-smoke]/locust.html,
locust_*.csv, samples.csv (every request) and the processes' logs. Exits non-zero on any
broken budget.
"""
# ruff: noqa: S603 - fixed argument lists

import argparse
import os
import secrets
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from load import assistant, phases, stack, verdict
from tests.harness.signals import raise_on_sigterm

BUDGETS = Path(__file__).with_name("budgets.toml")
SAMPLES = "samples.csv"


def block_seconds(shape: dict[str, Any], phase: str) -> float:
    return sum(float(b.split(":")[1]) for b in shape["blocks"] if b.split(":")[0] == phase)


def run_locust(
    *, shape: dict[str, Any], port: int, reports: Path, seed_file: Path, password: str
) -> int:
    users = shape["users"] + shape["assistant_users"]
    env = dict(
        os.environ,
        LOAD_SEED_FILE=str(seed_file),
        LOAD_PASSWORD=password,
        LOAD_USERS=str(users),
        LOAD_BLOCKS=",".join(shape["blocks"]),
        LOAD_SAMPLES_FILE=str(reports / SAMPLES),
        LOAD_ASSISTANT_USERS=str(shape["assistant_users"]),
        LOAD_ASSISTANT_THINK=",".join(str(s) for s in shape["think_seconds"]),
    )
    # The locustfile stops the run after its last block; this is only a bound.
    blocks = sum(block_seconds(shape, p) for p in ("warmup", "without", "with"))
    bound = int(users / shape["spawn_rate"] + blocks) + 120
    cmd = [
        str(stack.BIN / "locust"),
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--only-summary",
        "--host",
        f"http://{stack.HOST}:{port}",
        "--users",
        str(users),
        "--spawn-rate",
        str(shape["spawn_rate"]),
        "--run-time",
        f"{bound}s",
        "--stop-timeout",
        "5",
        "--csv",
        str(reports / "locust"),
        "--html",
        str(reports / "locust.html"),
        "--loglevel",
        "WARNING",
    ]
    stack.log(
        f"locust (one process, FastHttpUser): {shape['users']} users + "
        f"{shape['assistant_users']} assistant users; blocks {', '.join(shape['blocks'])}"
    )
    try:
        return subprocess.run(
            cmd, env=env, cwd=stack.ROOT, timeout=bound + 60, check=False
        ).returncode
    except subprocess.TimeoutExpired:
        stack.log(f"locust did not finish within {bound + 60}s")
        return 124


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the short CI variant")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "18080")))
    parser.add_argument("--db", default=os.environ.get("LOAD_DB", "slipway_load"))
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("LOAD_REDIS_DB", "13")))
    parser.add_argument("--reports", type=Path, default=None)
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look")
    args = parser.parse_args(argv)
    raise_on_sigterm(SystemExit)  # a CI timeout or `kill`: every `finally` still runs
    started = time.monotonic()

    budgets = tomllib.loads(BUDGETS.read_text())
    shape = budgets["smoke" if args.smoke else "run"] | budgets["assistant"]
    name = "load-smoke" if args.smoke else "load"
    reports: Path = args.reports or stack.ROOT / "reports" / name
    reports.mkdir(parents=True, exist_ok=True)
    for old in [*reports.glob("locust*"), *reports.glob("*.log"), reports / SAMPLES]:
        old.unlink(missing_ok=True)
    password = secrets.token_urlsafe(18)
    seed_file = reports / "seed.json"
    base_env = stack.app_env(db_name=args.db, redis_db=args.redis_db)
    model = assistant.fake_model(
        latency=shape["upstream_latency"], log_path=reports / "fake-openai.log", env=base_env
    )
    env = base_env | assistant.app_env(model)
    server = stack.serve(
        "example_api.serve", port=args.port, log_path=reports / "server.log", env=env
    )
    worker = assistant.worker(log_path=reports / "worker.log", env=env)

    with stack.services(db_name=args.db, redis_db=args.redis_db, keep_db=args.keep_db):
        stack.prepare(env, seed_file, password)
        stack.log(f"starting {model.name}, {worker.name}, {server.name} on port {args.port}")
        try:
            model.start(ready_path="/v1/models")
            worker.start()
            server.start()
            code = run_locust(
                shape=shape, port=args.port, reports=reports, seed_file=seed_file, password=password
            )
            outcomes = assistant.outcomes(env["DATABASE_URL"])
            cpu = {p.name.split(" (")[0]: p.cpu_seconds() for p in (server, worker, model)}
        finally:
            for process in (server, worker, model):
                process.stop()
            stack.log("stopped the server, the worker and the fake model")
    for secret_file in reports.glob("seed*"):
        secret_file.unlink()  # raw tokens of a dropped database; no use, but keep none around

    if not (reports / SAMPLES).exists():
        stack.log(f"locust wrote no samples (exit {code})")
        return 1
    return report(shape, budgets, reports, outcomes, cpu, code, time.monotonic() - started)


def report(
    shape: dict[str, Any],
    budgets: dict[str, Any],
    reports: Path,
    outcomes: assistant.Outcomes,
    cpu: dict[str, float],
    code: int,
    elapsed: float,
) -> int:
    samples = phases.read_samples(reports / SAMPLES)
    seconds = {p: block_seconds(shape, p) for p in ("without", "with")}
    rows = {
        "login": phases.by_endpoint(samples, "login", 0.0),
        **{p: phases.by_endpoint(samples, p, seconds[p]) for p in seconds},
    }
    others = {p: phases.ordinary(samples, p, seconds.get(p, 0.0)) for p in rows}
    broken = (
        verdict.endpoint_budgets(rows, budgets)
        + verdict.assistant_budgets(others, samples, outcomes, budgets)
        + verdict.error_budget(samples, budgets)
    )
    print()
    print(
        f"{shape['users']} users, {shape['assistant_users']} more asking the assistant in the "
        f"'with' blocks (fake model {shape['upstream_latency'][0]}-{shape['upstream_latency'][1]}"
        f" s); blocks {', '.join(shape['blocks'])}; latencies in ms"
    )
    load_1m = os.getloadavg()[0]
    print(f"machine load average (1 min) at the end: {load_1m:.1f} on {os.cpu_count()} CPUs")
    print("\n".join(verdict.table(rows, others, budgets)))
    print("\n".join(verdict.outcome_lines(outcomes, samples)))
    without = [i for i, b in enumerate(shape["blocks"]) if b.startswith("without:")]
    if len(without) > 1:
        # A/A: the "without" blocks in two alternate halves, the same mix in both.
        one, two = (
            phases.ordinary_in_blocks(samples, set(half)) for half in (without[::2], without[1::2])
        )
        print(
            "noise reference, the same mix in two halves of the 'without' blocks: ordinary "
            f"p99 {one.p99:.0f} / {two.p99:.0f} ms ({phases.ratio(two.p99, one.p99):.2f}x), "
            f"p50 {phases.ratio(two.p50, one.p50):.2f}x"
        )
    print("CPU seconds used: " + ", ".join(f"{name} {used:.1f}" for name, used in cpu.items()))
    print(f"\nreports: {reports.relative_to(stack.ROOT)}/locust.html, {SAMPLES}, *.log")
    print(f"the whole run took {elapsed:.0f} s")
    if broken:
        print("\nFAILED budgets (load/budgets.toml):")
        print("\n".join(f"  - {item}" for item in broken))
        return 1
    if code != 0:
        print(f"\nlocust exited with {code}")
        return code
    print("\nall budgets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
