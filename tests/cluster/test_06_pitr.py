"""Point-in-time recovery drill: back up with pgBackRest, write A, note a moment T on the
database's clock, write B; once the WAL holding B is archived (the archive lag is the data
at risk: goal 60 s at most), restore to T into a scratch instance on lb1. It must hold
exactly the records that existed at T: A, not B.

No load runs here, so "existed at T" is exact: every row created before T had committed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import patroni
import pytest
from checks import psql
from ledger import LoadAccount
from tally import calendar_base, wal_archived
from topology import Cluster, until

from tests.harness import domain
from tests.harness.labhost import FIGURES, TIMINGS, LabHost

ARCHIVE_GOAL = 60.0  # seconds of acknowledged data at risk at most
ARCHIVED_WITHIN = 120.0
SCRATCH_PORT = 5433
IDS = f"SELECT id FROM {domain.RECORDS_TABLE}{{}} ORDER BY id;"  # noqa: S608


@dataclass
class Drill:
    a: int
    b: int
    target: str
    lag: float  # seconds from B's commit to its WAL segment being archived
    at_target: set[int]  # on the leader: rows created before T
    restored: set[int]  # in the scratch instance


def _write(cluster: Cluster, load: LoadAccount, days: int) -> dict:
    start = calendar_base() + timedelta(days=400 + days)  # far from the ledger's slots
    body = domain.write_body(load.account.item, start, start + timedelta(minutes=30), "pitr drill")
    status, _, created = cluster.lb.request("POST", domain.RECORDS, body, token=load.account.token)
    assert status == 201, created
    return created


def _archived_at(leader: LabHost, segment: str) -> float | None:
    """When the archiver finished `segment` (epoch seconds), or None while it has not."""
    ((last, at),) = psql(
        leader,
        "SELECT coalesce(last_archived_wal, ''), "
        "coalesce(extract(epoch FROM last_archived_time), 0) FROM pg_stat_archiver;",
    )
    return float(at) if wal_archived(last, segment) else None


@pytest.fixture(scope="module")
def drill(provisioned: Cluster, load_accounts: list[LoadAccount]) -> Drill:
    run = provisioned.playbook("backup.yml", "backup.log")
    TIMINGS["pitr: backup (backup.yml)"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    leader = patroni.leader(provisioned)
    a = _write(provisioned, load_accounts[0], 1)
    ((target,),) = psql(leader, "SELECT now();")
    time.sleep(2)
    b = _write(provisioned, load_accounts[0], 2)
    ((segment,),) = psql(leader, "SELECT pg_walfile_name(pg_current_wal_lsn());")
    committed = datetime.fromisoformat(b["created_at"].replace("Z", "+00:00")).timestamp()
    archived = until(
        lambda: _archived_at(leader, segment),
        ARCHIVED_WITHIN,
        f"WAL segment {segment} (record B) archived: is archive_timeout set?",
    )
    at_target = psql(leader, IDS.format(f" WHERE created_at < '{target}'"))
    try:
        # JSON: the target has spaces, which key=value would split.
        extra = json.dumps({"pitr_target": target})
        run = provisioned.playbook("pitr.yml", "pitr.log", "-e", extra)
        TIMINGS["pitr: restore to T (pitr.yml)"] = run.seconds
        assert run.returncode == 0, run.output[-4000:]
        restored = psql(provisioned.lb, IDS.format(""), port=SCRATCH_PORT)
    finally:
        stop = provisioned.playbook("pitr.yml", "pitr-stop.log", "-e", "pitr_stop=true")
    assert stop.returncode == 0, stop.output[-4000:]
    return Drill(
        a["id"],
        b["id"],
        target,
        archived - committed,
        {int(row[0]) for row in at_target},
        {int(row[0]) for row in restored},
    )


def test_the_archive_lag_is_within_the_goal(drill: Drill) -> None:
    TIMINGS["pitr: archive lag (B's commit to its WAL archived)"] = drill.lag
    assert drill.lag <= ARCHIVE_GOAL, f"{drill.lag:.1f} s of data at risk"


def test_the_restore_holds_exactly_the_rows_at_the_target(drill: Drill) -> None:
    FIGURES["pitr: records at T (leader)"] = len(drill.at_target)
    FIGURES["pitr: records restored"] = len(drill.restored)
    FIGURES["pitr: records that differ"] = len(drill.at_target ^ drill.restored)
    print(f"\nPITR to {drill.target}: A={drill.a} restored, B={drill.b} not")
    assert drill.a in drill.restored
    assert drill.b not in drill.restored
    assert drill.restored == drill.at_target, (
        sorted(drill.at_target - drill.restored),
        sorted(drill.restored - drill.at_target),
    )


def test_the_scratch_instance_is_gone(provisioned: Cluster, drill: Drill) -> None:
    listening = provisioned.lb.sudo("ss -Hltn").split()
    assert f"127.0.0.1:{SCRATCH_PORT}" not in listening
