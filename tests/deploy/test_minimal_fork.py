"""The minimal fork (every part removed: the API, its tests and the single-server deploy)
deploys to a fresh host and passes its own checks there (minimal_fork.py runs them)."""

from __future__ import annotations

from minimal_fork import MinimalRun

from scripts.parts import read_manifest
from tests.harness.forks import ROOT
from tests.harness.labhost import FIGURES, TIMINGS

# What may be skipped on the fork's host, as on the main ones: nspawn shares the kernel.
EXPECTED_SKIPS = ("NOT VERIFIED in this tier: a systemd-nspawn container",)


def test_the_minimal_fork_deploys_and_passes_its_checks(minimal_fork: MinimalRun) -> None:
    TIMINGS["minimal fork: made (copy, make remove, lock, API document)"] = (
        minimal_fork.seconds_to_make
    )
    TIMINGS["minimal fork: its checks (boot, site.yml twice, checks)"] = (
        minimal_fork.seconds_to_check
    )
    FIGURES["minimal fork: its deploy checks passed"] = minimal_fork.count("passed")
    assert sorted(minimal_fork.removed) == sorted(read_manifest(ROOT)), "not every part removed"
    tail = minimal_fork.output[-8000:]
    assert minimal_fork.returncode == 0, f"the fork's checks failed ({minimal_fork.log}):\n{tail}"
    assert minimal_fork.count("passed") > 0, minimal_fork.summary
    unexpected = [r for r in minimal_fork.skip_reasons() if not r.startswith(EXPECTED_SKIPS)]
    assert unexpected == [], f"skipped on the fork's host: {unexpected}"
