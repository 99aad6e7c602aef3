"""A fresh cluster is provisioned by one run of site.yml, and a second run changes nothing."""

from __future__ import annotations

from topology import Cluster

from tests.harness.labhost import TIMINGS


def test_a_second_run_changes_nothing(provisioned: Cluster) -> None:
    run = provisioned.site("site-second-run.log")
    TIMINGS["cluster: site.yml, second run"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    changed = {name: run.recap(name)["changed"] for name in provisioned.hosts}
    assert set(changed.values()) == {0}, (changed, run.changed_tasks())


def test_every_app_host_serves_the_release(provisioned: Cluster) -> None:
    assert set(provisioned.versions().values()) == {provisioned.release}
    status, _, body = provisioned.lb.request("GET", "/healthz")
    assert (status, body) == (200, {"status": "ok", "version": provisioned.release})
