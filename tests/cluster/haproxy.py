"""lb1's HAProxy as the tests read it: each app server's state in the `app` backend, the
sessions each has served, and a watcher that samples the pool while a deploy runs.

Read through the admin socket over ssh (`show servers state`, `show stat`); the parsers are
pure functions of the socket's text (tested in test_00_harness.py).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.harness.labhost import LabHost

BACKEND = "app"
SOCKET = "/run/haproxy/admin.sock"
# HAProxy's enums (include/haproxy/server-t.h): srv_state and the srv_admin flags.
OP_STATES = {0: "DOWN", 1: "STARTING", 2: "UP", 3: "STOPPING"}
ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20  # forced, inherited, configured, resolution
ADMIN_DRAIN = 0x08 | 0x10  # forced, inherited


@dataclass(frozen=True)
class Server:
    name: str
    op_state: int
    admin_state: int
    weight: int

    @property
    def state(self) -> str:
        """MAINT, DRAIN (flag or weight 0), else the health: UP, DOWN, STARTING, STOPPING."""
        if self.admin_state & ADMIN_MAINT:
            return "MAINT"
        if self.admin_state & ADMIN_DRAIN or self.weight == 0:
            return "DRAIN"
        return OP_STATES.get(self.op_state, f"op_state {self.op_state}")


def parse_servers_state(text: str, backend: str = BACKEND) -> dict[str, Server]:
    """`show servers state`: a version line, a `# name ...` header, one line per server."""
    header: list[str] = []
    servers = {}
    for line in text.splitlines():
        if line.startswith("# "):
            header = line[2:].split()
        elif header and line.strip():
            row = dict(zip(header, line.split(), strict=False))
            if row.get("be_name") == backend:
                servers[row["srv_name"]] = Server(
                    row["srv_name"],
                    int(row["srv_op_state"]),
                    int(row["srv_admin_state"]),
                    int(row["srv_uweight"]),
                )
    assert header, f"not a `show servers state` answer:\n{text[:500]}"
    return servers


def parse_sessions(csv_text: str, backend: str = BACKEND) -> dict[str, int]:
    """`show stat` CSV: sessions each server of the backend has served so far (stot)."""
    lines = csv_text.splitlines() or [""]
    assert lines[0].startswith("# "), f"not a `show stat` answer:\n{csv_text[:500]}"
    header = lines[0][2:].split(",")
    sessions = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("pxname") == backend and row.get("svname") not in {"FRONTEND", "BACKEND"}:
            sessions[row["svname"]] = int(row["stot"] or 0)
    return sessions


def _socket(lb: LabHost, command: str) -> str:
    return lb.sudo(f"sh -c 'echo \"{command}\" | socat stdio {SOCKET}'")


def servers(lb: LabHost) -> dict[str, Server]:
    return parse_servers_state(_socket(lb, f"show servers state {BACKEND}"))


def states(lb: LabHost) -> dict[str, str]:
    return {name: server.state for name, server in servers(lb).items()}


def sessions(lb: LabHost) -> dict[str, int]:
    return parse_sessions(_socket(lb, "show stat"))


def out_of_pool(sample: dict[str, str]) -> set[str]:
    return {name for name, state in sample.items() if state != "UP"}


def most_out_at_once(samples: list[tuple[float, dict[str, str]]]) -> int:
    """The largest number of servers out of the pool in any one sample."""
    return max((len(out_of_pool(sample)) for _, sample in samples), default=0)


def ever_out(samples: list[tuple[float, dict[str, str]]]) -> list[str]:
    """Servers seen out of the pool, in the order they first left it."""
    seen: list[str] = []
    for _, sample in samples:
        seen += sorted(out_of_pool(sample) - set(seen))
    return seen


@dataclass
class PoolWatcher:
    """Samples the backend's states every `every` seconds while the `with` block runs."""

    lb: LabHost
    every: float = 0.5
    samples: list[tuple[float, dict[str, str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> PoolWatcher:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.monotonic(), states(self.lb)))
            except (AssertionError, OSError) as error:  # one lost sample is no verdict
                self.errors.append(repr(error))
            self._stop.wait(self.every)
