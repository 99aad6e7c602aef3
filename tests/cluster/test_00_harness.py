"""The harness's own pure parts, on made-up input: no host boots for these (they run first,
in seconds, and alone with `pytest -c tests/cluster/pytest.ini tests/cluster/test_00_harness.py`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import haproxy
import patroni
import pytest
from tally import (
    Outcome,
    Written,
    calendar_base,
    count,
    missing,
    overlapping_slot,
    slot,
    wal_archived,
    write_recovered,
)
from topology import only_certificates
from variants import db_unreachable, even_etcd, host_vars, nobody_at, one_db

SERVERS_STATE = """1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 app1 10.213.2.2 2 0 1 1 100 6 3 4 6 0 0 0 - 443 - 1 0 - - 0
3 app 2 app2 10.213.3.2 0 0 1 1 5 8 2 0 6 0 0 0 - 443 - 1 0 - - 0
3 app 3 app3 10.213.6.2 2 8 1 1 7 6 3 4 6 0 0 0 - 443 - 1 0 - - 0
3 app 4 app4 10.213.7.2 2 1 1 1 7 6 3 4 6 0 0 0 - 443 - 1 0 - - 0
"""  # noqa: E501 - HAProxy's own header line

STAT = """# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin
https,FRONTEND,,,1,3,100,420,0
app,app1,0,0,0,2,,211,0
app,app2,0,0,0,2,,0,0
app,BACKEND,0,0,0,3,,211,0
"""


def test_haproxy_states_from_the_admin_socket() -> None:
    servers = haproxy.parse_servers_state(SERVERS_STATE)
    assert {n: s.state for n, s in servers.items()} == {
        "app1": "UP",
        "app2": "DOWN",
        "app3": "DRAIN",
        "app4": "MAINT",
    }
    assert haproxy.parse_sessions(STAT) == {"app1": 211, "app2": 0}
    with pytest.raises(AssertionError):
        haproxy.parse_servers_state("Unknown command\n")


def test_pool_samples_count_hosts_out_at_once() -> None:
    up = {"app1": "UP", "app2": "UP"}
    samples = [
        (0.0, up),
        (0.5, {**up, "app1": "DRAIN"}),
        (1.0, up),
        (1.5, {**up, "app2": "MAINT"}),
    ]
    assert haproxy.most_out_at_once(samples) == 1
    assert haproxy.ever_out(samples) == ["app1", "app2"]
    assert haproxy.most_out_at_once([*samples, (2.0, {"app1": "DOWN", "app2": "DRAIN"})]) == 2


def test_patroni_members_and_leader() -> None:
    text = json.dumps(
        [
            {"Cluster": "slipway", "Member": "db1", "Role": "Leader", "State": "running"},
            {"Cluster": "slipway", "Member": "db2", "Role": "Sync Standby", "State": "streaming"},
        ]
    )
    members = patroni.parse_members(text)
    assert patroni.leader_of(members) == "db1"
    assert members["db2"].is_replica
    assert patroni.leader_of({"db2": patroni.Member("db2", "Replica", "streaming")}) is None


def test_failover_time_is_measured_to_the_first_write_after_the_last_failure() -> None:
    outcomes = [
        Outcome("write", 9.0, 9.1),  # before the power-off: not counted
        Outcome("write", 10.1, 10.2),  # sent before the kill landed
        Outcome("write", 10.5, 15.5, "TimeoutError"),
        Outcome("read", 11.0, 11.1, "HTTP 503"),
        Outcome("write", 16.0, 21.0, "HTTP 502"),
        Outcome("write", 21.5, 22.0),
        Outcome("write", 22.5, 22.6),
    ]
    assert write_recovered(outcomes, since=10.0) == 22.0
    assert write_recovered(outcomes[:2], since=10.0) == 10.2  # no outage at all
    counts = count(outcomes)
    assert (counts["write"].sent, counts["write"].failed) == (6, 2)
    assert counts["read"].reasons == {"HTTP 503": 1}
    assert counts["cancel"].sent == 0


def test_slots_never_overlap_and_the_probe_always_does() -> None:
    base = calendar_base(datetime(2026, 3, 1, 17, 45, tzinfo=UTC))
    assert base == datetime(2026, 3, 3, tzinfo=UTC)
    (_, a_end), (b_start, b_end) = slot(base, 0), slot(base, 1)
    assert a_end == b_start  # half-open ranges: back to back, no overlap
    probe_start, probe_end = overlapping_slot(b_start, b_end)
    assert b_start < probe_start < b_end < probe_end


def test_missing_records_compare_id_item_and_range() -> None:
    start = datetime(2026, 3, 3, tzinfo=UTC)
    end = start + timedelta(minutes=30)
    written = [Written(i, 7, "u", start, end, start) for i in (1, 2, 3)]
    epoch = (7, int(start.timestamp()), int(end.timestamp()))
    stored = {1: epoch, 3: (8, epoch[1], epoch[2])}
    assert [b.id for b in missing(written, stored)] == [2, 3]


def test_wal_archive_progress() -> None:
    assert wal_archived("000000010000000000000005", "000000010000000000000005")
    assert wal_archived("000000020000000000000006", "000000010000000000000005")
    assert not wal_archived("000000010000000000000004", "000000010000000000000005")
    assert not wal_archived("00000002.history", "000000010000000000000005")
    assert not wal_archived("", "000000010000000000000005")


SAMPLE = {
    "all": {
        "children": {
            "load_balancers": {"hosts": {"lb1": {"ansible_host": "10.213.1.2"}}},
            "app_servers": {"hosts": {"app1": {}, "app2": {}}},
            "db_servers": {
                "hosts": {"db1": {"ansible_host": "10.213.4.2"}, "db2": {}},
            },
            "etcd_members": {"children": {"db_servers": {}, "load_balancers": {}}},
            "backup_repository": {"children": {"load_balancers": {}}},
        }
    }
}


def test_bad_inventories_change_one_thing_each() -> None:
    assert list(one_db(SAMPLE)["all"]["children"]["db_servers"]["hosts"]) == ["db1"]
    etcd = even_etcd(SAMPLE)["all"]["children"]["etcd_members"]
    assert etcd == {"children": {"db_servers": {}, "load_balancers": {}}, "hosts": {"app1": {}}}
    changed = db_unreachable(SAMPLE, "db1", nobody_at("10.213.4.2"))
    assert host_vars(changed, "db1")["cluster_address"] == "10.213.4.3"
    assert "cluster_address" not in host_vars(SAMPLE, "db1")  # the original is untouched


def test_only_the_certificates_of_a_pem_bundle() -> None:
    cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
    # Any other block (HAProxy's file holds the key too; a key here would trip the hooks).
    other = "-----BEGIN EC PARAMETERS-----\nBggq\n-----END EC PARAMETERS-----"
    assert only_certificates(f"{cert}\n{other}\n") == cert + "\n"


def test_switches_one_host_at_a_time_in_the_log() -> None:
    from playbooklog import SWITCH_TASK, task_runs

    output = "\n".join(
        [
            "PLAY [Deploy] ****",
            f"TASK [app : {SWITCH_TASK}] ****",
            "changed: [app1]",
            "TASK [app : Something else] ****",
            "changed: [app1]",
            f"TASK [app : {SWITCH_TASK}] ****",
            "changed: [app2]",
        ]
    )
    assert task_runs(output, SWITCH_TASK) == [["app1"], ["app2"]]
    assert task_runs(output, "Missing") == []
