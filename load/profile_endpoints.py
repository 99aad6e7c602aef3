"""Queries and in-process time per request of the benchmarked endpoints, without a server.

    python -m load.profile_endpoints [--requests 300] [--cprofile]

Creates its own database (slipway_load_profile) and Redis db, seeds it like `make load`,
then drives the WSGI app through Django's test client with the production settings (DEBUG
off, Redis cache): for each endpoint, the SQL queries of one warm request and the mean time
per request. --cprofile prints where the time goes for GET /bookings/{id}/.

Then, for GET /bookings/{id}/ alone, the CPU time per request of the WSGI app called directly
(no test client) next to the FastAPI reference (load/reference_fastapi.py) called directly on
an asyncio loop, same database, same process: the two request paths compared without a
server, wrk or the other processes of a loaded machine (see docs/performance.md).
"""

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
import pstats
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from load import stack

DB = "slipway_load_profile"
REDIS_DB = 12


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args(argv)
    env = stack.app_env(db_name=DB, redis_db=REDIS_DB)
    seed_file = stack.ROOT / "reports" / "profile" / "seed.json"
    with stack.services(db_name=DB, redis_db=REDIS_DB):
        stack.prepare(env, seed_file, secrets.token_urlsafe(18))
        os.environ.update(env)
        try:
            profile(json.loads(seed_file.read_text()), args.requests, args.cprofile)
        finally:
            from django.db import connections

            connections.close_all()
            for leftover in seed_file.parent.glob("seed*"):
                leftover.unlink()
    return 0


def profile(seed: dict[str, list[dict[str, object]]], requests: int, use_cprofile: bool) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    logs_to_devnull()

    user = next(u for u in seed["users"] if u["bookings"])
    bookings: list[int] = user["bookings"]  # type: ignore[assignment]
    resources: list[int] = seed["resources"]  # type: ignore[assignment]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {user['token']}")
    slot = [int(time.time()) // 3600 + 24 * 500]

    def post() -> int:
        slot[0] += 1
        start = time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(slot[0] * 3600))
        end = time.strftime("%Y-%m-%dT%H:30:00Z", time.gmtime(slot[0] * 3600))
        body = {"resource_id": resources[0], "start": start, "end": end}
        return client.post("/api/v1/bookings/", body, content_type="application/json").status_code

    calls: dict[str, Callable[[], int]] = {
        "GET /healthz (no auth, no DB)": lambda: client.get("/healthz").status_code,
        "GET /bookings/{id}/": lambda: client.get(f"/api/v1/bookings/{bookings[0]}/").status_code,
        "GET /users/{id}/bookings/": lambda: (
            client.get(f"/api/v1/users/{user['id']}/bookings/").status_code
        ),
        "GET /resources/": lambda: client.get("/api/v1/resources/").status_code,
        "POST /bookings/": post,
    }
    print(f"\n{'endpoint':<32} {'status':>6} {'queries':>7} {'ms/request':>10}")
    for name, call in calls.items():
        call()  # warm: token cache, connection
        queries: list[str] = []

        def record(
            execute: Callable[..., object], sql: str, *args: object, seen: list[str] = queries
        ) -> object:
            seen.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(record):
            status = call()
        started = time.perf_counter()
        for _ in range(requests):
            call()
        per_request = (time.perf_counter() - started) * 1000 / requests
        print(f"{name:<32} {status:>6} {len(queries):>7} {per_request:>10.2f}")
        for query in queries:
            print(f"    {query[:150]}")
    if use_cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            calls["GET /bookings/{id}/"]()
        profiler.disable()
        out = Path(stack.ROOT / "reports" / "profile" / "get_booking.prof")
        profiler.dump_stats(out)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    compare_with_reference(user["token"], bookings[0])  # type: ignore[arg-type]


def logs_to_devnull() -> None:
    """The access log stays on (its cost is part of a request) but goes to /dev/null, not
    thousands of lines onto the terminal. Again after each django.setup(), which reconfigures
    logging."""
    devnull = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(devnull)


def cpu_us_per_call(
    run_calls: Callable[[int], object], calls: int = 2000, rounds: int = 5
) -> float:
    """Median over rounds of the process CPU time per call (less noisy than wall time).
    `run_calls(n)` makes n calls, so sync and async callers are measured the same way."""
    run_calls(200)  # warm-up
    samples = []
    for _ in range(rounds):
        started = time.process_time()
        run_calls(calls)
        samples.append((time.process_time() - started) * 1e6 / calls)
    return statistics.median(samples)


def repeat(call: Callable[[], object]) -> Callable[[int], None]:
    def run_calls(n: int) -> None:
        for _ in range(n):
            call()

    return run_calls


def compare_with_reference(token: str, booking_id: int) -> None:
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    app = get_wsgi_application()
    logs_to_devnull()
    path = f"/api/v1/bookings/{booking_id}/"

    def wsgi_get() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
        statuses: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            statuses.append(status)
            return lambda data: None

        b"".join(app(environ, start_response))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"GET {path} answered {statuses[0]}")

    api_cpu = cpu_us_per_call(repeat(wsgi_get))
    connection.close()
    reference_cpu = _reference_cpu(path)
    print("\nGET /bookings/{id}/ in-process CPU per request (median of 5 x 2,000):")
    print(f"  API (WSGI app called directly, access log on)  {api_cpu:7.0f} us")
    print(f"  FastAPI reference (ASGI app called directly)   {reference_cpu:7.0f} us")
    print(f"  API cost / reference cost                      {api_cpu / reference_cpu:7.2f}")


def _reference_cpu(path: str) -> float:
    from load import reference_fastapi as reference

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
    }
    statuses: list[int] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])  # type: ignore[arg-type]

    async def requests(n: int) -> None:
        for _ in range(n):
            await reference.app(dict(scope), receive, send)  # type: ignore[arg-type]

    loop = asyncio.new_event_loop()
    loop.run_until_complete(reference.pool.open(wait=True))
    try:
        cpu = cpu_us_per_call(lambda n: loop.run_until_complete(requests(n)))
    finally:
        loop.run_until_complete(reference.pool.close())
        loop.close()
    if set(statuses) != {200}:
        raise SystemExit(f"the reference answered {sorted(set(statuses))}")
    return cpu


if __name__ == "__main__":
    sys.exit(main())
