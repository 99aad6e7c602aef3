"""`make bench`: the API on the production stack against a bare hello app, measured with wrk.

    python -m load.bench [--runs 3] [--seconds 5] [--connections 16]

Starts, on loopback, a dedicated PostgreSQL database (seeded like `make load`), a dedicated
Redis db and, side by side on their own ports, for each candidate WSGI server:
  - the bare hello app (load/hello_wsgi.py): the ceiling of that server on this machine;
  - the API (example_api.wsgi), DEBUG off, the production settings;
plus the FastAPI + psycopg pool one-row read (load/reference_fastapi.py, a reference only).
Then it runs short wrk runs in rounds (every target once per round, so drift and noise are
spread evenly), and reports for each target the median over the rounds of requests/s, p50
and p99, with req/s as a ratio to the same server's hello ceiling, and the CPU time the
server's own processes spent per request (read from /proc; PostgreSQL and wrk excluded),
which a busy machine disturbs far less than req/s. The reference runs right after each
server's GET /bookings/{id}/ in every round, and the ratio reported is the median of those
paired rounds. Any status other than
the expected ones (200; 201 or 409 for POST) or any socket error fails the bench.
Results: reports/bench/bench.json and bench.md. Everything is stopped at the end.
"""
# ruff: noqa: S603 - fixed argument lists

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from load import stack

API_APP = "example_api.wsgi:application"
HELLO_APP = "load.hello_wsgi:application"
REFERENCE_APP = "load.reference_fastapi:app"
STRIDE_HOURS = 20_000  # per wrk thread and run: far more slots than a short run can use
GET_BOOKING = "GET /bookings/{id}/"


@dataclass
class Target:
    server: str  # which candidate server (or "reference")
    name: str  # what is measured
    port: int
    script: str
    args: list[str]
    ok: tuple[int, ...] = (200,)
    samples: list[dict[str, Any]] = field(default_factory=list)


def wrk(target: Target, *, seconds: int, connections: int, threads: int) -> dict[str, Any]:
    cmd = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        f"load/wrk/{target.script}",
        f"http://{stack.HOST}:{target.port}",
        "--",
        *target.args,
    ]
    done = subprocess.run(
        cmd, cwd=stack.ROOT, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRK "):
            result: dict[str, Any] = json.loads(line[4:])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            return result
    raise SystemExit(f"wrk gave no result for {target.name}:\n{done.stdout}\n{done.stderr}")


def problems(target: Target, result: dict[str, Any]) -> list[str]:
    found = [
        f"{target.server} {target.name}: {count} x status {status}"
        for status, count in result["statuses"].items()
        if int(status) not in target.ok
    ]
    found += [
        f"{target.server} {target.name}: {count} socket {kind} errors"
        for kind, count in result["socket_errors"].items()
        if count
    ]
    return found


def db_connections(db_name: str) -> int:
    with psycopg.connect(stack.PG_ADMIN_URL, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (db_name,)
        ).fetchone()
    return int(row[0]) if row else 0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def summarize(targets: list[Target]) -> list[dict[str, Any]]:
    rows = []
    ceilings = {
        t.server: median([s["rps"] for s in t.samples]) for t in targets if t.name == "hello"
    }
    for t in targets:
        rps = median([s["rps"] for s in t.samples])
        ceiling = ceilings.get(t.server)
        statuses: dict[str, int] = {}
        for sample in t.samples:
            for status, count in sample["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        rows.append(
            {
                "server": t.server,
                "target": t.name,
                "rps": round(rps, 1),
                "p50_ms": round(median([s["p50_us"] for s in t.samples]) / 1000, 2),
                "p99_ms": round(median([s["p99_us"] for s in t.samples]) / 1000, 2),
                "ratio_to_ceiling": round(rps / ceiling, 3) if ceiling else None,
                "cpu_us_per_request": round(median([s["cpu_us"] for s in t.samples])),
                "runs": [round(s["rps"], 1) for s in t.samples],
                "statuses": statuses,
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| server | target | req/s | p50 ms | p99 ms | ratio to ceiling | app CPU us/req "
        "| req/s per run |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio = f"{r['ratio_to_ceiling']:.3f}" if r["ratio_to_ceiling"] is not None else "-"
        runs = ", ".join(f"{v:.0f}" for v in r["runs"])
        lines.append(
            f"| {r['server']} | {r['target']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {ratio} | {r['cpu_us_per_request']} | {runs} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--granian-workers", type=int, default=2)
    parser.add_argument("--granian-threads", type=int, default=2)
    parser.add_argument("--servers", default="gunicorn,granian", help="comma-separated")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "18100")))
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "slipway_bench"))
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("BENCH_REDIS_DB", "14")))
    parser.add_argument("--reports", type=Path, default=stack.ROOT / "reports" / "bench")
    args = parser.parse_args(argv)
    stack.exit_on_sigterm()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk (make bench does it)")

    reports: Path = args.reports
    reports.mkdir(parents=True, exist_ok=True)
    seed_file = reports / "seed.json"
    tokens = str(seed_file.with_suffix(".txt"))
    resources = str(seed_file.with_suffix(".resources.txt"))
    env = stack.app_env(db_name=args.db, redis_db=args.redis_db)
    # The API's own logs stay on (JSON access log at INFO, as in production), into a file.
    servers: list[stack.Server] = []
    targets: list[Target] = []
    port = args.port
    chosen = [name.strip() for name in args.servers.split(",") if name.strip()]
    for kind in chosen:
        for app, role in ((HELLO_APP, "hello"), (API_APP, "api")):
            log_path = reports / f"{kind}-{role}.log"
            log_path.unlink(missing_ok=True)
            if kind == "gunicorn":
                server = stack.gunicorn(
                    app, port=port, workers=args.gunicorn_workers, log_path=log_path
                )
            elif kind == "granian":
                server = stack.granian_wsgi(
                    app,
                    port=port,
                    workers=args.granian_workers,
                    threads=args.granian_threads,
                    log_path=log_path,
                )
            else:
                raise SystemExit(f"unknown server {kind!r}: gunicorn or granian")
            servers.append(server)
            label = server.name
            if role == "hello":
                targets.append(Target(label, "hello", port, "get_path.lua", ["/"]))
            else:
                targets += [
                    Target(label, GET_BOOKING, port, "get_booking.lua", [tokens]),
                    Target(label, "GET /users/{id}/bookings/", port, "list_bookings.lua", [tokens]),
                    Target(
                        label,
                        "POST /bookings/",
                        port,
                        "create_booking.lua",
                        [tokens, resources],
                        ok=(201, 409),
                    ),
                ]
            port += 1
    reference_target: Target | None = None
    if not args.no_reference:
        reference = stack.granian_asgi(
            REFERENCE_APP,
            port=port,
            workers=args.granian_workers,
            log_path=reports / "reference.log",
        )
        (reports / "reference.log").unlink(missing_ok=True)
        servers.append(reference)
        reference_target = Target(
            "reference: FastAPI + psycopg pool (" + reference.name + ")",
            "GET /bookings/{id}/ one-row read",
            port,
            "get_booking.lua",
            [tokens],
        )
    by_port = {server.port: server for server in servers}
    # Per API server: its GET /bookings/{id}/ req/s over the reference's, round by round.
    paired_ratios: dict[str, list[float]] = {}

    broken: list[str] = []
    connections_after: dict[str, int] = {}
    started = time.monotonic()
    with stack.services(db_name=args.db, redis_db=args.redis_db):
        stack.prepare(env, seed_file, secrets.token_urlsafe(18))
        try:
            for server in servers:
                stack.log(f"starting {server.name} on {stack.HOST}:{server.port}")
                server.start(env)
            # Distinct booking slots for every POST run: each run gets its own base hour.
            base = int(time.time()) // 3600 * 3600 + 400 * 86400
            run_index = 0

            def measure(target: Target, seconds: int) -> dict[str, Any]:
                nonlocal run_index
                extra: list[str] = []
                if target.script == "create_booking.lua":
                    offset = run_index * (args.threads + 1) * STRIDE_HOURS * 3600
                    extra = [str(base + offset), str(STRIDE_HOURS)]
                    run_index += 1
                server = by_port[target.port]
                cpu_before = server.cpu_seconds()
                result = wrk(
                    Target(
                        target.server,
                        target.name,
                        target.port,
                        target.script,
                        target.args + extra,
                        target.ok,
                    ),
                    seconds=seconds,
                    connections=args.connections,
                    threads=args.threads,
                )
                result["cpu_us"] = (server.cpu_seconds() - cpu_before) * 1e6 / result["requests"]
                broken.extend(problems(target, result))
                return result

            def measure_and_log(target: Target) -> dict[str, Any]:
                sample = measure(target, args.seconds)
                target.samples.append(sample)
                stack.log(
                    f"  {target.server:<22.22} {target.name:<34.34} {sample['rps']:8.0f} "
                    f"req/s  p50 {sample['p50_us'] / 1000:6.2f} ms  "
                    f"p99 {sample['p99_us'] / 1000:7.2f} ms  cpu {sample['cpu_us']:6.0f} us/req"
                )
                return sample

            stack.log(
                f"load generator: wrk, {args.threads} threads, {args.connections} connections, "
                f"{args.runs} rounds of {args.seconds}s per target (warm-up {args.warmup}s)"
            )
            for target in targets + ([reference_target] if reference_target else []):
                measure(target, args.warmup)
            for round_number in range(1, args.runs + 1):
                stack.log(f"round {round_number}/{args.runs}")
                for target in targets:
                    sample = measure_and_log(target)
                    if reference_target and target.name == GET_BOOKING:
                        paired = measure_and_log(reference_target)
                        ratios = paired_ratios.setdefault(target.server, [])
                        ratios.append(sample["rps"] / paired["rps"])
            connections_after["all servers"] = db_connections(args.db)
        finally:
            for server in servers:
                server.stop()
            stack.log("stopped all servers")
    for leftover in reports.glob("seed*"):
        leftover.unlink()

    rows = summarize(targets + ([reference_target] if reference_target else []))
    api_get = {r["server"]: r for r in rows if r["target"] == GET_BOOKING}
    ref = [r for r in rows if r["server"].startswith("reference")]
    lines = table(rows)
    notes = [
        "",
        f"Load generator: wrk ({args.threads} threads, {args.connections} connections, "
        f"loopback), {args.runs} rounds x {args.seconds}s per target, medians. "
        f"{os.cpu_count()} CPUs shared by wrk and the servers.",
        f"gunicorn: sync worker class, {args.gunicorn_workers} workers. granian: WSGI, "
        f"{args.granian_workers} workers x {args.granian_threads} blocking threads. "
        f"PostgreSQL connections open to the bench database at the end: "
        f"{connections_after.get('all servers', '?')}.",
    ]
    if ref:
        ref_cpu = ref[0]["cpu_us_per_request"]
        for server, row in api_get.items():
            ratios = paired_ratios.get(server, [])
            rounds = ", ".join(f"{r:.2f}" for r in ratios)
            notes.append(
                f"{server} GET /bookings/{{id}}/ vs the FastAPI one-row reference: "
                f"{median(ratios):.2f}x the reference's req/s (median of paired rounds: "
                f"{rounds}); app CPU per request {row['cpu_us_per_request']} us vs {ref_cpu} us "
                f"({ref_cpu / max(row['cpu_us_per_request'], 1):.2f}x)"
            )
    print()
    print("\n".join(lines + notes))
    (reports / "bench.json").write_text(
        json.dumps(
            {"rows": rows, "notes": notes, "args": vars(args) | {"reports": str(reports)}}, indent=2
        )
    )
    (reports / "bench.md").write_text("\n".join(lines + notes) + "\n")
    stack.log(f"bench took {time.monotonic() - started:.0f}s; results in {reports}/bench.md")
    if broken:
        print("\nFAILED: unexpected answers (see the server logs in reports/bench/):")
        print("\n".join(f"  - {item}" for item in sorted(set(broken))))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
