"""Bad input a fresh server meets before its first real run: each run must stop before
anything on the server changes, with a message that says what to fix.

Run on the fresh Debian 12 host (sudo-user layout, sshd on 2222) by conftest's bring-up,
before its first good run; test_bad_input.py checks what happened.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness.labhost import KEY, LabHost, PlaybookRun

# What a run changes first on a fresh server: the deploy user, Slipway's marks, sshd's
# drop-ins, the firewall, the installed packages.
STATE = (
    "sh -c 'getent passwd deploy; ls -A /var/lib/slipway /etc/ssh/sshd_config.d 2>&1;"
    " nft list ruleset | sha256sum; dpkg-query -W | sha256sum'"
)
FAKE_RELEASE = 'ID=debian\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\nPRETTY_NAME="Debian 11"\n'


@dataclass
class BadInput:
    run: PlaybookRun
    before: str
    after: str


@dataclass
class BadInputStory:
    cases: dict[str, BadInput] = field(default_factory=dict)


def without_key_file(inventory: Path, ssh_args: str) -> Path:
    """The inventory with no ansible_ssh_private_key_file (the lab's names its key) and other
    ansible_ssh_common_args: ssh finds its key as these and the agent tell it."""
    settings = inventory / "group_vars" / "all" / "vars.yml"
    lines = settings.read_text().splitlines(keepends=True)
    replaced = ("ansible_ssh_private_key_file:", "ansible_ssh_common_args:")
    kept = [line for line in lines if not line.startswith(replaced)]
    assert len(kept) == len(lines) - 2, f"the lab inventory no longer sets both {replaced}"
    kept.append(f"ansible_ssh_common_args: {json.dumps(ssh_args)}\n")
    settings.write_text("".join(kept))
    return inventory


@contextmanager
def agent_holding(key: Path, socket: Path) -> Iterator[dict[str, str]]:
    """An ssh-agent of our own holding one key; yields the environment that reaches it."""
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(socket)], stdout=subprocess.DEVNULL)
    env = {"SSH_AUTH_SOCK": str(socket)}
    try:
        for _ in range(50):
            if socket.exists():
                break
            time.sleep(0.1)
        subprocess.run(
            ["ssh-add", "-q", str(key)], env={**os.environ, **env}, check=True, capture_output=True
        )
        yield env
    finally:
        agent.terminate()
        agent.wait()


def try_bad_inputs(host: LabHost, workdir: Path) -> BadInputStory:
    story = BadInputStory()
    admin = host.bootstrap_user

    def attempt(
        case: str, *extra: str, inventory: Path | None = None, env: dict[str, str] | None = None
    ) -> None:
        before = host.sudo(STATE, user=admin)
        run = host.run_site(workdir / f"bad-{case}.log", *extra, inventory=inventory, env=env)
        story.cases[case] = BadInput(run, before, host.sudo(STATE, user=admin))

    # An address in the host's own subnet where nothing answers.
    nobody = host.address.rsplit(".", 1)[0] + ".3"
    attempt(
        "unreachable", inventory=host.variant_inventory(workdir / "inv-gone", ansible_host=nobody)
    )

    vault = host.variant_inventory(workdir / "inv-vault")
    (vault / "vault-pass").write_text("not-the-password\n")
    attempt("vault", inventory=vault)

    other_key = subprocess.run(
        ["ssh-keygen", "-y", "-f", str(KEY)], capture_output=True, text=True, check=True
    ).stdout.split()[1][::-1]  # the operator's key, reversed: any other key
    keys = host.variant_inventory(
        workdir / "inv-keys", deploy_user_ssh_keys=[f"ssh-ed25519 {other_key} someone-else"]
    )
    attempt("key", inventory=keys)

    # The same key, found by ssh only in an agent: no key file in the inventory, none of the
    # default files (IdentityFile none).
    quiet = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    agent_only = without_key_file(
        host.variant_inventory(
            workdir / "inv-agent", deploy_user_ssh_keys=[f"ssh-ed25519 {other_key} someone-else"]
        ),
        f"{quiet} -o IdentityFile=none",
    )
    with agent_holding(KEY, workdir / "agent.sock") as agent:
        attempt("key_agent", inventory=agent_only, env=agent)

    # ~/.ssh/config's way, in a file given with -F: its IdentityFile is a key nobody listed.
    config_key = workdir / "config-key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(config_key)], check=True
    )
    config = workdir / "ssh-config"
    config.write_text(
        f"Host *\n  IdentityFile {config_key}\n  IdentitiesOnly yes\n"
        "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n"
    )
    attempt(
        "key_ssh_config",
        inventory=without_key_file(host.variant_inventory(workdir / "inv-cfg"), f"-F {config}"),
    )

    # A Debian cloud image's root: its key runs cloud-init's "Please login as ..." command.
    attempt(
        "cloud_root",
        inventory=host.variant_inventory(workdir / "inv-root", bootstrap_user="root"),
    )

    host.sudo(
        "sh -c 'useradd -m -s /bin/bash nosudo && install -d -m 700 -o nosudo -g nosudo"
        f" /home/nosudo/.ssh && install -m 600 -o nosudo -g nosudo ~{admin}/.ssh/authorized_keys"
        " /home/nosudo/.ssh/'",
        user=admin,
    )
    attempt(
        "no_sudo", inventory=host.variant_inventory(workdir / "inv-nosudo", bootstrap_user="nosudo")
    )
    host.sudo("sh -c 'pkill -u nosudo; userdel -r -f nosudo'", user=admin)

    # A NAT forwarding some other port to sshd, said wrongly: the firewall would shut sshd out.
    attempt("ssh_port", "-e", "hardening_ssh_port=22")

    host.sudo("cp -a /etc/debian_version /usr/lib/os-release /root/", user=admin)
    host.ssh(admin, f"printf '{FAKE_RELEASE}' | sudo -n tee /usr/lib/os-release >/dev/null")
    host.sudo("sh -c 'echo 11.11 > /etc/debian_version'", user=admin)
    try:
        attempt("release")
    finally:
        host.sudo("cp -a /root/debian_version /etc/debian_version", user=admin)
        host.sudo("cp -a /root/os-release /usr/lib/os-release", user=admin)
    return story
