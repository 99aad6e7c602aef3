"""A second operator's key, taken out of deploy_user_ssh_keys: it must then open neither the
deploy user nor the provider's first login.

On the fresh Debian 12 host (cloud-image layout: the provider's user `debian`), run by
conftest's bring-up around the host's first run: the key is authorised for `debian` too, as a
provider does with every key of the account; the first run lists both operators' keys; a
provision.yml run then lists the lab key only. test_access.py reads what happened.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness.labhost import KEY, LabHost, PlaybookRun


@dataclass
class KeyRemoval:
    host: LabHost
    key: Path  # the second operator's key, removed by the last run
    # "<user> <when>" -> ssh's exit status with that key (0: logged in, 255: refused).
    logins: dict[str, int] = field(default_factory=dict)
    run: PlaybookRun | None = None  # provision.yml without the key


def login(host: LabHost, user: str, key: Path) -> int:
    """Log in with this key only (no agent, no default key files): ssh's exit status."""
    return subprocess.run(
        [
            *("ssh", "-F", "/dev/null", "-i", str(key), "-p", str(host.port)),
            *("-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes"),
            *("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"),
            *("-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5"),
            f"{user}@{host.address}",
            "true",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    ).returncode


def second_operator(host: LabHost, workdir: Path) -> tuple[KeyRemoval, list[str]]:
    """Before the first run: the second key, authorised for the provider's user. Returns the
    story and the first run's extra arguments (both keys listed)."""
    key = workdir / "second-operator"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    public = key.with_suffix(".pub").read_text().strip()
    admin = host.bootstrap_user
    added = host.ssh(admin, f"echo '{public}' >> ~/.ssh/authorized_keys")
    assert added.returncode == 0, added.stderr
    story = KeyRemoval(host, key)
    story.logins[f"{admin} before"] = login(host, admin, key)
    both = [KEY.with_suffix(".pub").read_text().strip(), public]
    return story, ["-e", json.dumps({"deploy_user_ssh_keys": both})]


def remove_the_key(host: LabHost, story: KeyRemoval, workdir: Path) -> None:
    """After a good first run: the inventory's keys alone (the lab key), then try them all."""
    story.logins["deploy with both keys listed"] = login(host, "deploy", story.key)
    story.run = host.run_playbook("provision.yml", workdir / "provision-key-removed.log")
    for user in ("deploy", host.bootstrap_user):
        story.logins[f"{user} after"] = login(host, user, story.key)
    story.logins[f"{host.bootstrap_user} with the lab key, after"] = login(
        host, host.bootstrap_user, KEY
    )
