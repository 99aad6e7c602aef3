"""`make load` / `make load-smoke`: the production stack on loopback under locust, with budgets.

    python -m load.run            # the full run (load/budgets.toml [run])
    python -m load.run --smoke    # tens of seconds, for CI ([smoke])

Creates a dedicated PostgreSQL database and uses a dedicated Redis db, migrates, seeds
(~1,000 users, ~10,000 bookings), serves the API as production does (`python -m
example_api.serve`, DEBUG off), runs locust headless for a bounded time, stops everything
(also on failure), then checks the budgets: error ratio and per-endpoint p50/p95/p99 (nobody
browses before every user has logged in, so only the logins meet the login ramp). Writes
reports/load[-smoke]/locust.html, locust_*.csv and server.log. Exits non-zero on any broken
budget.
"""
# ruff: noqa: S603 - fixed argument lists

import argparse
import csv
import os
import secrets
import statistics
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from load import stack

BUDGETS = Path(__file__).with_name("budgets.toml")
PERCENTILES = ("p50", "p95", "p99")


def _seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1] in units:
        return int(duration[:-1]) * units[duration[-1]]
    return int(duration)


def run_locust(
    *, shape: dict[str, Any], port: int, reports: Path, seed_file: Path, password: str
) -> int:
    env = dict(
        os.environ,
        LOAD_SEED_FILE=str(seed_file),
        LOAD_PASSWORD=password,
        LOAD_USERS=str(shape["users"]),
    )
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


def read_stats(stats_csv: Path) -> dict[str, dict[str, float]]:
    """Per request name ("all" for locust's aggregate): requests, failures, req/s, p50/p95/p99."""
    with stats_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))

    def number(text: str) -> float:
        return float(text) if text != "N/A" else 0.0

    return {
        ("all" if row["Name"] == "Aggregated" else row["Name"]): {
            "requests": number(row["Request Count"]),
            "failures": number(row["Failure Count"]),
            "rps": number(row["Requests/s"]),
            **{p: number(row[f"{p[1:]}%"]) for p in PERCENTILES},
        }
        for row in rows
    }


def relative_p50(stats: dict[str, dict[str, float]], budgets: dict[str, Any]) -> dict[str, float]:
    """Each endpoint's p50 over the median p50 of the other endpoints budgeted that way.

    A busy machine slows every endpoint alike and leaves these ratios nearly unchanged; an
    endpoint that became slower moves its own."""
    names = [n for n, b in budgets["endpoints"].items() if "p50_vs_others" in b and n in stats]
    ratios = {}
    for name in names:
        others = statistics.median(stats[n]["p50"] for n in names if n != name)
        ratios[name] = stats[name]["p50"] / others if others else 0.0
    return ratios


def check_budgets(
    stats: dict[str, dict[str, float]], budgets: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """(table lines, broken budgets)."""
    relative = relative_p50(stats, budgets)
    header = (
        f"{'endpoint':<26} {'reqs':>6} {'fail':>4} {'req/s':>6} {'p50':>6} {'p95':>6} "
        f"{'p99':>6} {'p50/others':>10}   budget"
    )
    lines, broken = [header, "-" * (len(header) + 24)], []
    for name, row in sorted(stats.items(), key=lambda item: item[0] == "all"):
        budget = budgets["endpoints"].get(name, {})
        if not budget and name != "all":
            broken.append(f"{name}: no budget in {BUDGETS.name}; add one")
        measured = {f"{p}_ms": row[p] for p in PERCENTILES} | {"p50_vs_others": relative.get(name)}
        broken += [
            f"{name}: {key} {measured[key]:.2f} > {limit}"
            for key, limit in budget.items()
            if measured[key] is not None and measured[key] > limit
        ]
        shown = relative.get(name)
        lines.append(
            f"{name:<26} {row['requests']:>6.0f} {row['failures']:>4.0f} {row['rps']:>6.1f} "
            + " ".join(f"{row[p]:>6.0f}" for p in PERCENTILES)
            + f" {'' if shown is None else f'{shown:.2f}':>10}   "
            + ", ".join(f"{key} {limit}" for key, limit in budget.items())
        )
    total = stats.get("all", {"requests": 0.0, "failures": 0.0})
    if not total["requests"]:
        broken.append("no requests were made")
    elif total["failures"] / total["requests"] > budgets["errors"]["max_ratio"]:
        broken.append(
            f"error ratio {total['failures'] / total['requests']:.4f} > "
            f"{budgets['errors']['max_ratio']} ({total['failures']:.0f} of "
            f"{total['requests']:.0f}; see locust_failures.csv)"
        )
    broken += [f"{name}: never requested" for name in budgets["endpoints"] if name not in stats]
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
    server = stack.serve(
        "example_api.serve", port=args.port, log_path=reports / "server.log", env=env
    )
    server.log_path.unlink(missing_ok=True)

    with stack.services(db_name=args.db, redis_db=args.redis_db, keep_db=args.keep_db):
        stack.prepare(env, seed_file, password)
        stack.log(f"starting {server.name} on {stack.HOST}:{args.port} (DEBUG off)")
        try:
            server.start()
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
    lines, broken = check_budgets(read_stats(stats), budgets)
    print()
    load_1m = os.getloadavg()[0]
    print(f"{server.name}, {shape['users']} users, {shape['duration']}; latencies in ms")
    print(f"machine load average (1 min) at the end: {load_1m:.1f} on {os.cpu_count()} CPUs")
    print("\n".join(lines))
    print(f"\nreports: {reports.relative_to(stack.ROOT)}/locust.html (charts), locust_*.csv")
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
