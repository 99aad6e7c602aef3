"""Backups on the deployed host: the nightly timer, a dump now, a restore drill.

Runs after test_deploy.py and test_releases.py on the same host, so the database holds the
users, items and records those tests made. The drill restores the dump into a fresh
database, compares row counts, and starts the current release on it: an actor who wrote a record
before the backup logs in there and reads it as it was when the dump was taken.
"""

from __future__ import annotations

import re

from tests.harness import domain
from tests.harness.domain import Actor
from tests.harness.labhost import TIMINGS, LabHost

APP = "example_api"


def test_backup_then_restore_into_a_fresh_database(
    deployed: LabHost, account: Actor, tmp_path
) -> None:
    assert deployed.sudo(f"systemctl is-enabled {APP}-backup.timer").strip() == "enabled"
    assert deployed.sudo(f"systemctl is-active {APP}-backup.timer").strip() == "active"
    record = domain.write(deployed, account, days_ahead=3, note="before the backup")
    path = domain.record_path(record["id"])

    run = deployed.run_playbook("backup.yml", tmp_path / "backup.log")
    TIMINGS["backup (backup.yml)"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    dump = deployed.sudo(f"sh -c 'ls -1t /var/backups/{APP}/*.dump | head -n 1'").strip()
    assert dump, "no dump"
    listing = deployed.sudo(f"-u postgres pg_restore -l {dump}")
    assert f"TABLE DATA public {domain.RECORDS_TABLE}" in listing, listing[-2000:]
    assert deployed.sudo(f"stat -c '%U %a' {dump}").strip() == "postgres 600"

    # After the dump the live record is cancelled (an update: row counts stay equal), so the
    # API on the restored database must say "confirmed" where the live one says "cancelled".
    status, _, _ = deployed.request("DELETE", path, token=account.token)
    assert status == 204

    run = deployed.run_playbook(
        "restore.yml",
        tmp_path / "restore.log",
        "-e",
        f"restore_api_user={account.username}",
        "-e",
        f"restore_api_password={account.password}",
        "-e",
        f"restore_api_path={path}",
    )
    assert run.returncode == 0, run.output[-4000:]
    assert "row counts equal" in run.output, run.output[-4000:]
    match = re.search(r"into \S+\s+in\s+([0-9.]+) s; (\d+) tables, (\d+) rows", run.output)
    assert match, run.output[-3000:]
    TIMINGS["restore drill (restore.yml)"] = run.seconds
    TIMINGS["  pg_restore + counts on server"] = float(match.group(1))
    assert int(match.group(3)) > 0

    # The current release served the restored database in an instance of its own: ready, then the
    # record read back as its owner, as it was at the backup.
    flat = re.sub(r"\s+", " ", run.output)  # the report may be folded over lines
    api = re.search(
        rf"API on {APP}_restore: release (\w+) on instance ([\w-]+) ready in ([0-9.]+) s; "
        rf"GET {re.escape(path)} as {account.username}: 200 (\{{.*?\}}); total ([0-9.]+) s",
        flat,
    )
    assert api, run.output[-3000:]
    assert api.group(1) == deployed.release
    read = api.group(4)
    assert re.search(rf'"id": {record["id"]}[,}}]', read), read
    assert '"status": "confirmed"' in read, read
    TIMINGS["  API on restored DB: ready"] = float(api.group(3))
    TIMINGS["  API on restored DB: in all"] = float(api.group(5))
    print(f"\nAPI on the restored database: ready in {api.group(3)} s, in all {api.group(5)} s")
    status, _, live = deployed.request("GET", path, token=account.token)
    assert (status, live["status"]) == (200, "cancelled")
    # The drill instance is gone: its unit stopped, its drop-in, environment, slot and socket
    # removed.
    name = api.group(2)
    assert deployed.ssh("deploy", f"systemctl is-active {APP}@{name}").stdout.strip() != "active"
    files = f"/run/systemd/system/{APP}@{name}.service.d /etc/{APP}/restore-drill.env"
    files += f" /srv/{APP}/slots/{name} /run/{APP}/{name}.sock"
    left = deployed.sudo(f"sh -c 'for f in {files}; do test ! -e $f || echo $f; done'")
    assert left == "", left
