"""The unit suite on the Python of Debian 13 (3.13), on the deployed Debian 13 host.

This machine has only Python 3.11; the lab host's system Python is the newest one Slipway
supports. The suite runs there from this commit, with the locked requirements checked
against their hashes, as the release's own venv is built.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.harness.labhost import REPO, TIMINGS, LabHost, ssh_options

WORK = "/var/tmp/slipway-unit"  # noqa: S108 (on the throwaway lab host)


def test_unit_suite_passes_on_python_313(deployed: LabHost, tmp_path: Path) -> None:
    assert deployed.sudo("python3 --version").startswith("Python 3.13")
    requirements = tmp_path / "requirements.txt"
    subprocess.run(
        ["uv", "export", "--frozen", "--no-emit-project", "--format", "requirements-txt",
         "--directory", str(REPO), "-o", str(requirements)],
        check=True, capture_output=True,
    )  # fmt: skip
    source = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(
        ["ssh", *ssh_options(deployed.port), f"deploy@{deployed.address}",
         f"sudo -n rm -rf {WORK} && sudo -n mkdir -p {WORK} && sudo -n tar -x -C {WORK}"],
        input=source, check=True, capture_output=True,
    )  # fmt: skip
    deployed.ssh("deploy", f"sudo -n tee {WORK}/requirements.txt >/dev/null",
                 input_text=requirements.read_text())  # fmt: skip
    install = deployed.ssh(
        "deploy",
        f"sudo -n -H sh -c 'python3 -m venv {WORK}/.venv && {WORK}/.venv/bin/pip install -q"
        f" --disable-pip-version-check --require-hashes --no-deps -r {WORK}/requirements.txt'",
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    started = time.monotonic()
    result = deployed.ssh(
        "deploy",
        f"cd {WORK} && sudo -n env PATH={WORK}/.venv/bin:/usr/bin:/bin DATABASE_URL=sqlite://:memory:"
        " python -m pytest"
        " tests/unit -q -n 2 -p no:cacheprovider",
    )
    TIMINGS["deploy13: unit suite on Python 3.13"] = time.monotonic() - started
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    print(f"Python 3.13 on Debian 13: {summary}")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    deployed.sudo(f"rm -rf {WORK}")
