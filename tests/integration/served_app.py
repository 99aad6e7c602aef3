"""The API served as in production (`python -m example_api.serve`: granian, its workers) in
a process of its own, with an environment the test chooses. SDKs that keep process-wide
state (Sentry, OpenTelemetry) start there, never in the pytest worker."""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import quote

import httpx
from django.db import connection

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
    # A file, not a pipe: nobody reads while it serves, and a full pipe would block it.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(
        [sys.executable, "-m", "example_api.serve"],
        cwd=ROOT,
        env=full_env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, output, base_url, startup_timeout)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def _wait_until_serving(
    process: subprocess.Popen[bytes], output: IO[bytes], base_url: str, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}):\n{_read(output)}")
        try:
            httpx.get(f"{base_url}/healthz", timeout=5).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from /healthz within {timeout} s:\n{_read(output)}")


def _read(output: IO[bytes]) -> str:
    output.seek(0)
    return output.read().decode(errors="replace")
