"""Queries and in-process time per request of the benchmarked endpoints, without a server.

    python -m load.profile_endpoints [--requests 300] [--cprofile]

Creates its own database (slipway_load_profile) and Redis db, seeds it like `make load`,
then drives the WSGI app through Django's test client with the production settings (DEBUG
off, Redis cache): for each endpoint, the SQL queries of one warm request and the mean time
per request. --cprofile prints where the time goes for GET /bookings/{id}/.
"""

import argparse
import cProfile
import json
import os
import pstats
import secrets
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


if __name__ == "__main__":
    sys.exit(main())
