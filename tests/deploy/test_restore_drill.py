"""Backups on the deployed host: the nightly timer, a dump now, a restore drill.

Runs after test_deploy.py and test_releases.py on the same host, so the database holds the
users, resources and bookings those tests made.
"""

from __future__ import annotations

import re

from conftest import TIMINGS, LabHost

APP = "example_api"


def test_backup_then_restore_into_a_fresh_database(deployed: LabHost, tmp_path) -> None:
    assert deployed.sudo(f"systemctl is-enabled {APP}-backup.timer").strip() == "enabled"
    assert deployed.sudo(f"systemctl is-active {APP}-backup.timer").strip() == "active"

    run = deployed.run_playbook("backup.yml", tmp_path / "backup.log")
    TIMINGS["backup (backup.yml)"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    dump = deployed.sudo(f"sh -c 'ls -1t /var/backups/{APP}/*.dump | head -n 1'").strip()
    assert dump, "no dump"
    listing = deployed.sudo(f"-u postgres pg_restore -l {dump}")
    assert "TABLE DATA public bookings_booking" in listing, listing[-2000:]
    assert deployed.sudo(f"stat -c '%U %a' {dump}").strip() == "postgres 600"

    run = deployed.run_playbook("restore.yml", tmp_path / "restore.log")
    assert run.returncode == 0, run.output[-4000:]
    assert "row counts equal" in run.output, run.output[-4000:]
    match = re.search(r"into \S+\s+in\s+([0-9.]+) s; (\d+) tables, (\d+) rows", run.output)
    assert match, run.output[-3000:]
    TIMINGS["restore drill (restore.yml)"] = run.seconds
    TIMINGS["  pg_restore + counts on server"] = float(match.group(1))
    assert int(match.group(3)) > 0
    # The restored database holds what the deploy tests made (a user, a booking).
    query = "SELECT count(*) FROM bookings_booking"
    count = deployed.sudo(f"-u postgres psql -tA -d {APP}_restore -c '{query}'").strip()
    assert int(count) >= 1
