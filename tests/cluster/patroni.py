"""The database pair as Patroni reports it: members, roles and states (`patronictl list`).

Asked on a db host that is powered on; the parser is a pure function of patronictl's JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from topology import Cluster

    from tests.harness.labhost import LabHost

PATRONICTL = "-u postgres patronictl -c /etc/patroni/config.yml list --format json"
REPLICA_ROLES = {"Sync Standby", "Replica"}
REPLICA_STATES = {"streaming", "running"}


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # Leader, Sync Standby, Replica
    state: str  # running, streaming, stopped, ...

    @property
    def is_replica(self) -> bool:
        """Following the leader: a replica role in a working state."""
        return self.role in REPLICA_ROLES and self.state in REPLICA_STATES


def parse_members(text: str) -> dict[str, Member]:
    rows = json.loads(text)
    assert isinstance(rows, list), text[:500]
    return {row["Member"]: Member(row["Member"], row["Role"], row["State"]) for row in rows}


def leader_of(members: dict[str, Member]) -> str | None:
    leaders = [m.name for m in members.values() if m.role == "Leader" and m.state == "running"]
    assert len(leaders) <= 1, f"two leaders: {members}"
    return leaders[0] if leaders else None


def members(cluster: Cluster) -> dict[str, Member]:
    """The members as the first powered-on db host that answers sees them."""
    errors = []
    for host in cluster.running(cluster.db_hosts):
        result = host.ssh("deploy", f"sudo -n {PATRONICTL}")
        if result.returncode == 0:
            return parse_members(result.stdout)
        errors.append(f"{host.name}: {result.stderr.strip()}")
    raise AssertionError("no db host answered patronictl: " + "; ".join(errors))


def leader(cluster: Cluster) -> LabHost:
    """The db host Patroni has as the running leader (fails when there is none)."""
    name = leader_of(members(cluster))
    assert name, "no running Patroni leader"
    assert name in cluster.hosts, f"Patroni member {name!r} is not named after its lab host"
    return cluster.hosts[name]
