"""The inventory decides who gets in: the keys of deploy_user_ssh_keys, as the deploy user.

On the Debian 12 host (cloud-image layout): a second operator's key opened the provider's
user `debian` before the first run and the deploy user after it; once a run no longer lists
it, it opens neither (keyremoval.py, run by conftest's bring-up). The provider's user is
locked by the first run; root keeps no key on either host.
"""

from __future__ import annotations

from keyremoval import KeyRemoval

from tests.harness.labhost import LabHost

OPENED, REFUSED = 0, 255  # ssh's exit status for `ssh ... true`


def test_a_removed_key_opens_neither_the_deploy_user_nor_the_providers_user(
    key_removal: KeyRemoval,
) -> None:
    logins = key_removal.logins
    # It did open both doors, so a refusal below is the removal's doing.
    assert logins["debian before"] == OPENED, logins
    assert logins["deploy with both keys listed"] == OPENED, logins
    assert key_removal.run is not None
    assert key_removal.run.returncode == 0, key_removal.run.output[-4000:]
    assert logins["deploy after"] == REFUSED, logins
    assert logins["debian after"] == REFUSED, logins


def test_the_providers_user_is_locked(key_removal: KeyRemoval) -> None:
    host = key_removal.host
    # The key the provider put there (the lab key, still the operator's) no longer opens it.
    assert key_removal.logins["debian with the lab key, after"] == REFUSED
    assert host.sudo("sh -c 'ls -A ~debian/.ssh'").strip() == ""
    # No sudo left: cloud-init's passwordless rule for it is gone, and it is in no group.
    assert "is not allowed to run sudo" in host.sudo("sudo -l -U debian")
    assert host.sudo("id -nG debian").split() == ["debian"]
    # Locked and expired: sshd and su refuse it whatever it offers.
    shadow = host.sudo("getent shadow debian").split(":")
    assert shadow[1].startswith("!"), shadow[1]
    assert shadow[7] == "1", shadow  # expired on day 1 (2 January 1970)


def test_root_keeps_no_key(server: LabHost) -> None:
    # The root layout's first login had the lab key there; sshd refuses root anyway.
    assert server.sudo("sh -c 'ls /root/.ssh/authorized_keys* 2>/dev/null || true'") == ""
