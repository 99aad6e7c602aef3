"""The job worker on the cluster's app hosts: the live slot's unit, running or not."""

from __future__ import annotations

from topology import APP, Cluster, until

from tests.harness.labhost import LabHost


def _live_worker_running(host: LabHost) -> str | None:
    unit = f"{APP}-worker@{host.live_instance()}.service"
    state = host.ssh("deploy", f"systemctl is-active {unit}").stdout.strip()
    return unit if state == "active" else None


def wait_for_live_workers(cluster: Cluster, within: float) -> dict[str, int]:
    """Each app host's live worker running (within `within` seconds of now); how many
    times systemd restarted each."""
    restarts = {}
    for host in cluster.app_hosts:
        unit = until(lambda h=host: _live_worker_running(h), within, f"a worker on {host.name}")
        count = host.sudo(f"systemctl show --value -p NRestarts {unit}").strip()
        restarts[host.name] = int(count or 0)
    return restarts
