"""Metrics with several granian workers: `python -m example_api.serve` with two worker
processes on a Unix socket (as on a server); requests spread over both, and one scrape of
/metrics, answered by either, counts every request once. The directory the workers share
is made for this start and removed when the server stops."""

import http.client
import os
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.harness import launcher
from tests.scrape import Samples, parse, value

pytestmark = pytest.mark.integration

REQUESTS = 200
HEALTHZ = {"method": "GET", "route": "healthz"}


class UnixConnection(http.client.HTTPConnection):
    """HTTP over the instance's Unix socket, as nginx reaches it; a connection per request
    (the kernel hands each to either worker)."""

    def __init__(self, sock_path: Path) -> None:
        super().__init__("localhost", timeout=10)
        self.sock_path = sock_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(10)
        self.sock.connect(str(self.sock_path))


def get(sock_path: Path, path: str) -> tuple[int, str]:
    conn = UnixConnection(sock_path)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def serve(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    sock_path = tmp_path / "app.sock"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # /healthz and /metrics touch no table: an empty SQLite file is all they need.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SERVE_UDS": str(sock_path),
        "WEB_CONCURRENCY": "2",
        "XDG_RUNTIME_DIR": str(tmp_path),  # as the systemd unit's RuntimeDirectory
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log_path = tmp_path / "server.log"
    proc = launcher.launch([sys.executable, "-m", "example_api.serve"], env=env, log_path=log_path)
    try:
        launcher.wait_ready(proc, lambda: get(sock_path, "/healthz")[0] == 200, 60, "the server")
    except launcher.NotReady as error:
        launcher.stop(proc)
        raise AssertionError(f"{error}:\n{log_path.read_text()}") from None
    return proc, sock_path


def scrape(sock_path: Path) -> Samples:
    status, text = get(sock_path, "/metrics")
    assert status == 200, text
    return parse(text)


def test_two_workers_add_up_in_one_scrape(tmp_path):
    proc, sock_path = serve(tmp_path)
    try:
        (shared,) = tmp_path.glob("slipway-metrics-*")
        counted = "slipway_http_requests_total"
        before = value(scrape(sock_path), counted, **HEALTHZ, status="2xx")

        def probe(_: int) -> int:
            return get(sock_path, "/healthz")[0]

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(probe, range(REQUESTS))) == {200}
        # Each worker writes its values to files named after its pid.
        writers = {path.stem.rsplit("_", 1)[1] for path in shared.glob("counter_*.db")}
        assert len(writers) == 2, sorted(shared.iterdir())
        for _ in range(4):  # whichever worker answers the scrape, the sum is the same
            samples = scrape(sock_path)
            assert value(samples, counted, **HEALTHZ, status="2xx") - before == REQUESTS
            assert value(samples, "slipway_http_requests_in_flight", **HEALTHZ) == 0
    finally:
        launcher.stop(proc)
    assert proc.returncode is not None
    assert not shared.exists()  # removed with the server
