"""lab/network.sh's accept rules for a firewall that drops forwarded packets (Docker's), on a
fake iptables that keeps its rules in a file (`iptables -S` format): where they go, that a
second host adds nothing, and that taking the lab down leaves the rules exactly as found.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

NETWORK = Path(__file__).resolve().parents[2] / "lab" / "network.sh"

FAKE_IPTABLES = """#!/usr/bin/env python3
import os, sys
path = os.environ["FAKE_RULES"]
lines = open(path).read().splitlines()
args = [a for a in sys.argv[1:] if a != "-w"]
op, chain = args[0], args[1] if len(args) > 1 else None
if op == "-S":
    print("\\n".join(lines))
    sys.exit(0)
rule = " ".join(args[3:] if op == "-I" else args[2:])
line = f"-A {chain} {rule}"
if op == "-C":
    sys.exit(0 if line in lines else 1)
if op == "-D":
    lines.remove(line)
elif op == "-I":
    at = next((i for i, old in enumerate(lines) if old.startswith(f"-A {chain} ")), len(lines))
    lines.insert(at, line)
open(path, "w").write("\\n".join(lines) + "\\n")
"""

DOCKER = """-P INPUT ACCEPT
-P FORWARD DROP
-P OUTPUT ACCEPT
-N DOCKER
-N DOCKER-USER
-A FORWARD -j DOCKER-USER
-A FORWARD -o docker0 -j DOCKER
-A DOCKER-USER -j RETURN
"""
DROP_NO_DOCKER_USER = (
    "-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-A FORWARD -i br0 -j ACCEPT\n"
)
OPEN = "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"
OURS = [
    "-s 10.213.0.0/16 -m comment --comment slipway-lab -j ACCEPT",
    "-d 10.213.0.0/16 -m conntrack --ctstate RELATED,ESTABLISHED"
    " -m comment --comment slipway-lab -j ACCEPT",
]


def network_sh(tmp_path: Path, script: str, with_iptables: bool = True) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir(exist_ok=True)
    if with_iptables:
        (fake_bin / "iptables").write_text(FAKE_IPTABLES)
        (fake_bin / "iptables").chmod(0o755)
    # iptables lives in /usr/sbin (Debian, Ubuntu), which is left out: only the fake is found.
    env = {"PATH": f"{fake_bin}:/usr/bin:/bin", "FAKE_RULES": str(tmp_path / "rules")}
    prelude = (
        f"LAB_ROOT={tmp_path}/lab SUBNET_PREFIX=10.213 NFT_TABLE=t; say() {{ :; }};"
        f" mkdir -p {tmp_path}/lab; source {NETWORK};"
    )
    env["HOME"] = os.environ.get("HOME", "/")
    subprocess.run(["/bin/bash", "-c", prelude + script], env=env, check=True)


@pytest.mark.parametrize(
    ("rules", "chain"), [(DOCKER, "DOCKER-USER"), (DROP_NO_DOCKER_USER, "FORWARD")]
)
def test_the_accept_rules_go_first_and_leave_exactly(
    tmp_path: Path, rules: str, chain: str
) -> None:
    (tmp_path / "rules").write_text(rules)
    network_sh(tmp_path, "forward_open; forward_open")  # a second host adds nothing
    now = (tmp_path / "rules").read_text().splitlines()
    mine = [line for line in now if "slipway-lab" in line]
    assert mine == [f"-A {chain} {rule}" for rule in OURS]
    first_of_chain = next(line for line in now if line.startswith(f"-A {chain} "))
    assert first_of_chain == mine[0]
    assert (tmp_path / "lab" / "forward.chain").read_text().strip() == chain

    network_sh(tmp_path, "forward_close")
    assert (tmp_path / "rules").read_text() == rules
    assert not (tmp_path / "lab" / "forward.chain").exists()


def test_a_firewall_that_forwards_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "rules").write_text(OPEN)
    network_sh(tmp_path, "forward_open")
    assert (tmp_path / "rules").read_text() == OPEN
    assert not (tmp_path / "lab" / "forward.chain").exists()


def test_no_iptables_no_rules(tmp_path: Path) -> None:
    network_sh(tmp_path, "forward_open; forward_close", with_iptables=False)
    assert not (tmp_path / "lab" / "forward.chain").exists()
