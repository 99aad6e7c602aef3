"""Helpers of the monitoring tests: ask a lab host's Prometheus, read its exporters, and the
short alert timings the tests deploy instead of the real ones."""

from __future__ import annotations

import json
import shlex
import time

import yaml

from tests.harness.labhost import APP_USER, REPO, LabHost

# The monitoring's settings as the playbooks read them: the tests follow a change there.
SETTINGS = yaml.safe_load((REPO / "ansible/group_vars/all/monitoring.yml").read_text())
ROLE_DEFAULTS = yaml.safe_load((REPO / "ansible/roles/monitoring/defaults/main.yml").read_text())
PORTS: dict[str, int] = SETTINGS["monitoring_ports"]
TEXTFILE_DIR: str = SETTINGS["monitoring_textfile_dir"]
BACKUP_METRIC_FILE = f"{TEXTFILE_DIR}/{APP_USER}-backup.prom"
SERVICES = ["prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter"]
SERVICES += ["prometheus-node-exporter", "prometheus-postgres-exporter"]
SERVICES += ["prometheus-nginx-exporter"]

# Seconds. The real values are in roles/monitoring/defaults/main.yml; these keep the test short.
SCRAPE, EVALUATION, GROUP_WAIT, API_DOWN_FOR, BACKUP_FOR = 5, 5, 1, 10, 5
FAST = {
    "monitoring_scrape_interval": f"{SCRAPE}s",
    "monitoring_scrape_timeout": f"{SCRAPE}s",
    "monitoring_evaluation_interval": f"{EVALUATION}s",
    "monitoring_group_wait": f"{GROUP_WAIT}s",
    "monitoring_group_interval": "5s",
}


def fast_alerts() -> dict[str, object]:
    """The role's thresholds with the two alerts under test made quick."""
    quick = {"api_down_for": f"{API_DOWN_FOR}s", "backup_for": f"{BACKUP_FOR}s"}
    return {**ROLE_DEFAULTS["monitoring_alerts"], **quick}


def local_get(host: LabHost, port: int, path: str) -> str:
    """GET http://127.0.0.1:port/path on the host itself (the ports are loopback only)."""
    script = (
        "import sys, urllib.request; "
        f"sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:{port}{path}', timeout=10)"
        ".read().decode())"
    )
    result = host.ssh("deploy", f"python3 -c {shlex.quote(script)}")
    assert result.returncode == 0, f"GET :{port}{path} on the host failed:\n{result.stderr}"
    return result.stdout


def prometheus(host: LabHost, path: str) -> object:
    reply = json.loads(local_get(host, PORTS["prometheus"], path))
    assert reply["status"] == "success", reply
    return reply["data"]


def targets(host: LabHost) -> dict[str, dict[str, str]]:
    """Prometheus' active targets by job: health and last error."""
    data = prometheus(host, "/api/v1/targets?state=active")
    assert isinstance(data, dict)
    return {t["labels"]["job"]: t for t in data["activeTargets"]}


def firing(host: LabHost) -> list[str]:
    data = prometheus(host, "/api/v1/alerts")
    assert isinstance(data, dict)
    return [a["labels"]["alertname"] for a in data["alerts"] if a["state"] == "firing"]


def wait_targets_up(host: LabHost, timeout: float) -> dict[str, dict[str, str]]:
    """Wait until every target is up, the app's /metrics (through nginx's loopback server)
    included."""
    deadline = time.monotonic() + timeout
    while True:
        found = targets(host)
        down = {job: t["lastError"] for job, t in found.items() if t["health"] != "up"}
        if not down or time.monotonic() > deadline:
            assert not down, f"targets not up after {timeout} s: {down}"
            return found
        time.sleep(2)


def main_pids(host: LabHost) -> dict[str, str]:
    """The main process of each monitoring service: a restart changes it."""
    return {
        name: host.sudo(f"systemctl show -p MainPID --value {name}").strip() for name in SERVICES
    }


def rss_kib(host: LabHost) -> dict[str, int]:
    """Resident memory of each monitoring service's main process, in KiB."""
    rss = {}
    for name, pid in main_pids(host).items():
        assert pid != "0", f"{name} is not running"
        rss[name] = int(host.sudo(f"ps -o rss= -p {pid}").strip())
    return rss
