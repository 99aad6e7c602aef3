"""Rolling releases across the app hosts under the ledger's load: a new release switches one
host at a time with 0 failed requests; a broken one stops at the first host, the others
keep the release they had; rollback returns every host to the previous release.

The releases are throwaway clones of this repository (releases.py): `next` is the same code
in a new commit, `broken` raises in its WSGI module, so its instance never becomes ready.
"""

from __future__ import annotations

from pathlib import Path

import haproxy
import pytest
from checks import verify
from ledger import Ledger, LoadAccount
from playbooklog import SWITCH_TASK, task_runs
from scenario import assert_steady, failures, record_load
from tally import Written
from topology import Cluster, until

from tests.harness.labhost import TIMINGS
from tests.harness.releases import make_release

ROOT = "/srv/example_api"


def _break_wsgi(clone: Path) -> None:
    wsgi = clone / "example_api" / "wsgi.py"
    wsgi.write_text(wsgi.read_text() + '\nraise RuntimeError("broken on purpose")\n')


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    base = tmp_path_factory.mktemp("releases")
    return {
        "next": make_release(base, "next"),
        "broken": make_release(base, "broken", _break_wsgi),
    }


def _all_in_pool(cluster: Cluster) -> dict[str, str]:
    """Wait (bounded) until every app server is UP in HAProxy."""
    names = {host.name for host in cluster.app_hosts}

    def check() -> dict[str, str] | None:
        states = haproxy.states(cluster.lb)
        return states if {n for n, s in states.items() if s == "UP"} >= names else None

    return until(check, 60, f"every app host ({sorted(names)}) UP in HAProxy")


def test_a_rolling_deploy_drops_no_request(
    whole_cluster: Cluster,
    releases,
    load_accounts: list[LoadAccount],
    acknowledged: list[Written],
) -> None:
    clone, new = releases["next"]
    with (
        Ledger(whole_cluster.lb, load_accounts, sink=acknowledged) as ledger,
        haproxy.PoolWatcher(whole_cluster.lb) as pool,
    ):
        run = whole_cluster.deploy("deploy-next.log", clone)
    TIMINGS["rolling deploy (deploy.yml) under load"] = run.seconds
    failed = record_load("rolling deploy", ledger)
    assert run.returncode == 0, run.output[-4000:]
    assert failed == 0, failures(ledger)
    assert_steady(ledger)
    assert set(whole_cluster.versions().values()) == {new}, whole_cluster.versions()
    # One host at a time: one switch per batch in the log, never two hosts out of the pool.
    switches = task_runs(run.output, SWITCH_TASK)
    assert switches == [[host.name] for host in whole_cluster.app_hosts], switches
    assert haproxy.most_out_at_once(pool.samples) <= 1, pool.samples
    print(f"\nhosts seen out of the pool, in order: {haproxy.ever_out(pool.samples)}")
    _all_in_pool(whole_cluster)
    verify(whole_cluster, "rolling deploy", acknowledged)


def test_a_broken_release_stops_at_the_first_host(
    whole_cluster: Cluster,
    releases,
    load_accounts: list[LoadAccount],
    acknowledged: list[Written],
) -> None:
    _, serving = releases["next"]
    clone, broken = releases["broken"]
    retries = ("-e", "app_readiness_retries=10", "-e", "app_readiness_delay=1")
    with Ledger(whole_cluster.lb, load_accounts, sink=acknowledged) as ledger:
        run = whole_cluster.deploy("deploy-broken.log", clone, *retries)
    TIMINGS["broken release (deploy.yml) under load"] = run.seconds
    failed = record_load("broken release", ledger)
    assert run.returncode != 0, run.output[-4000:]
    assert failed == 0, failures(ledger)
    assert set(whole_cluster.versions().values()) == {serving}, whole_cluster.versions()
    # Only the first app host tried the release; the others never heard of it.
    tried = {
        host.name: host.sudo(f"tail -n 1 {ROOT}/deploys.log").strip()
        for host in whole_cluster.app_hosts
    }
    first, *rest = whole_cluster.app_hosts
    assert f"release={broken}" in tried[first.name], tried
    assert "result=failed" in tried[first.name], tried
    assert all(f"release={broken}" not in tried[host.name] for host in rest), tried
    assert all(
        host.ssh("deploy", f"test -e {ROOT}/releases/{broken}").returncode == 1 for host in rest
    )
    _all_in_pool(whole_cluster)
    verify(whole_cluster, "broken release", acknowledged)


def test_rollback_returns_every_host_to_the_previous_release(
    whole_cluster: Cluster,
    load_accounts: list[LoadAccount],
    acknowledged: list[Written],
) -> None:
    with Ledger(whole_cluster.lb, load_accounts, sink=acknowledged) as ledger:
        run = whole_cluster.playbook("rollback.yml", "rollback.log")
    TIMINGS["rollback (rollback.yml) under load"] = run.seconds
    failed = record_load("rollback", ledger)
    assert run.returncode == 0, run.output[-4000:]
    assert failed == 0, failures(ledger)
    assert_steady(ledger, least_writes=5)
    versions = whole_cluster.versions()
    assert set(versions.values()) == {whole_cluster.release}, versions
    _all_in_pool(whole_cluster)
    verify(whole_cluster, "rollback", acknowledged)
