"""The database primary loses power under load: Patroni promotes the synchronous standby,
records are written again within the goal (30 s), no acknowledged record is missing and
no two confirmed records overlap. Powered on, the old primary rejoins as a replica."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import patroni
import pytest
from checks import verify
from ledger import Ledger, LoadAccount
from scenario import assert_steady, record_load
from tally import Written, write_recovered
from topology import Cluster, until
from workers import wait_for_live_workers  # part: jobs

from tests.harness.labhost import FIGURES, TIMINGS

FAILOVER_GOAL = 30.0  # seconds from the power-off to the first acknowledged record
# What the test enforces: writes must come back, and soon. The goal itself is reported (met
# or not) rather than asserted: on a shared 2-core machine the same run varies by seconds.
FAILOVER_BOUND = 60.0
WRITES_WITHIN = 90.0  # give up waiting for writes after this (fails the goal anyway)
REJOIN_WITHIN = 120.0
WORKER_BACK_WITHIN = 60.0  # RestartSec, the start check, a Django start  # part: jobs


@dataclass
class Failover:
    old: str
    new: str
    ledger: Ledger
    seconds: float | None  # power-off to the first record acknowledged after the outage
    promoted_after: float


@pytest.fixture(scope="module")
def failover(
    provisioned: Cluster, load_accounts: list[LoadAccount], acknowledged: list[Written]
) -> Iterator[Failover]:
    members = patroni.members(provisioned)
    old = patroni.leader_of(members)
    assert old, f"no leader before the power-off: {members}"
    (new,) = [name for name in members if name != old]
    assert members[new].role == "Sync Standby", f"no synchronous standby: {members}"
    try:
        with Ledger(provisioned.lb, load_accounts, sink=acknowledged) as ledger:
            time.sleep(5)  # steady first
            off = time.monotonic()
            provisioned.poweroff(old)
            until(
                lambda: True if patroni.leader_of(patroni.members(provisioned)) == new else None,
                WRITES_WITHIN,
                f"{new} promoted after {old}'s power-off",
            )
            promoted = time.monotonic() - off
            ledger.wait_for_writes_after(off, WRITES_WITHIN)
            time.sleep(10)  # and steady after (the paced load writes ~2 a second)
        recovered = write_recovered(ledger.tally.snapshot(), off)
        seconds = None if recovered is None else recovered - off
        yield Failover(old, new, ledger, seconds, promoted)
    finally:
        if old in provisioned.off:
            provisioned.poweron(old)


def test_records_are_written_again_within_the_goal(
    provisioned: Cluster, failover: Failover, acknowledged: list[Written]
) -> None:
    record_load("db primary power-off", failover.ledger)
    TIMINGS["db primary power-off: replica promoted after"] = failover.promoted_after
    assert failover.seconds is not None, "no record acknowledged after the power-off"
    TIMINGS["db primary power-off: first record written after"] = failover.seconds
    FIGURES["db primary power-off: first write within the 30 s goal (1 yes, 0 no)"] = int(
        failover.seconds < FAILOVER_GOAL
    )
    assert failover.seconds < FAILOVER_BOUND, f"{failover.seconds:.1f} s"
    assert_steady(failover.ledger)


def test_no_acknowledged_record_is_lost(
    provisioned: Cluster, failover: Failover, acknowledged: list[Written]
) -> None:
    assert patroni.leader(provisioned).name == failover.new
    verify(provisioned, "db primary power-off", acknowledged)


# >>> part jobs
def test_the_job_workers_run_after_the_failover(provisioned: Cluster, failover: Failover) -> None:
    """procrastinate stops (status 0) when its database goes away: each app host's live slot
    has its worker running again, on the new primary, soon after."""
    restarts = wait_for_live_workers(provisioned, WORKER_BACK_WITHIN)
    for name, count in restarts.items():
        FIGURES[f"db primary power-off: {name}'s worker restarted (times)"] = count


# <<< part jobs
def test_the_old_primary_rejoins_as_a_replica(
    provisioned: Cluster, failover: Failover, acknowledged: list[Written]
) -> None:
    started = time.monotonic()
    provisioned.poweron(failover.old)

    def rejoined() -> patroni.Member | None:
        member = patroni.members(provisioned).get(failover.old)
        return member if member and member.is_replica else None

    member = until(rejoined, REJOIN_WITHIN, f"{failover.old} back as a replica")
    TIMINGS[f"db primary power-on: {failover.old} a replica after"] = time.monotonic() - started
    print(f"\n{failover.old} rejoined: {member.role}, {member.state}")
    assert patroni.leader(provisioned).name == failover.new
    verify(provisioned, "db old primary back", acknowledged)
