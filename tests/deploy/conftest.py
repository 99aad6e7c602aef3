"""Fixtures for the deploy tests: a fresh Debian 12 lab host, deployed with site.yml.

The host is booted with lab/lab.sh (systemd-nspawn), gets its own inventory and vault, and is
stopped and removed afterwards, also when a test fails or the run is interrupted. Network
traffic goes only to that host's own address.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from accounts import Account, make_account

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab" / "lab.sh"
# nspawn (default): a systemd-nspawn container, fast. vm: a QEMU VM with its own kernel, for
# what a container cannot show (kernel settings); slow under software emulation.
TIER = os.environ.get("SLIPWAY_LAB_TIER", "nspawn")
if TIER not in {"nspawn", "vm"}:
    raise ValueError(f"SLIPWAY_LAB_TIER must be nspawn or vm, not {TIER!r}")
HOST_NAME = "deploytest" if TIER == "nspawn" else "deployvm"
CACHE = Path(os.environ.get("SLIPWAY_CACHE", Path.home() / ".cache" / "slipway"))
KEY = CACHE / "lab_ed25519"
SSH_OPTS = [
    "-i",
    str(KEY),
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ConnectTimeout=5",
]

# Timings of this run, printed at the end (see pytest_terminal_summary).
TIMINGS: dict[str, float] = {}
# Other figures of this run (requests sent and failed during a redeploy, ...).
FIGURES: dict[str, int] = {}


def pytest_configure(config: pytest.Config) -> None:
    # A SIGTERM (CI timeout, kill) becomes KeyboardInterrupt, so fixtures still tear down.
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.section("deploy timings")
        for what, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{what:<32} {seconds:7.1f} s")
    for what, value in FIGURES.items():
        terminalreporter.write_line(f"{what:<32} {value:7d}")


@dataclass
class PlaybookRun:
    returncode: int
    output: str
    seconds: float

    def recap(self, host: str) -> dict[str, int]:
        """The PLAY RECAP counters of one host: ok, changed, unreachable, failed, ..."""
        line = re.search(rf"^{re.escape(host)}\s*:\s*(ok=.*)$", self.output, re.MULTILINE)
        assert line, f"no PLAY RECAP line for {host}:\n{self.output[-3000:]}"
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line.group(1))}

    def changed_tasks(self) -> list[str]:
        """Names of tasks that reported a change (for a readable failure message)."""
        names = []
        task = ""
        for line in self.output.splitlines():
            if line.startswith(("TASK [", "RUNNING HANDLER [")):
                task = line.split("[", 1)[1].rsplit("]", 1)[0]
            elif line.startswith("changed:"):
                names.append(task)
        return names


@dataclass
class LabHost:
    name: str
    address: str
    inventory: Path
    release: str
    domain: str = field(init=False)
    runs: list[PlaybookRun] = field(default_factory=list)
    _tls: ssl.SSLContext = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.domain = f"{self.name}.slipway.test"

    # --- ansible ---------------------------------------------------------------------------
    def run_site(self, log: Path) -> PlaybookRun:
        return self.run_playbook("site.yml", log, "-e", f"app_release_ref={self.release}")

    def run_playbook(self, playbook: str, log: Path, *extra: str) -> PlaybookRun:
        started = time.monotonic()
        result = subprocess.run(
            [
                "ansible-playbook",
                "-i",
                str(self.inventory),
                "--vault-password-file",
                str(self.inventory / "vault-pass"),
                str(REPO / "ansible" / playbook),
                *extra,
            ],
            cwd=REPO,
            env={
                **os.environ,
                "ANSIBLE_CONFIG": str(REPO / "ansible" / "ansible.cfg"),
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_FORCE_COLOR": "0",
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=1800,
            check=False,
        )
        run = PlaybookRun(result.returncode, result.stdout, time.monotonic() - started)
        log.write_text(run.output)
        self.runs.append(run)
        return run

    def live_port(self) -> int:
        """The port of the app instance nginx sends traffic to."""
        upstream = self.sudo("cat /etc/nginx/snippets/example_api-upstream.conf")
        match = re.search(r"server 127\.0\.0\.1:(\d+);", upstream)
        assert match, upstream
        return int(match.group(1))

    # --- ssh -------------------------------------------------------------------------------
    def ssh(self, user: str, command: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ssh", *SSH_OPTS, *extra, f"{user}@{self.address}", command],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def sudo(self, command: str) -> str:
        """Run a command as root through the deploy user; fail the test if it fails."""
        result = self.ssh("deploy", f"sudo -n {command}")
        assert result.returncode == 0, f"{command!r} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    # --- https, as a client that trusts the server's own certificate -----------------------
    def tls_context(self) -> ssl.SSLContext:
        cert = self.sudo("cat /etc/nginx/tls/selfsigned.crt")
        return ssl.create_default_context(cadata=cert)

    def request(
        self,
        method: str,
        path: str,
        body: object | None = None,
        token: str | None = None,
        scheme: str = "https",
    ) -> tuple[int, dict[str, str], object]:
        headers = {"Host": self.domain, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if scheme == "https":
            conn: http.client.HTTPConnection = _PinnedHTTPSConnection(
                self.address, self.domain, self._tls
            )
        else:
            conn = http.client.HTTPConnection(self.address, 80, timeout=15)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            parsed: object = raw.decode(errors="replace")
            if response.getheader("Content-Type", "").startswith("application/json") and raw:
                parsed = json.loads(raw)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed
        finally:
            conn.close()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address, with SNI and certificate checks for the server's DNS name."""

    def __init__(self, address: str, server_name: str, context: ssl.SSLContext) -> None:
        super().__init__(address, 443, timeout=15, context=context)
        self._server_name = server_name
        self._ctx = context

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(sock, server_hostname=self._server_name)


def _lab(*args: str) -> str:
    result = subprocess.run(
        [str(LAB), *args], capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"lab.sh {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout.strip()


@pytest.fixture(scope="session")
def lab_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHost]:
    """A fresh Debian 12 host: booted, not yet provisioned."""
    if os.geteuid() != 0:
        pytest.fail("the deploy tests boot systemd-nspawn hosts and must run as root")
    release = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    _lab("down", HOST_NAME)  # a host left by an interrupted run
    started = time.monotonic()
    try:
        address = _lab("up" if TIER == "nspawn" else "up-vm", HOST_NAME).splitlines()[-1]
        TIMINGS[f"boot host ({TIER}, to ssh)"] = time.monotonic() - started
        inventory = tmp_path_factory.mktemp("inventory")
        _lab("inventory", str(inventory))
        # Only this host: the inventory lists every running lab host, so narrow it.
        (inventory / "hosts.yml").write_text(
            "---\nall:\n  children:\n    app_servers:\n      hosts:\n"
            f"        {HOST_NAME}:\n          ansible_host: {address}\n"
        )
        host = LabHost(HOST_NAME, address, inventory, release)
        yield host
    finally:
        _lab("down", HOST_NAME)


@pytest.fixture(scope="session")
def deployed(lab_host: LabHost, tmp_path_factory: pytest.TempPathFactory) -> LabHost:
    """The host after a first run of site.yml (provision + deploy) from a fresh Debian 12."""
    log = tmp_path_factory.mktemp("logs") / "site-first-run.log"
    run = lab_host.run_site(log)
    TIMINGS["site.yml, first run"] = run.seconds
    if run.returncode != 0:
        pytest.fail(f"site.yml failed on a fresh host (log: {log}):\n{run.output[-6000:]}")
    lab_host._tls = lab_host.tls_context()
    return lab_host


@pytest.fixture(scope="session")
def account(deployed: LabHost) -> Account:
    """A user (password and token) who may book a resource on the deployed host."""
    return make_account(deployed)
