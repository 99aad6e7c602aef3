"""Bad cluster inventories, made from the good one: pure functions of hosts.yml's data.

`lab.sh cluster-inventory` writes groups under all.children (load_balancers, app_servers,
db_servers with hosts; etcd_members and backup_repository with children). Each variant
changes one thing an operator could get wrong (test_00_harness.py tests them on a sample).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Inventory = dict[str, Any]


def groups(data: Inventory) -> dict[str, Any]:
    return data["all"]["children"]


def host_vars(data: Inventory, name: str) -> dict[str, Any]:
    """The variables of a host, in whichever group lists it."""
    for group in groups(data).values():
        hosts = (group or {}).get("hosts") or {}
        if name in hosts:
            if hosts[name] is None:
                hosts[name] = {}
            return hosts[name]
    raise KeyError(f"{name} is in no group's hosts")


def one_db(data: Inventory) -> Inventory:
    """Only the first db host (Patroni needs two; etcd would have two members too)."""
    data = copy.deepcopy(data)
    hosts = groups(data)["db_servers"]["hosts"]
    for name in sorted(hosts)[1:]:
        del hosts[name]
    return data


def even_etcd(data: Inventory, extra: str = "app1") -> Inventory:
    """A fourth etcd member (an app host): an even count gains no fault tolerance."""
    data = copy.deepcopy(data)
    members = groups(data)["etcd_members"]
    members["hosts"] = {**(members.get("hosts") or {}), extra: {}}
    return data


def db_unreachable(data: Inventory, name: str, address: str) -> Inventory:
    """A db host whose cluster_address is one where nothing answers."""
    data = copy.deepcopy(data)
    host_vars(data, name)["cluster_address"] = address
    return data


def nobody_at(address: str) -> str:
    """An unused address in a lab host's own /24 (the host is .2, the lab machine .1)."""
    return address.rsplit(".", 1)[0] + ".3"


def write_variant(
    inventory: Path, directory: Path, change: Callable[[Inventory], Inventory]
) -> Path:
    """A copy of the inventory (vault and password included) with hosts.yml changed."""
    shutil.copytree(inventory, directory)
    data = yaml.safe_load((inventory / "hosts.yml").read_text())
    (directory / "hosts.yml").write_text(yaml.safe_dump(change(data), sort_keys=False))
    return directory
