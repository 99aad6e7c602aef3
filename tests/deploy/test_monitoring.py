"""Monitoring on the deployed hosts: the exporters, Prometheus and Alertmanager on loopback only,
checked configuration (a bad route, rule or receiver fails the run before any restart), and
real alerts delivered to a receiver this test starts on the lab machine.

The delivery test deploys short timings (monitoring.py: FAST) through monitoring.yml with an
inventory of its own, and puts the real ones back at the end.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alertsink import AlertSink
from monitoring import (
    API_DOWN_FOR,
    BACKUP_FOR,
    BACKUP_METRIC_FILE,
    EVALUATION,
    FAST,
    GROUP_WAIT,
    PORTS,
    SCRAPE,
    fast_alerts,
    firing,
    local_get,
    main_pids,
    prometheus,
    rss_kib,
    targets,
    wait_targets_up,
)

from tests.harness.labhost import APP_USER, FIGURES, TIMINGS, LabHost

CONFIGS = ["/etc/prometheus/prometheus.yml", "/etc/prometheus/alertmanager.yml"]
CONFIGS += ["/etc/prometheus/rules/slipway-alerts.yml"]


def lab_side(host: LabHost) -> str:
    """The lab machine's address on the host's veth: 10.213.N.1 for a host at 10.213.N.2."""
    return host.address.rsplit(".", 1)[0] + ".1"


def failed_task(output: str) -> str:
    """The name of the task a playbook run failed at."""
    match = re.search(r"TASK \[([^\]]*)\][^\n]*\n(?:(?!TASK \[).*\n)*?(?:fatal|failed): \[", output)
    assert match, output[-3000:]
    return match.group(1)


def test_exporters_and_prometheus_listen_on_loopback_only(server: LabHost) -> None:
    listening = server.sudo("ss -Htln").split()
    for name, port in PORTS.items():
        assert f"127.0.0.1:{port}" in listening, f"{name} does not listen on 127.0.0.1:{port}"
        others = [a for a in listening if a.endswith(f":{port}") and a != f"127.0.0.1:{port}"]
        assert not others, f"{name} also listens on {others}"
    assert not [a for a in listening if a.endswith(":9094")], "Alertmanager's cluster port is open"
    rules = server.sudo("nft list chain inet filter input")
    assert not [p for p in PORTS.values() if str(p) in rules], rules

    found = wait_targets_up(server, timeout=60)
    assert set(found) >= {"node", "postgres", "nginx", "api", "app", "prometheus"}, found
    up = prometheus(server, "/api/v1/query?query=pg_up")
    assert isinstance(up, dict)
    assert [r["value"][1] for r in up["result"]] == ["1"], up
    # The app's own figures arrive through the loopback /metrics proxy (the queue's included).
    queue = prometheus(server, "/api/v1/query?query=slipway_job_queue_up")
    assert isinstance(queue, dict)
    assert [r["value"][1] for r in queue["result"]] == ["1"], queue
    for kib_name, kib in rss_kib(server).items():
        FIGURES[f"{server.name}: RSS KiB {kib_name}"] = kib


def test_metrics_and_status_are_not_public(deployed: LabHost) -> None:
    for scheme in ("https", "http"):
        status, _, _ = deployed.request("GET", "/metrics", scheme=scheme)
        assert status == 404, (scheme, status)
    assert "Active connections" in local_get(deployed, PORTS["nginx_status"], "/stub_status")


def test_postgres_exporter_role_reads_statistics_only(deployed: LabHost) -> None:
    role = deployed.sudo(
        '-u postgres psql -tAc "SELECT rolsuper, rolcreaterole, rolcreatedb, '
        "pg_has_role('prometheus', 'pg_monitor', 'MEMBER') FROM pg_roles "
        "WHERE rolname = 'prometheus'\""
    ).strip()
    assert role == "f|f|f|t", role
    # psql itself, not Debian's wrapper: the wrapper reads the cluster's configuration, which
    # is postgres' only (0640), and fails before it connects.
    psql = "/usr/lib/postgresql/*/bin/psql -h /run/postgresql"
    refused = deployed.ssh(
        "deploy", f"sudo -n -u prometheus sh -c '{psql} -d {APP_USER} -c \"SELECT 1\"'"
    )
    assert refused.returncode != 0, refused
    assert "permission denied" in refused.stderr, refused


@pytest.mark.parametrize(
    ("what", "changed", "message"),
    [
        ("a malformed route", {"monitoring_group_wait": "soon"}, "(amtool check-config)"),
        (
            "a malformed rule",
            {"monitoring_alerts": {**fast_alerts(), "latency_p99_seconds": "0.5 )"}},
            "(promtool check rules)",
        ),
        ("an unreachable receiver", {}, "Reach each webhook receiver"),
    ],
)
def test_bad_monitoring_input_fails_before_any_restart(
    deployed: LabHost, tmp_path: Path, what: str, changed: dict[str, object], message: str
) -> None:
    if what == "an unreachable receiver":  # a port of the lab machine where nothing listens
        with AlertSink(lab_side(deployed)) as closed:
            url = closed.url
        changed = {"monitoring_alert_webhook_urls": [url]}
    before = {path: deployed.sudo(f"sha256sum {path}") for path in CONFIGS}
    pids = main_pids(deployed)
    inventory = deployed.variant_inventory(tmp_path / "inventory", **changed)
    run = deployed.run_playbook("monitoring.yml", tmp_path / "run.log", inventory=inventory)
    assert run.returncode != 0, f"{what} was accepted:\n{run.output[-3000:]}"
    assert message in failed_task(run.output), run.output[-3000:]
    why = "Timeout when waiting" if what == "an unreachable receiver" else "failed to validate"
    assert why in run.output, run.output[-3000:]
    assert {path: deployed.sudo(f"sha256sum {path}") for path in CONFIGS} == before
    assert main_pids(deployed) == pids, f"{what}: a service restarted"


@pytest.fixture
def fast_alerting(deployed: LabHost, tmp_path: Path) -> Iterator[AlertSink]:
    """Alertmanager pointed at a receiver on the lab machine, with short timings; the real
    settings, the app and a fresh backup record are back afterwards."""
    with AlertSink(lab_side(deployed)) as sink:
        changed = {**FAST, "monitoring_alerts": fast_alerts()}
        changed["monitoring_alert_webhook_urls"] = [sink.url]
        inventory = deployed.variant_inventory(tmp_path / "inventory", **changed)
        run = deployed.run_playbook("monitoring.yml", tmp_path / "fast.log", inventory=inventory)
        TIMINGS["monitoring.yml (short timings, a receiver)"] = run.seconds
        assert run.returncode == 0, run.output[-4000:]
        live = deployed.live_instance()
        try:
            yield sink
        finally:
            deployed.sudo(f"systemctl start {APP_USER}@{live}")
            deployed.sudo(f"systemctl start {APP_USER}-backup.service")
            run = deployed.run_playbook("monitoring.yml", tmp_path / "back.log")
            assert run.returncode == 0, run.output[-4000:]


def test_alerts_are_delivered(deployed: LabHost, fast_alerting: AlertSink) -> None:
    sink = fast_alerting
    # The backup job records its success for node-exporter's textfile collector.
    deployed.sudo(f"systemctl start {APP_USER}-backup.service")
    record = deployed.sudo(f"cat {BACKUP_METRIC_FILE}")
    assert "slipway_backup_last_success_timestamp_seconds " in record, record
    assert "slipway_backup_last_success_timestamp_seconds" in local_get(
        deployed, PORTS["node"], "/metrics"
    )

    # Healthy: every target up, three evaluations, nothing firing and nothing delivered.
    wait_targets_up(deployed, timeout=60)
    time.sleep(3 * EVALUATION + SCRAPE)
    assert firing(deployed) == [], firing(deployed)
    assert sink.notices == [], sink.notices

    # The app stops: "API down" within its for: plus one evaluation (and a scrape, for the
    # probe to see it, and Alertmanager's group_wait).
    budget = API_DOWN_FOR + EVALUATION + SCRAPE + GROUP_WAIT
    live = deployed.live_instance()
    stopped = time.monotonic()
    deployed.sudo(f"systemctl stop {APP_USER}@{live}")
    notice = sink.wait_for("ApiDown", "firing", timeout=budget + 30)
    assert notice, f"no ApiDown in {budget + 30} s; got {sink.notices}"
    delay = notice.received - stopped
    TIMINGS[f"ApiDown delivered after the app stopped (for {API_DOWN_FOR} s)"] = delay
    assert delay <= budget + 2, f"ApiDown took {delay:.1f} s, budget {budget} s"
    deployed.sudo(f"systemctl start {APP_USER}@{live}")
    started = time.monotonic()
    resolved = sink.wait_for("ApiDown", "resolved", timeout=60)
    assert resolved, sink.notices
    TIMINGS["ApiDown resolved after the app started"] = resolved.received - started

    # The last successful backup is 27 hours old (written as the job writes it, atomically).
    old = int(time.time()) - 27 * 3600
    tmp = f"{BACKUP_METRIC_FILE}.tmp"
    line = f"slipway_backup_last_success_timestamp_seconds {old}"
    deployed.sudo(f"sh -c 'echo {line} > {tmp} && mv {tmp} {BACKUP_METRIC_FILE}'")
    aged = time.monotonic()
    budget = BACKUP_FOR + EVALUATION + SCRAPE + GROUP_WAIT
    notice = sink.wait_for("BackupTooOld", "firing", timeout=budget + 30)
    assert notice, f"no BackupTooOld in {budget + 30} s; got {sink.notices}"
    TIMINGS[f"BackupTooOld delivered after an old record (for {BACKUP_FOR} s)"] = (
        notice.received - aged
    )
    assert notice.labels.get("server") == deployed.name, notice.labels
    others = {n.alertname for n in sink.notices} - {"ApiDown", "BackupTooOld"}
    assert not others, f"other alerts fired: {others}"
    assert targets(deployed)["api"]["health"] == "up"
    print(f"\nnotices: {[(n.alertname, n.status) for n in sink.notices]}")
