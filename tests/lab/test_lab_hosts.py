"""`lab.sh list` and `lab.sh inventory` on fake host directories (what the deploy fixtures read).

A host directory records the host's subnet number, release, layout and SSH port; a host
started by an older lab.sh has only its index and counts as Debian 12, root layout, port 22.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from lab_sh import lab_sh

HOSTS = {
    "alpha": {"index": "1", "release": "13", "layout": "root", "port": "22"},
    "beta": {"index": "2", "release": "12", "layout": "sudo", "port": "2222"},
    "old": {"index": "3"},
}


def fake_hosts(tmp_path: Path) -> None:
    for name, files in HOSTS.items():
        (tmp_path / "lab" / name).mkdir(parents=True)
        for file, value in files.items():
            (tmp_path / "lab" / name / file).write_text(value + "\n")


def test_list_prints_name_address_release_layout(tmp_path: Path) -> None:
    fake_hosts(tmp_path)
    result = lab_sh(tmp_path, "list")
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        "alpha 10.213.1.2 13 root",
        "beta 10.213.2.2 12 sudo",
        "old 10.213.3.2 12 root",
    ]


def test_list_with_no_host_prints_nothing(tmp_path: Path) -> None:
    result = lab_sh(tmp_path, "list")
    assert (result.returncode, result.stdout) == (0, "")


def test_inventory_sets_port_and_first_login_per_host(tmp_path: Path) -> None:
    fake_hosts(tmp_path)
    key = tmp_path / "key"
    key.with_suffix(".pub").write_text("ssh-ed25519 AAAAfake slipway-lab\n")
    # A stand-in for ansible-vault: the writer's output is under test, not ansible's.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ansible-vault").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "ansible-vault").chmod(0o755)
    inventory = tmp_path / "inventory"
    result = lab_sh(
        tmp_path,
        "inventory",
        str(inventory),
        SLIPWAY_LAB_KEY=str(key),
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    )
    assert result.returncode == 0, result.stderr

    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())["all"]["children"]
    assert hosts["app_servers"]["hosts"] == {
        "alpha": {"ansible_host": "10.213.1.2", "ansible_port": 22, "bootstrap_user": "root"},
        "beta": {"ansible_host": "10.213.2.2", "ansible_port": 2222, "bootstrap_user": "debian"},
        "old": {"ansible_host": "10.213.3.2", "ansible_port": 22, "bootstrap_user": "root"},
    }
    group = yaml.safe_load((inventory / "group_vars/all/vars.yml").read_text())
    # The default for a host listed without one (an older fixture rewriting hosts.yml).
    assert group["bootstrap_user"] == "root"
    assert group["ansible_ssh_private_key_file"] == str(key)
    assert group["deploy_user_ssh_keys"] == ["ssh-ed25519 AAAAfake slipway-lab"]
    assert (inventory / "vault-pass").stat().st_mode & 0o077 == 0
