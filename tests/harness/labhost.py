"""A lab host as the deploy and cluster tests see it: boot it, run playbooks on it, talk to it.

Hosts are booted with lab/lab.sh (systemd-nspawn, or QEMU in the vm tier) in a release and a
bootstrap layout of our choice; each gets an inventory of its own. Network traffic goes only
to the hosts' own addresses.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab" / "lab.sh"
CACHE = Path(os.environ.get("SLIPWAY_CACHE", Path.home() / ".cache" / "slipway"))
KEY = CACHE / "lab_ed25519"
APP_USER = "example_api"
DEPLOY_USER = "deploy"

# Timings and other figures of this run, printed at the end (conftest's terminal summary).
TIMINGS: dict[str, float] = {}
FIGURES: dict[str, int] = {}


def git_head() -> str:
    """The repository's commit, as the release name the deploy gives it."""
    return subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def ssh_options(port: int) -> list[str]:
    return [
        *("-i", str(KEY), "-p", str(port)),
        *("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"),
        *("-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"),
        *("-o", "ConnectTimeout=5"),
    ]


def lab(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(LAB), *args],
        # A stdin of its own: Ansible refuses a non-blocking one (node, run earlier in the
        # same CI job, may leave the shared one so).
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise RuntimeError(f"lab.sh {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout.strip()


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
    """One booted host: its Debian release, its first login and SSH port, its inventory."""

    name: str
    address: str
    debian: str
    bootstrap_user: str
    port: int
    inventory: Path
    release: str  # the app release (commit) the tests deploy
    domain: str = field(init=False)
    runs: list[PlaybookRun] = field(default_factory=list)
    _tls: ssl.SSLContext | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.domain = f"{self.name}.slipway.test"

    # --- ansible ---------------------------------------------------------------------------
    def run_site(
        self,
        log: Path,
        *extra: str,
        inventory: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> PlaybookRun:
        release = f"app_release_ref={self.release}"
        return self.run_playbook(
            "site.yml", log, "-e", release, *extra, inventory=inventory, env=env
        )

    def run_playbook(
        self,
        playbook: str,
        log: Path,
        *extra: str,
        inventory: Path | None = None,
        env: dict[str, str] | None = None,  # more environment (an ssh-agent's socket)
    ) -> PlaybookRun:
        inventory = inventory or self.inventory
        started = time.monotonic()
        result = subprocess.run(
            [
                "ansible-playbook",
                # The hosts file, not its directory: ansible would read every file there as an
                # inventory, vault-pass included (its password would become a host).
                *("-i", str(inventory / "hosts.yml")),
                *("--vault-password-file", str(inventory / "vault-pass")),
                str(REPO / "ansible" / playbook),
                # Builds beside the inventory, not in the clone's ansible/.build: the deploy and
                # cluster tests run side by side from one clone, and one's pruning of earlier
                # builds removed the other's build between two tasks.
                *("-e", f"app_build_dir={inventory.parent / 'build'}"),
                *extra,
            ],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            env={
                **os.environ,
                "ANSIBLE_CONFIG": str(REPO / "ansible" / "ansible.cfg"),
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_FORCE_COLOR": "0",
                **(env or {}),
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

    def write_hosts(self, inventory: Path, **changed: object) -> None:
        """The inventory's hosts.yml: this host only, whatever else runs, with its address,
        SSH port and first login (and any variables to change, for bad input)."""
        host_vars = {"ansible_host": self.address, "ansible_port": self.port}
        host_vars |= {"bootstrap_user": self.bootstrap_user, **changed}
        lines = ["---", "all:", "  children:", "    app_servers:", "      hosts:"]
        lines += [f"        {self.name}:"]
        lines += [f"          {key}: {json.dumps(value)}" for key, value in host_vars.items()]
        (inventory / "hosts.yml").write_text("\n".join(lines) + "\n")

    def variant_inventory(self, directory: Path, **changed: object) -> Path:
        """A copy of this host's inventory with some host variables changed (bad input)."""
        shutil.copytree(self.inventory, directory)
        self.write_hosts(directory, **changed)
        return directory

    def live_instance(self) -> str:
        """The app instance nginx sends traffic to: the one its socket link points at."""
        target = self.sudo(f"readlink /srv/{APP_USER}/live.sock").strip()
        match = re.fullmatch(rf"/run/{APP_USER}/(\w+)\.sock", target)
        assert match, target
        return match.group(1)

    # --- ssh -------------------------------------------------------------------------------
    def ssh(
        self, user: str, command: str, *extra: str, input_text: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ssh", *ssh_options(self.port), *extra, f"{user}@{self.address}", command],
            input=input_text,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def sudo(self, command: str, user: str = DEPLOY_USER) -> str:
        """Run a command as root through `user` (the deploy user); fail the test if it fails."""
        result = self.ssh(user, f"sudo -n {command}")
        assert result.returncode == 0, f"{command!r} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    # --- https, as a client that trusts the server's own certificate -----------------------
    def certificate(self) -> str:
        return self.sudo("cat /etc/nginx/tls/selfsigned.crt")

    def tls_context(self) -> ssl.SSLContext:
        """A client context that trusts this host's own certificate (fetched once)."""
        if self._tls is None:
            self._tls = ssl.create_default_context(cadata=self.certificate())
        return self._tls

    def request(
        self,
        method: str,
        path: str,
        body: object | None = None,
        token: str | None = None,
        scheme: str = "https",
    ) -> tuple[int, dict[str, str], Any]:
        headers = {"Host": self.domain, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if scheme == "https":
            conn: http.client.HTTPConnection = PinnedHTTPSConnection(
                self.address, self.domain, self.tls_context()
            )
        else:
            conn = http.client.HTTPConnection(self.address, 80, timeout=15)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            parsed: Any = raw.decode(errors="replace")
            if response.getheader("Content-Type", "").startswith("application/json") and raw:
                parsed = json.loads(raw)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed
        finally:
            conn.close()


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address, with SNI and certificate checks for the server's DNS name."""

    def __init__(
        self,
        address: str,
        server_name: str,
        context: ssl.SSLContext,
        port: int = 443,
        timeout: float = 15,
    ) -> None:
        # port and timeout: the cluster tests' load uses short timeouts through the balancer.
        super().__init__(address, port, timeout=timeout, context=context)
        self._server_name = server_name
        self._ctx = context

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(sock, server_hostname=self._server_name)


@dataclass(frozen=True)
class Shape:
    """What to boot: a Debian release, a bootstrap layout (root or sudo) and an SSH port."""

    name: str
    debian: str
    layout: str
    port: int = 22

    @property
    def bootstrap_user(self) -> str:
        return "root" if self.layout == "root" else "debian"


def boot(shape: Shape, tier: str, inventory: Path, release: str) -> LabHost:
    """Boot a fresh host of this shape and write its own inventory (and vault)."""
    env = {
        "SLIPWAY_DEBIAN": shape.debian,
        "SLIPWAY_BOOTSTRAP": shape.layout,
        "SLIPWAY_SSH_PORT": str(shape.port),
    }
    lab("down", shape.name)  # a host left by an interrupted run
    started = time.monotonic()
    address = lab("up" if tier == "nspawn" else "up-vm", shape.name, env=env).splitlines()[-1]
    TIMINGS[f"{shape.name}: boot (Debian {shape.debian}, {tier}, to ssh)"] = (
        time.monotonic() - started
    )
    lab("inventory", str(inventory))
    host = LabHost(
        shape.name, address, shape.debian, shape.bootstrap_user, shape.port, inventory, release
    )
    host.write_hosts(inventory)
    return host
