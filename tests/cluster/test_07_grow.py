"""Growing the cluster: a third app host is booted, added to the inventory
(`lab.sh cluster-inventory` again) and brought in by site.yml under load: 0 failed requests,
and the new host is UP in HAProxy, serves the others' release and gets traffic."""

from __future__ import annotations

import time

import haproxy
import pytest
from checks import verify
from ledger import Ledger, LoadAccount
from scenario import assert_steady, failures, record_load
from tally import Written
from topology import Cluster, until

from tests.harness.labhost import TIMINGS, PlaybookRun

NEW = "app3"


@pytest.fixture(scope="module")
def grown(
    provisioned: Cluster, load_accounts: list[LoadAccount], acknowledged: list[Written]
) -> tuple[PlaybookRun, Ledger]:
    provisioned.boot([NEW])  # torn down with the others at the end of the session
    provisioned.write_inventory()
    with Ledger(provisioned.lb, load_accounts, sink=acknowledged) as ledger:
        run = provisioned.site("site-grow.log")
    TIMINGS[f"grow: site.yml with {NEW} added, under load"] = run.seconds
    return run, ledger


def test_adding_an_app_host_drops_no_request(
    provisioned: Cluster, grown: tuple[PlaybookRun, Ledger], acknowledged: list[Written]
) -> None:
    run, ledger = grown
    failed = record_load(f"grow: {NEW} added", ledger)
    assert run.returncode == 0, run.output[-4000:]
    assert failed == 0, failures(ledger)
    assert_steady(ledger)
    verify(provisioned, f"grow: {NEW} added", acknowledged)


def test_the_new_host_serves_in_the_pool(
    provisioned: Cluster,
    grown: tuple[PlaybookRun, Ledger],
    load_accounts: list[LoadAccount],
    acknowledged: list[Written],
) -> None:
    until(
        lambda: True if haproxy.states(provisioned.lb).get(NEW) == "UP" else None,
        60,
        f"{NEW} UP in HAProxy",
    )
    versions = provisioned.versions()
    assert set(versions) == {"app1", "app2", NEW}, versions
    assert len(set(versions.values())) == 1, versions
    before = haproxy.sessions(provisioned.lb)[NEW]
    with Ledger(provisioned.lb, load_accounts, sink=acknowledged) as ledger:
        time.sleep(5)
    assert record_load(f"grow: {NEW} serving", ledger) == 0, failures(ledger)
    assert haproxy.sessions(provisioned.lb)[NEW] > before
