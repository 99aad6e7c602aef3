"""A run that fails after writing configuration converges on the next run.

The case from a real Debian 13 deploy: nginx's files were written, `nginx -t` failed, and the
next run found the files unchanged, fired no handler and left nginx on the package default
(443 closed). Here: take nginx off the Slipway site, plant a file that makes `nginx -t` fail,
run (it fails after rewriting the site), remove the planted file as an operator would, run
again: HTTPS must serve the API, and a third run must change nothing. The runs are
provision.yml, the part of site.yml that writes nginx's files (site.yml runs it first): the
release deploy after it has nothing to do with this case and would only add minutes.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.harness.accounts import login
from tests.harness.domain import Actor
from tests.harness.labhost import TIMINGS, LabHost

SITE_LINK = "/etc/nginx/sites-enabled/example_api.conf"
PLANTED = "/etc/nginx/conf.d/zz-planted.conf"


def _https_open(host: LabHost) -> bool:
    try:
        socket.create_connection((host.address, 443), timeout=3).close()
    except OSError:
        return False
    return True


def _https_closes(host: LabHost) -> bool:
    """nginx applies a reload asynchronously: wait until 443 stops answering."""
    deadline = time.monotonic() + 15
    while _https_open(host):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


def test_a_failed_run_converges_on_the_next(
    deployed: LabHost, account: Actor, tmp_path: Path
) -> None:
    deployed.sudo(f"rm {SITE_LINK}")
    deployed.sudo("systemctl reload nginx")
    try:
        _break_and_converge(deployed, account, tmp_path)
    finally:  # whatever happened, leave nginx serving for the tests after this one
        deployed.sudo(f"rm -f {PLANTED}")
        deployed.sudo(f"ln -sf /etc/nginx/sites-available/example_api.conf {SITE_LINK}")
        deployed.sudo("systemctl reload nginx")


def _break_and_converge(deployed: LabHost, account: Actor, tmp_path: Path) -> None:
    assert _https_closes(deployed)
    # A duplicate of a directive Slipway sets: `nginx -t` fails once Slipway's files are back.
    deployed.ssh("deploy", f"echo 'limit_req_status 503;' | sudo -n tee {PLANTED}")

    failed = deployed.run_playbook("provision.yml", tmp_path / "provision-fails.log")
    assert failed.returncode != 0
    assert "is duplicate" in failed.output, failed.output[-3000:]
    assert deployed.sudo(f"test -L {SITE_LINK} && echo written").strip() == "written"
    assert not _https_open(deployed)  # written, but never loaded
    assert "nginx" in deployed.sudo("ls /var/lib/slipway/pending").split()

    deployed.sudo(f"rm {PLANTED}")
    fixed = deployed.run_playbook("provision.yml", tmp_path / "provision-converges.log")
    TIMINGS["deploy13: provision.yml after a failed run"] = fixed.seconds
    assert fixed.returncode == 0, fixed.output[-4000:]
    assert deployed.sudo("ls -A /var/lib/slipway/pending").strip() == ""

    status, _, body = deployed.request("GET", "/healthz")
    assert (status, body) == (200, {"status": "ok", "version": deployed.release})
    assert login(deployed, account.username, account.password)

    again = deployed.run_playbook("provision.yml", tmp_path / "provision-after.log")
    assert again.returncode == 0
    assert again.recap(deployed.name)["changed"] == 0, again.changed_tasks()
