"""Fixtures for the cluster tests: five fresh Debian 13 lab hosts (lb1, app1, app2, db1, db2)
booted in parallel, one cluster inventory, bad inventories tried first, then site.yml.

Order: `bringup` (boot, inventory, bad input, first site.yml; every host down at the end,
also on failure or SIGTERM) -> `bad_input`; `provisioned` (the first run passed) ->
`whole_cluster` (each scenario starts and ends with every host powered on), `lb` ->
`staff_token` -> `load_accounts` (actors with an item each, for the ledger's threads);
`acknowledged` (every record the API acknowledged during the session, checked again after
each scenario).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cluster_badinput import ClusterBadInput, try_bad_inputs
from ledger import LoadAccount
from tally import Written
from topology import HOSTS, Balancer, Cluster, in_parallel

from tests.harness import domain
from tests.harness.accounts import make_staff, user_id
from tests.harness.labhost import FIGURES, TIMINGS, PlaybookRun, git_head
from tests.harness.signals import raise_on_sigterm

LOAD_USERS = 6  # threads of the ledger; ~7 requests/s through lb1 in all (ledger.PAUSE)


def pytest_configure(config: pytest.Config) -> None:
    raise_on_sigterm()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.section("cluster timings")
        for what, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{what:<60} {seconds:7.1f} s")
    if FIGURES:
        terminalreporter.section("cluster figures")
        for what, value in FIGURES.items():
            terminalreporter.write_line(f"{what:<60} {value:7d}")


@dataclass
class Bringup:
    """What happened before the scenarios: the runs with bad input, then the first run."""

    cluster: Cluster
    bad_input: dict[str, ClusterBadInput]
    first_run: PlaybookRun


@pytest.fixture(scope="session")
def bringup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bringup]:
    if os.geteuid() != 0:
        pytest.fail("the cluster tests boot systemd-nspawn hosts and must run as root")
    cluster = Cluster(tmp_path_factory.mktemp("cluster"), git_head())
    try:
        cluster.boot(HOSTS)
        cluster.write_inventory()
        story = try_bad_inputs(cluster)
        run = cluster.site("site-first-run.log")
        TIMINGS["cluster: site.yml, first run"] = run.seconds
        yield Bringup(cluster, story, run)
    finally:
        cluster.teardown()


@pytest.fixture(scope="session")
def bad_input(bringup: Bringup) -> dict[str, ClusterBadInput]:
    return bringup.bad_input


@pytest.fixture(scope="session")
def provisioned(bringup: Bringup) -> Cluster:
    """The cluster after a first run of site.yml that passed (else every scenario fails)."""
    run = bringup.first_run
    if run.returncode != 0:
        pytest.fail(
            f"site.yml failed on the fresh cluster (log: {bringup.cluster.workdir}/"
            f"site-first-run.log):\n{run.output[-6000:]}"
        )
    return bringup.cluster


@pytest.fixture
def whole_cluster(provisioned: Cluster) -> Iterator[Cluster]:
    """The cluster with every host on, before and after the test: a scenario that failed
    with a host powered off must not take the next scenarios down with it."""
    assert not provisioned.off, f"hosts still powered off: {provisioned.off}"
    yield provisioned
    for name in sorted(provisioned.off):
        provisioned.poweron(name)


@pytest.fixture(scope="session")
def lb(provisioned: Cluster) -> Balancer:
    """lb1 as the API's client sees it: https://<lb1>:443, api.slipway.test."""
    return provisioned.lb


@pytest.fixture(scope="session")
def staff_token(provisioned: Cluster, lb: Balancer) -> str:
    return make_staff(provisioned.hosts["app1"], api=lb)


@pytest.fixture(scope="session")
def load_accounts(lb: Balancer, staff_token: str) -> list[LoadAccount]:
    made = in_parallel(lambda _: _load_account(lb, staff_token), map(str, range(LOAD_USERS)))
    return list(made.values())


def _load_account(lb: Balancer, staff_token: str) -> LoadAccount:
    """An actor with an item of their own, made through lb1 as a client would (the staff
    member was made on app1: app hosts take HTTPS from lb1 only)."""
    actor = domain.make_actor(lb, staff_token, label="cluster load", prefix="load")
    return LoadAccount(actor, user_id(lb, actor.token))


@pytest.fixture(scope="session")
def acknowledged() -> list[Written]:
    """Every record acknowledged in this session (ledgers add theirs when they stop)."""
    return []
