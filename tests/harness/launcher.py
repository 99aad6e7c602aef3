"""Serve the app (or any server command) on this machine, wait until it answers, stop it.

One launcher for load/stack.py, tests/clients/stack.py, tests/integration/served_app.py and
test_metrics_processes.py: a process of our own (in a session of its own unless told not to,
so stopping ends its workers too), its output in a file (nobody reads a pipe while it
serves, and a full one would block it), a readiness probe, and a stop that sends SIGTERM as
systemd does, then SIGKILL after a grace period.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class NotReady(RuntimeError):
    """The server exited, or did not answer, before it was ready."""


def http_ok(url: str) -> Callable[[], bool]:
    """A probe: `url` answers 200."""

    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback URL
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    return probe


def launch(
    cmd: list[str], *, env: dict[str, str], log_path: Path, group: bool = True
) -> subprocess.Popen[bytes]:
    """Start `cmd` in the repository, its output appended to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as out:
        return subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=group
        )


def wait_ready(
    proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float, what: str
) -> None:
    """Return once `ready()` says so; raise NotReady when the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NotReady(f"{what} exited with {proc.returncode}")
        with suppress(OSError):
            if ready():
                return
        time.sleep(0.2)
    raise NotReady(f"{what} not ready after {timeout:.0f}s")


def stop(proc: subprocess.Popen[bytes], grace: float = 25, group: bool = True) -> None:
    """SIGTERM (the whole group when it has one), SIGKILL after `grace` seconds; then the
    group's workers that outlived their master."""
    if proc.poll() is None:
        _signal(proc, signal.SIGTERM, group)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal(proc, signal.SIGKILL, group)
            proc.wait(timeout=5)
    if group:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def _signal(proc: subprocess.Popen[bytes], signum: int, group: bool) -> None:
    with suppress(ProcessLookupError):
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)


@contextmanager
def served(
    cmd: list[str],
    *,
    env: dict[str, str],
    log_path: Path,
    ready: Callable[[], bool],
    timeout: float = 60,
    grace: float = 25,
    group: bool = True,
) -> Iterator[subprocess.Popen[bytes]]:
    """The server, ready, for the duration of the block; stopped afterwards, also when it
    never became ready (NotReady then names the log)."""
    proc = launch(cmd, env=env, log_path=log_path, group=group)
    try:
        try:
            wait_ready(proc, ready, timeout, cmd[-1])
        except NotReady as error:
            raise NotReady(f"{error}; see {log_path}") from None
        yield proc
    finally:
        stop(proc, grace, group)
