"""Bad input a fresh server meets before its first real run: each run must stop before
anything on the server changes, with a message that says what to fix.

Run on the fresh Debian 12 host (sudo-user layout, sshd on 2222) by conftest's bring-up,
before its first good run; test_bad_input.py checks what happened.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from labhost import KEY, LabHost, PlaybookRun

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


def try_bad_inputs(host: LabHost, workdir: Path) -> BadInputStory:
    story = BadInputStory()
    admin = host.bootstrap_user

    def attempt(case: str, *extra: str, inventory: Path | None = None) -> None:
        before = host.sudo(STATE, user=admin)
        run = host.run_site(workdir / f"bad-{case}.log", *extra, inventory=inventory)
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
