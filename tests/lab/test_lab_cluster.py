"""`lab.sh cluster-inventory` and powered-off hosts, on fake host directories.

The cluster inventory groups the lab hosts by name (lb*, app*, db*) and leaves other hosts
out; a powered-off host (state "off") is still a lab host, listed and in the inventories.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from lab_sh import lab_sh

HOSTS = {
    "lb1": {"index": "1", "release": "13", "layout": "root", "port": "22"},
    "app1": {"index": "2", "release": "13", "layout": "root", "port": "22"},
    "app2": {"index": "3", "release": "13", "layout": "root", "port": "22"},
    "db1": {"index": "4", "release": "13", "layout": "root", "port": "22"},
    "db2": {"index": "5", "release": "13", "layout": "root", "port": "22", "state": "off"},
    "lab1": {"index": "6", "release": "12", "layout": "sudo", "port": "2222"},
}
PATRONI_SECRETS = {
    "vault_patroni_superuser_password",
    "vault_patroni_replication_password",
    "vault_patroni_rewind_password",
    "vault_patroni_restapi_password",
}
APP_SECRETS = {"vault_app_secret_key", "vault_app_db_password", "vault_app_redis_password"}


def fake_hosts(tmp_path: Path, hosts: dict[str, dict[str, str]]) -> None:
    for name, files in hosts.items():
        (tmp_path / "lab" / name).mkdir(parents=True)
        for file, value in files.items():
            (tmp_path / "lab" / name / file).write_text(value + "\n")


def write_inventory(tmp_path: Path, command: str, inventory: Path) -> None:
    key = tmp_path / "key"
    key.with_suffix(".pub").write_text("ssh-ed25519 AAAAfake slipway-lab\n")
    # A stand-in for ansible-vault that leaves the vault in plain text, to read what it holds.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "ansible-vault").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "ansible-vault").chmod(0o755)
    result = lab_sh(
        tmp_path,
        command,
        str(inventory),
        SLIPWAY_LAB_KEY=str(key),
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    )
    assert result.returncode == 0, result.stderr


def entry(index: int) -> dict[str, object]:
    return {"ansible_host": f"10.213.{index}.2", "ansible_port": 22, "bootstrap_user": "root"}


def test_cluster_inventory_groups_hosts_by_name(tmp_path: Path) -> None:
    fake_hosts(tmp_path, HOSTS)
    inventory = tmp_path / "cluster"
    write_inventory(tmp_path, "cluster-inventory", inventory)

    groups = yaml.safe_load((inventory / "hosts.yml").read_text())["all"]["children"]
    assert groups["load_balancers"]["hosts"] == {"lb1": entry(1)}
    assert groups["app_servers"]["hosts"] == {"app1": entry(2), "app2": entry(3)}
    # db2 is powered off: still a member of the cluster.
    assert groups["db_servers"]["hosts"] == {"db1": entry(4), "db2": entry(5)}
    assert groups["etcd_members"] == {"children": {"db_servers": {}, "load_balancers": {}}}
    assert groups["backup_repository"] == {"children": {"load_balancers": {}}}
    # lab1 is no cluster host.
    assert "lab1" not in (inventory / "hosts.yml").read_text()


def test_cluster_inventory_empty_group_is_a_mapping(tmp_path: Path) -> None:
    fake_hosts(tmp_path, {name: HOSTS[name] for name in ("app1", "db1")})
    inventory = tmp_path / "cluster"
    write_inventory(tmp_path, "cluster-inventory", inventory)
    groups = yaml.safe_load((inventory / "hosts.yml").read_text())["all"]["children"]
    assert groups["load_balancers"]["hosts"] == {}


def test_cluster_vars_differ_from_inventory_only_in_the_public_name(tmp_path: Path) -> None:
    fake_hosts(tmp_path, HOSTS)
    write_inventory(tmp_path, "inventory", tmp_path / "single")
    write_inventory(tmp_path, "cluster-inventory", tmp_path / "cluster")
    single = yaml.safe_load((tmp_path / "single/group_vars/all/vars.yml").read_text())
    cluster = yaml.safe_load((tmp_path / "cluster/group_vars/all/vars.yml").read_text())
    assert single["app_domain"] == "{{ inventory_hostname }}.slipway.test"
    assert single["app_extra_hosts"] == ["{{ ansible_host }}"]
    assert cluster["app_domain"] == "api.slipway.test"
    assert cluster["app_extra_hosts"] == []
    rest = {"app_domain", "app_extra_hosts"}
    assert {k: v for k, v in cluster.items() if k not in rest} == {
        k: v for k, v in single.items() if k not in rest
    }


def vault(inventory: Path) -> dict[str, str]:
    return yaml.safe_load((inventory / "group_vars/all/vault.yml").read_text())


def test_cluster_vault_adds_patroni_secrets(tmp_path: Path) -> None:
    fake_hosts(tmp_path, HOSTS)
    write_inventory(tmp_path, "inventory", tmp_path / "single")
    write_inventory(tmp_path, "cluster-inventory", tmp_path / "cluster")
    assert set(vault(tmp_path / "single")) == APP_SECRETS
    secrets = vault(tmp_path / "cluster")
    assert set(secrets) == APP_SECRETS | PATRONI_SECRETS
    for name in PATRONI_SECRETS | {"vault_app_db_password", "vault_app_redis_password"}:
        assert re.fullmatch(r"[0-9a-f]{32}", secrets[name]), name
    assert len(set(secrets.values())) == len(secrets)
    assert (tmp_path / "cluster/group_vars/all/vault.yml").stat().st_mode & 0o077 == 0


def test_cluster_inventory_rerun_keeps_vault_and_password(tmp_path: Path) -> None:
    fake_hosts(tmp_path, HOSTS)
    inventory = tmp_path / "cluster"
    write_inventory(tmp_path, "cluster-inventory", inventory)
    before = ((inventory / "vault-pass").read_text(), vault(inventory))
    write_inventory(tmp_path, "cluster-inventory", inventory)
    assert ((inventory / "vault-pass").read_text(), vault(inventory)) == before


def test_powered_off_host_is_listed_and_in_the_inventory(tmp_path: Path) -> None:
    fake_hosts(tmp_path, {"db2": HOSTS["db2"]})
    result = lab_sh(tmp_path, "list")
    assert (result.returncode, result.stdout) == (0, "db2 10.213.5.2 13 root\n")
    inventory = tmp_path / "single"
    write_inventory(tmp_path, "inventory", inventory)
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())["all"]["children"]
    assert hosts["app_servers"]["hosts"] == {"db2": entry(5)}


def test_ssh_to_a_powered_off_host_says_so(tmp_path: Path) -> None:
    fake_hosts(tmp_path, {"db2": HOSTS["db2"]})
    result = lab_sh(tmp_path, "ssh", "db2", "true")
    assert result.returncode != 0
    assert "db2 is powered off" in result.stderr


def test_usage_lists_the_power_and_cluster_commands(tmp_path: Path) -> None:
    result = lab_sh(tmp_path, "help")
    assert result.returncode == 0
    for command in ("poweroff NAME", "poweron NAME", "cluster-inventory DIR"):
        assert f"lab.sh {command}" in result.stdout
