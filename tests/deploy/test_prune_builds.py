"""Local release builds are pruned to app_keep_releases, never the one being deployed.

Runs the role's prune_builds.yml on localhost against a scratch build directory: no lab host
is needed, so this check costs seconds."""

import os
import subprocess
import time
from pathlib import Path

from tests.harness.labhost import REPO


def test_old_builds_are_pruned_but_never_the_current_one(tmp_path: Path) -> None:
    builds = tmp_path / "build"
    now = time.time()
    names = [f"release{i}" for i in range(8)]  # release0 oldest ... release7 newest
    for age, name in enumerate(reversed(names)):
        (builds / name).mkdir(parents=True)
        os.utime(builds / name, (now - 60 * age, now - 60 * age))
    playbook = tmp_path / "prune.yml"
    playbook.write_text(
        "- hosts: localhost\n"
        "  connection: local\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - ansible.builtin.include_tasks:\n"
        f"        file: {REPO / 'ansible/roles/app/tasks/prune_builds.yml'}\n"
    )
    # The current build is an old one (a redeploy of an earlier commit reuses its build).
    current = builds / "release1"
    result = subprocess.run(
        [
            "ansible-playbook",
            "-i",
            "localhost,",
            str(playbook),
            "-e",
            f"app_build_dir={builds} app_artefact={current} app_keep_releases=3",
        ],
        env={**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible" / "ansible.cfg")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kept = sorted(path.name for path in builds.iterdir())
    assert kept == ["release1", "release6", "release7"]
