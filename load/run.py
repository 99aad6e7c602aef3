"""`make load` / `make load-smoke`: the production stack on loopback under locust, with budgets.

    python -m load.run            # the full run (load/budgets.toml [run])
    python -m load.run --smoke    # tens of seconds, for CI ([smoke])

Creates a dedicated PostgreSQL database and uses a dedicated Redis db, migrates, seeds
(~1,000 users, ~10,000 bookings), starts the app under the production WSGI server with DEBUG
off, runs locust headless for a bounded time, stops everything (also on failure), then checks
the budgets: error ratio and per-endpoint p95/p99. Writes under reports/load[-smoke]/:
locust.html, locust_*.csv, latency.png, server.log. Exits non-zero on any broken budget.
"""
# ruff: noqa: S603 - fixed argument lists

import argparse
import csv
import os
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from load import stack
from load.plot import plot

BUDGETS = Path(__file__).with_name("budgets.toml")
APP = "example_api.wsgi:application"


def _seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1] in units:
        return int(duration[:-1]) * units[duration[-1]]
    return int(duration)


def app_server(config: dict[str, Any], port: int, log_path: Path) -> stack.Server:
    kind = config.get("kind", "gunicorn")
    workers = int(config.get("workers", 4))
    if kind == "gunicorn":
        return stack.gunicorn(APP, port=port, workers=workers, log_path=log_path)
    if kind == "granian":
        threads = int(config.get("threads", 4))
        return stack.granian_wsgi(
            APP, port=port, workers=workers, threads=threads, log_path=log_path
        )
    raise SystemExit(f"unknown server kind {kind!r} in {BUDGETS}")


def run_locust(
    *, shape: dict[str, Any], port: int, reports: Path, seed_file: Path, password: str
) -> int:
    env = dict(os.environ, LOAD_SEED_FILE=str(seed_file), LOAD_PASSWORD=password)
    cmd = [
        str(stack.BIN / "locust"),
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--only-summary",
        "--host",
        f"http://{stack.HOST}:{port}",
        "--users",
        str(shape["users"]),
        "--spawn-rate",
        str(shape["spawn_rate"]),
        "--run-time",
        shape["duration"],
        "--stop-timeout",
        "5",
        "--csv",
        str(reports / "locust"),
        "--csv-full-history",
        "--html",
        str(reports / "locust.html"),
        "--loglevel",
        "WARNING",
    ]
    stack.log(f"locust (one process, FastHttpUser): {shape['users']} users for {shape['duration']}")
    limit = _seconds(shape["duration"]) + 90
    try:
        return subprocess.run(cmd, env=env, cwd=stack.ROOT, timeout=limit, check=False).returncode
    except subprocess.TimeoutExpired:
        stack.log(f"locust did not finish within {limit}s")
        return 124


def check_budgets(stats_csv: Path, budgets: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(table lines, broken budgets) from locust's per-endpoint stats."""
    with stats_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    endpoint_budgets: dict[str, dict[str, float]] = budgets["endpoints"]
    broken: list[str] = []
    header = (
        f"{'endpoint':<26} {'reqs':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} "
        f"{'p99':>6} {'budget p95/p99':>15}  ok"
    )
    lines = [header, "-" * len(header)]
    seen = set()
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        requests, failures = int(row["Request Count"]), int(row["Failure Count"])
        p50, p95, p99 = (float(row[c]) if row[c] != "N/A" else 0.0 for c in ("50%", "95%", "99%"))
        budget = endpoint_budgets.get(name)
        verdict = ""
        if budget is not None:
            seen.add(name)
            over = [
                f"{name}: {label} {value:.0f} ms > {budget[key]:.0f} ms"
                for label, key, value in (("p95", "p95_ms", p95), ("p99", "p99_ms", p99))
                if value > budget[key]
            ]
            broken += over
            verdict = "no" if over else "yes"
        elif name != "all":
            broken.append(f"{name}: no budget in {BUDGETS.name}; add one")
            verdict = "no"
        budget_text = f"{budget['p95_ms']:.0f}/{budget['p99_ms']:.0f}" if budget else ""
        lines.append(
            f"{name:<26} {requests:>7} {failures:>5} {float(row['Requests/s']):>7.1f} "
            f"{p50:>6.0f} {p95:>6.0f} {p99:>6.0f} {budget_text:>15}  {verdict}"
        )
        if name == "all":
            ratio = failures / requests if requests else 1.0
            if not requests:
                broken.append("no requests were made")
            elif ratio > budgets["errors"]["max_ratio"]:
                broken.append(
                    f"error ratio {ratio:.4f} > {budgets['errors']['max_ratio']} "
                    f"({failures} of {requests}; see locust_failures.csv)"
                )
    broken += [f"{name}: never requested" for name in endpoint_budgets if name not in seen]
    return lines, broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the short CI variant")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "18080")))
    parser.add_argument("--db", default=os.environ.get("LOAD_DB", "slipway_load"))
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("LOAD_REDIS_DB", "13")))
    parser.add_argument("--reports", type=Path, default=None)
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look")
    args = parser.parse_args(argv)
    stack.exit_on_sigterm()

    budgets = tomllib.loads(BUDGETS.read_text())
    shape = budgets["smoke" if args.smoke else "run"]
    name = "load-smoke" if args.smoke else "load"
    reports: Path = args.reports or stack.ROOT / "reports" / name
    reports.mkdir(parents=True, exist_ok=True)
    for old in reports.glob("locust*"):
        old.unlink()
    password = secrets.token_urlsafe(18)
    seed_file = reports / "seed.json"
    env = stack.app_env(db_name=args.db, redis_db=args.redis_db)
    server = app_server(budgets["server"], args.port, reports / "server.log")
    (reports / "server.log").unlink(missing_ok=True)

    with stack.services(db_name=args.db, redis_db=args.redis_db, keep_db=args.keep_db):
        stack.prepare(env, seed_file, password)
        stack.log(f"starting {server.name} on {stack.HOST}:{args.port} (DEBUG off)")
        try:
            server.start(env)
            code = run_locust(
                shape=shape,
                port=args.port,
                reports=reports,
                seed_file=seed_file,
                password=password,
            )
        finally:
            server.stop()
            stack.log(f"stopped {server.name}")
    for secret_file in reports.glob("seed*"):
        secret_file.unlink()  # raw tokens of a dropped database; no use, but keep none around

    stats = reports / "locust_stats.csv"
    if not stats.exists():
        stack.log(f"locust wrote no stats (exit {code})")
        return 1
    plot(
        reports / "locust_stats_history.csv",
        reports / "latency.png",
        title=f"{'load-smoke' if args.smoke else 'load'}: {server.name}, {shape['users']} users",
    )
    lines, broken = check_budgets(stats, budgets)
    print()
    print(f"{server.name}, {shape['users']} users, {shape['duration']}; latencies in ms")
    print("\n".join(lines))
    print(f"\nreports: {reports.relative_to(stack.ROOT)}/locust.html, locust_*.csv, latency.png")
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
