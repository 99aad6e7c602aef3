"""The cluster as the tests see it: lab hosts by name, one inventory, playbook runs, power.

Hosts are booted with lab/lab.sh (Debian 13, root as the first login, sshd on 22) and share
the inventory `lab.sh cluster-inventory` writes, which groups them by name. lb1 is the only
address clients use: it serves the API as api.slipway.test over HTTPS.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tests.harness.labhost import TIMINGS, LabHost, PlaybookRun, lab

API_DOMAIN = "api.slipway.test"
HOSTS = ("lb1", "app1", "app2", "db1", "db2")
LB_CERTIFICATE = "/etc/haproxy/tls/site.crt"
APP = "example_api"
T = TypeVar("T")


def only_certificates(pem: str) -> str:
    """The CERTIFICATE blocks of a PEM bundle: HAProxy's file may hold the key as well."""
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", pem, re.S)
    assert blocks, "no certificate in the balancer's PEM file"
    return "\n".join(blocks) + "\n"


@dataclass
class Balancer(LabHost):
    """lb1: an ssh host like the others, and the HTTPS client's one address for the API."""

    def __post_init__(self) -> None:
        self.domain = API_DOMAIN

    def certificate(self) -> str:
        return only_certificates(self.sudo(f"cat {LB_CERTIFICATE}"))


def until(check: Callable[[], T | None], timeout: float, what: str, every: float = 1.0) -> T:
    """Poll `check` until it returns something (not None); fail saying what never happened."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while True:
        try:
            result = check()
            if result is not None:
                return result
        except (AssertionError, OSError, subprocess.SubprocessError) as error:
            last_error = f" (last error: {error})"
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s{last_error}")
        time.sleep(every)


def in_parallel(function: Callable[[str], T], names: Iterable[str]) -> dict[str, T]:
    """`function(name)` for each name at once; the first exception is raised."""
    names = list(names)
    with ThreadPoolExecutor(max_workers=max(len(names), 1)) as pool:
        futures = {name: pool.submit(function, name) for name in names}
        return {name: future.result() for name, future in futures.items()}


@dataclass
class Cluster:
    """The booted hosts, the inventory they share, and the release the tests deploy."""

    workdir: Path
    release: str
    hosts: dict[str, LabHost] = field(default_factory=dict)
    off: set[str] = field(default_factory=set)  # powered off by a test, disk kept

    @property
    def inventory(self) -> Path:
        return self.workdir / "inventory"

    @property
    def lb(self) -> Balancer:
        host = self.hosts["lb1"]
        assert isinstance(host, Balancer)
        return host

    def group(self, prefix: str) -> list[LabHost]:
        """Hosts by role, in name order (app1, app2, ...)."""
        return [self.hosts[name] for name in sorted(self.hosts) if name.startswith(prefix)]

    @property
    def app_hosts(self) -> list[LabHost]:
        return self.group("app")

    @property
    def db_hosts(self) -> list[LabHost]:
        return self.group("db")

    def running(self, hosts: Iterable[LabHost]) -> list[LabHost]:
        """The hosts that are not powered off (ssh to one that is waits for a timeout)."""
        return [host for host in hosts if host.name not in self.off]

    # --- lab -------------------------------------------------------------------------------
    def boot(self, names: Iterable[str]) -> None:
        """Fresh hosts, booted in parallel."""
        self.hosts |= in_parallel(self._boot_one, names)

    def _boot_one(self, name: str) -> LabHost:
        lab("down", name)  # a host left by an interrupted run
        started = time.monotonic()
        env = {"SLIPWAY_DEBIAN": "13", "SLIPWAY_BOOTSTRAP": "root", "SLIPWAY_SSH_PORT": "22"}
        address = lab("up", name, env=env).splitlines()[-1]
        TIMINGS[f"{name}: boot (Debian 13, to ssh)"] = time.monotonic() - started
        kind = Balancer if name.startswith("lb") else LabHost
        return kind(name, address, "13", "root", 22, self.inventory, self.release)

    def write_inventory(self) -> None:
        """hosts.yml for every running host, grouped by name; the vault is kept if there."""
        lab("cluster-inventory", str(self.inventory))

    def poweroff(self, name: str) -> None:
        self.off.add(name)
        lab("poweroff", name)

    def poweron(self, name: str) -> None:
        address = lab("poweron", name).splitlines()[-1]
        assert address == self.hosts[name].address, (name, address)
        self.off.discard(name)

    def teardown(self) -> None:
        """Every host down, each tried even when another fails."""
        errors = []
        for name in self.hosts:
            try:
                lab("down", name)  # also stops a playbook still running against it
            except RuntimeError as error:
                errors.append(str(error))
        assert not errors, "\n".join(errors)

    # --- ansible ---------------------------------------------------------------------------
    def playbook(
        self, playbook: str, log_name: str, *extra: str, inventory: Path | None = None
    ) -> PlaybookRun:
        """A playbook against the whole inventory (or another one, for bad input)."""
        log = self.workdir / log_name
        return self.lb.run_playbook(playbook, log, *extra, inventory=inventory or self.inventory)

    def site(self, log_name: str, *extra: str, inventory: Path | None = None) -> PlaybookRun:
        release = f"app_release_ref={self.release}"
        return self.playbook("site.yml", log_name, "-e", release, *extra, inventory=inventory)

    def deploy(self, log_name: str, clone: Path, *extra: str) -> PlaybookRun:
        """A rolling deploy of a release made in a clone (releases.py)."""
        source = f"app_source_dir={clone}"
        return self.playbook(
            "deploy.yml", log_name, "-e", source, "-e", "app_release_ref=HEAD", *extra
        )

    # --- the app on one host, past the balancer ----------------------------------------------
    def version_on(self, host: LabHost) -> str:
        """The release the host's own nginx serves (/healthz), asked on the host itself."""
        result = host.ssh(
            "deploy",
            f"curl -sk --max-time 5 --resolve {API_DOMAIN}:443:127.0.0.1 "
            f"https://{API_DOMAIN}/healthz",
        )
        assert result.returncode == 0, f"{host.name}: /healthz: {result.stderr}"
        return json.loads(result.stdout)["version"]

    def versions(self) -> dict[str, str]:
        hosts = {host.name: host for host in self.running(self.app_hosts)}
        return in_parallel(lambda name: self.version_on(hosts[name]), hosts)
