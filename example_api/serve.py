"""How the API is served in production, in one place: granian in WSGI mode.

The image (Dockerfile CMD), the servers' systemd unit and the load test all run
`python -m example_api.serve`. They choose where it listens; the sizes have one default here
that the environment can override:

    HOST, PORT         TCP address to bind (default 127.0.0.1:8000)
    SERVE_UDS          a Unix socket path to bind instead of TCP
    WEB_CONCURRENCY    worker processes (default 2)
    BLOCKING_THREADS   threads per worker, one database connection each (default 2)

2 workers x 2 threads was chosen by measurement on a 2-core host (docs/performance.md).

Before the workers start, each server start gets a fresh directory for the workers' metric
values (PROMETHEUS_MULTIPROC_DIR, example_api/metrics/processes.py), removed when it exits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from granian import Granian
from granian.constants import Interfaces

from example_api.metrics import processes

DEFAULT_WORKERS = 2
DEFAULT_THREADS = 2
# SIGTERM: stop accepting, let running requests finish for up to this long, then exit.
KILL_TIMEOUT_SECONDS = 20
TARGET = "example_api.wsgi:application"


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    uds: Path | None = None
    workers: int = DEFAULT_WORKERS
    threads: int = DEFAULT_THREADS

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ServeConfig:
        env = dict(os.environ if env is None else env)
        uds = env.get("SERVE_UDS")
        return cls(
            host=env.get("HOST", cls.host),
            port=int(env.get("PORT", cls.port)),
            uds=Path(uds) if uds else None,
            workers=int(env.get("WEB_CONCURRENCY", DEFAULT_WORKERS)),
            threads=int(env.get("BLOCKING_THREADS", DEFAULT_THREADS)),
        )


def granian_options(config: ServeConfig) -> dict[str, Any]:
    """Granian's documented constructor arguments (the same options as its command line)."""
    return {
        "address": config.host,
        "port": config.port,
        "uds": config.uds,
        "interface": Interfaces.WSGI,
        "workers": config.workers,
        "blocking_threads": config.threads,
        "websockets": False,
        # The app writes its own JSON access log with the request id.
        "log_access": False,
        "workers_kill_timeout": KILL_TIMEOUT_SECONDS,
    }


def main() -> None:
    clean_up = processes.prepare(os.environ)
    try:
        Granian(TARGET, **granian_options(ServeConfig.from_env())).serve()
    finally:
        clean_up()


if __name__ == "__main__":
    main()
