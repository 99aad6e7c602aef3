"""The API served as in production (`python -m example_api.serve`: granian, its workers) in
a process of its own, with an environment the test chooses. SDKs that keep process-wide
state (Sentry, OpenTelemetry) start there, never in the pytest worker."""

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from tests.harness import launcher
from tests.harness.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
# Variables of the pytest process that would change what the served app does.
_DROPPED = ("SENTRY_", "OTEL_", "DJANGO_SETTINGS_MODULE", "PORT", "HOST", "SERVE_UDS")


def database_url_of_this_worker() -> str:
    """The database this pytest worker's tests use (transactional tests commit to it)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def served_app(env: dict[str, str], *, startup_timeout: float = 90.0) -> Iterator[str]:
    """Starts the server with `env` over a clean copy of ours; yields its base URL once
    /healthz answers; stops it (SIGTERM, as systemd does) afterwards."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED)}
    full_env = clean | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        # One worker process (granian's, started after the main one) is enough to show the
        # SDKs start there, and starts twice as fast as two on a busy machine.
        "WEB_CONCURRENCY": "1",
        "BLOCKING_THREADS": "1",
        **env,
    }
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "example_api.serve"]
    ready = launcher.http_ok(f"{base_url}/healthz")
    with tempfile.TemporaryDirectory(prefix="slipway-served-") as directory:
        log_path = Path(directory) / "server.log"
        try:
            # Its own process, not a group: SIGTERM to granian's main process, as systemd's
            # KillMode=mixed does, lets the workers' SDKs flush as they stop.
            with launcher.served(
                command,
                env=full_env,
                log_path=log_path,
                ready=ready,
                timeout=startup_timeout,
                grace=30,
                group=False,
            ):
                yield base_url
        except launcher.NotReady as error:
            raise AssertionError(f"{error}:\n{log_path.read_text(errors='replace')}") from None
