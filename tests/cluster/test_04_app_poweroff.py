"""An app host loses power under load: HAProxy takes it out of the pool and the other one
serves; at most the requests in flight to it fail. Powered on again, it returns to the pool
and serves the release the others serve."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import haproxy
import pytest
from checks import verify
from ledger import Ledger, LoadAccount
from scenario import assert_steady, failures, record_load
from tally import Written
from topology import Cluster, until

from tests.harness.labhost import FIGURES, TIMINGS

VICTIM = "app2"
LOAD_AFTER_POWEROFF = 20.0  # seconds of load while the host is gone
DOWN_WITHIN = 30.0  # HAProxy's checks must notice within this
UP_WITHIN = 120.0  # boot, services, then HAProxy's rise


@dataclass
class PowerOff:
    ledger: Ledger
    noticed_after: float  # seconds from the power-off to DOWN in HAProxy


def _state(cluster: Cluster, name: str) -> str:
    return haproxy.states(cluster.lb).get(name, "absent")


@pytest.fixture(scope="module")
def poweroff(
    provisioned: Cluster, load_accounts: list[LoadAccount], acknowledged: list[Written]
) -> Iterator[PowerOff]:
    assert _state(provisioned, VICTIM) == "UP", haproxy.states(provisioned.lb)
    try:
        with Ledger(provisioned.lb, load_accounts, sink=acknowledged) as ledger:
            time.sleep(3)  # steady first
            off = time.monotonic()
            provisioned.poweroff(VICTIM)
            until(
                lambda: True if _state(provisioned, VICTIM) == "DOWN" else None,
                DOWN_WITHIN,
                f"{VICTIM} DOWN in HAProxy after its power-off",
                every=0.5,
            )
            noticed = time.monotonic() - off
            time.sleep(max(0.0, LOAD_AFTER_POWEROFF - (time.monotonic() - off)))
        yield PowerOff(ledger, noticed)
    finally:
        if VICTIM in provisioned.off:
            provisioned.poweron(VICTIM)


def test_the_other_app_host_serves_while_one_is_off(
    provisioned: Cluster, poweroff: PowerOff, load_accounts: list[LoadAccount], acknowledged
) -> None:
    TIMINGS[f"{VICTIM} power-off: DOWN in HAProxy after"] = poweroff.noticed_after
    failed = record_load(f"{VICTIM} power-off", poweroff.ledger)
    # Each load thread has one request in flight at most: those may fail, no more.
    in_flight = len(load_accounts)
    FIGURES[f"{VICTIM} power-off: failed requests allowed (in flight)"] = in_flight
    assert failed <= in_flight, failures(poweroff.ledger)
    assert_steady(poweroff.ledger)
    verify(provisioned, f"{VICTIM} power-off", acknowledged)


def test_the_app_host_rejoins_when_powered_on(
    provisioned: Cluster, poweroff: PowerOff, load_accounts: list[LoadAccount], acknowledged
) -> None:
    started = time.monotonic()
    provisioned.poweron(VICTIM)
    until(
        lambda: True if _state(provisioned, VICTIM) == "UP" else None,
        UP_WITHIN,
        f"{VICTIM} UP in HAProxy after its power-on",
    )
    TIMINGS[f"{VICTIM} power-on: UP in HAProxy after"] = time.monotonic() - started
    versions = provisioned.versions()
    assert len(set(versions.values())) == 1, versions
    # It serves: HAProxy sends it sessions again, and nothing fails meanwhile.
    before = haproxy.sessions(provisioned.lb)[VICTIM]
    with Ledger(provisioned.lb, load_accounts, sink=acknowledged) as ledger:
        time.sleep(5)
    failed = record_load(f"{VICTIM} back", ledger)
    assert failed == 0, failures(ledger)
    assert haproxy.sessions(provisioned.lb)[VICTIM] > before
    verify(provisioned, f"{VICTIM} back", acknowledged)
