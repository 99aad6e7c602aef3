"""Between the hosts, exactly the flows the cluster needs: each firewall admits its peers on
its ports and nothing else, and from outside only the load balancer answers (HTTP, HTTPS).
PostgreSQL's clients and its replication speak TLS, with scram-sha-256 passwords.

A port is open when a TCP connection from the given host gets through; closed when it is
refused or (the firewall drops it) times out.
"""

from __future__ import annotations

import socket

import patroni
import pytest
from checks import psql
from topology import Cluster

# (from, to, port, open?): every flow the topology needs, and ports a peer must not reach.
FLOWS = [
    ("app1", "db1", 5432, True),  # the app to PostgreSQL
    ("app1", "db2", 8008, True),  # its HAProxy asks Patroni who is primary
    ("app1", "db1", 2379, False),  # but not etcd
    ("app1", "db1", 8432, False),  # nor pgBackRest
    ("app1", "lb1", 2379, False),
    ("app1", "app2", 443, False),  # app hosts do not talk to each other
    ("lb1", "app1", 443, True),  # the balancer to the app hosts' nginx
    ("lb1", "app1", 80, False),
    ("lb1", "db1", 5432, False),  # the balancer never talks to PostgreSQL
    ("lb1", "db1", 8432, True),  # the backup repository fetches backups
    ("lb1", "db1", 2379, True),  # etcd members
    ("db1", "db2", 5432, True),  # replication
    ("db1", "db2", 2380, True),  # etcd peers
    ("db1", "lb1", 8432, True),  # WAL to the repository
    ("db1", "lb1", 2379, True),  # Patroni to etcd
    ("db1", "app1", 443, False),
]
# From outside the cluster (the lab machine stands for the internet).
OUTSIDE = [
    ("lb1", 443, True),
    ("lb1", 80, True),
    ("lb1", 2379, False),
    ("lb1", 8432, False),
    ("app1", 443, False),
    ("app1", 80, False),
    ("db1", 5432, False),
    ("db1", 8008, False),
]


def _reaches(cluster: Cluster, source: str, target: str, port: int) -> bool:
    address = cluster.hosts[target].address
    probe = f"timeout 3 bash -c 'exec 3<>/dev/tcp/{address}/{port}'"
    return cluster.hosts[source].ssh("deploy", probe).returncode == 0


@pytest.mark.parametrize(("source", "target", "port", "expected"), FLOWS)
def test_peers_reach_exactly_their_ports(
    provisioned: Cluster, source: str, target: str, port: int, expected: bool
) -> None:
    assert _reaches(provisioned, source, target, port) is expected


@pytest.mark.parametrize(("target", "port", "expected"), OUTSIDE)
def test_from_outside_only_the_balancer_answers(
    provisioned: Cluster, target: str, port: int, expected: bool
) -> None:
    try:
        socket.create_connection((provisioned.hosts[target].address, port), timeout=3).close()
        reached = True
    except OSError:
        reached = False
    assert reached is expected


def test_database_traffic_between_hosts_is_encrypted(provisioned: Cluster) -> None:
    """Every connection from another host (the app hosts' pools, the replica) is TLS, and
    every rule admitting a remote client asks for TLS and a scram-sha-256 password."""
    leader = patroni.leader(provisioned)
    remote = psql(
        leader,
        "SELECT a.backend_type, a.client_addr, s.ssl FROM pg_stat_activity a"
        " JOIN pg_stat_ssl s USING (pid) WHERE a.client_addr IS NOT NULL"
        " AND a.client_addr <> '127.0.0.1';",
    )
    kinds = {row[0] for row in remote}
    assert {"client backend", "walsender"} <= kinds, remote
    assert all(row[2] == "t" for row in remote), remote
    rules = psql(
        leader,
        "SELECT type, address, auth_method FROM pg_hba_file_rules"
        " WHERE type LIKE 'host%' AND address <> '127.0.0.1';",
    )
    assert rules, "no rule for remote clients"
    assert all(row[0] == "hostssl" and row[2] == "scram-sha-256" for row in rules), rules
