"""Bad input stops the run before anything changes, with a message that says what to fix.

Each case ran against the fresh Debian 12 host (sudo-user layout, sshd on 2222) before its
first good run (conftest's bring-up, badinput.py); here we read what happened.
"""

from __future__ import annotations

import pytest

from tests.harness.badinput import BadInputStory
from tests.harness.labhost import KEY

# case -> words the operator must see (what is wrong and what to change). Each case has words
# of its own: the key cases name where ssh found the key it would offer.
EXPECTED = {
    "unreachable": ["Cannot log in to deploy12", "Check ansible_host and ansible_port"],
    "vault": ["Cannot decrypt the vault", "vault.yml", "ANSIBLE_VAULT_PASSWORD_FILE"],
    "key": ["none is in deploy_user_ssh_keys", "(" + str(KEY) + ")", "would lock you out"],
    "key_agent": ["none is in deploy_user_ssh_keys", "(ssh-agent)", "ssh-add"],
    "key_ssh_config": ["none is in deploy_user_ssh_keys", "config-key)", "IdentityFile"],
    "cloud_root": [
        "root cannot log in on deploy12",
        'Please login as the user "debian"',
        "Set bootstrap_user: debian",
    ],
    "no_sudo": ["nosudo cannot become root", "passwordless sudo"],
    "ssh_port": ["sshd listens on", "2222", "Set ansible_port"],
    "release": ["Slipway deploys to Debian 13 or 12", "runs Debian 11"],
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_stops_before_anything_changes(bad_input: BadInputStory, case: str) -> None:
    attempt = bad_input.cases[case]
    output = attempt.run.output
    assert attempt.run.returncode != 0, output[-3000:]
    # Stopped in the checks: the provisioning play never started.
    assert "PLAY [Provision every host" not in output, output[-3000:]
    for words in EXPECTED[case]:
        assert words in output, f"{words!r} not in the output:\n{output[-3000:]}"
    assert attempt.after == attempt.before
