"""The minimal fork's deploy: every part removed (`make remove`), then that fork's own deploy
checks (its tests/deploy, as the removal left them) on a host of its own.

It runs in the background beside the main hosts' tests: a pytest in the fork's copy that boots
one Debian 13 host (named apart by SLIPWAY_DEPLOY_SUFFIX), runs the fork's site.yml twice and
its user and socket checks. The checks are the fork's, not this tree's: they expect what the
fork deploys (no worker behind /readyz, no exporters listening).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.harness import forks

# The checks of a deployed server whose answers depend on the parts: what listens, what
# /readyz reports, the units, the second run. The rest of the layer needs parts the minimal
# fork has not (monitoring, the worker) or proves what no part changes (the outside audits of
# SSH, TLS and the hardening, the deploy tool itself), which the main hosts do: the audits here
# cost the layer's longest path 10 minutes of a busy machine.
CHECKS = (
    "tests/deploy/test_deploy.py",
    "tests/deploy/test_sockets.py",
)
HOST_SUFFIX = "m"  # deploy13 -> deploy13m


@dataclass
class MinimalRun:
    removed: list[str]
    returncode: int
    summary: str  # pytest's last line: "24 passed, 1 skipped in 412.0s"
    output: str
    log: Path
    seconds_to_make: float
    seconds_to_check: float

    def count(self, outcome: str) -> int:
        found = re.search(rf"(\d+) {outcome}", self.summary)
        return int(found.group(1)) if found else 0

    def skip_reasons(self) -> list[str]:
        return re.findall(r"^SKIPPED \[\d+\] [^:]+:\d+: (.*)$", self.output, re.MULTILINE)


class MinimalFork:
    """Makes the fork and starts its checks at once; result() waits for them."""

    def __init__(self, workdir: Path) -> None:
        started = time.monotonic()
        self.removed = forks.kept_parts(forks.ROOT)
        self.repo = forks.minimal_fork(workdir / "fork")
        self.seconds_to_make = time.monotonic() - started
        self.log = workdir / "minimal-fork-checks.log"
        env = forks.clean_env() | {
            "SLIPWAY_DEPLOY_SHAPES": "debian13",
            "SLIPWAY_DEPLOY_SUFFIX": HOST_SUFFIX,
        }
        self.started = time.monotonic()
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pytest", "-c", "tests/deploy/pytest.ini", "-p",
                 "no:cacheprovider", "--durations=8", f"--basetemp={workdir / 'tmp'}", *CHECKS],
                cwd=self.repo, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

    def result(self) -> MinimalRun:
        returncode = self.process.wait(timeout=3600)
        output = self.log.read_text()
        summaries = re.findall(r"^=+ (.+ in [\d.]+s.*?) =+$", output, re.MULTILINE)
        return MinimalRun(
            self.removed, returncode, summaries[-1] if summaries else "", output,
            self.log, self.seconds_to_make, time.monotonic() - self.started,
        )  # fmt: skip

    def stop(self) -> None:
        """SIGTERM: the fork's run takes its host down (it raises on SIGTERM, as this one)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=300)
