"""Bad cluster inventories meet the fresh hosts before their first real run: each run must
stop before anything on any host changes, with a message that names the problem.

Run by conftest's bring-up between booting and the first site.yml; test_01_bad_input.py
reads what happened. The state compared is badinput.STATE (users, Slipway's marks, sshd
drop-ins, firewall, packages), taken as root: before a run there is no deploy user.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from topology import in_parallel
from variants import db_unreachable, even_etcd, nobody_at, one_db, write_variant

from tests.harness.badinput import STATE
from tests.harness.labhost import PlaybookRun

if TYPE_CHECKING:
    from topology import Cluster

# case -> words the operator must see.
EXPECTED = {
    "one_db": ["db_servers"],
    "even_etcd": ["etcd_members"],
    "db_unreachable": ["cannot reach"],
}


@dataclass
class ClusterBadInput:
    run: PlaybookRun
    before: dict[str, str]
    after: dict[str, str]


def snapshot(cluster: Cluster) -> dict[str, str]:
    """Every host's state, as root (the first login of a fresh host)."""

    def one(name: str) -> str:
        result = cluster.hosts[name].ssh("root", STATE)
        assert result.returncode == 0, f"{name}: {result.stderr}"
        return result.stdout

    return in_parallel(one, cluster.hosts)


def try_bad_inputs(cluster: Cluster) -> dict[str, ClusterBadInput]:
    db1 = cluster.hosts["db1"]
    changes = {
        "one_db": one_db,
        "even_etcd": even_etcd,
        "db_unreachable": partial(db_unreachable, name="db1", address=nobody_at(db1.address)),
    }
    cases = {}
    for case, change in changes.items():
        inventory = write_variant(cluster.inventory, cluster.workdir / f"inv-{case}", change)
        before = snapshot(cluster)
        run = cluster.site(f"bad-{case}.log", inventory=inventory)
        cases[case] = ClusterBadInput(run, before, snapshot(cluster))
    return cases
