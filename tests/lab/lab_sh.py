"""Run lab/lab.sh in a sandbox: its cache, host directory and apt tree point into tmp_path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

LAB = Path(__file__).resolve().parents[2] / "lab" / "lab.sh"


def lab_sh(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # None of the machine's own lab settings (SLIPWAY_MIRROR, ...) leaks into a test.
    base = {k: v for k, v in os.environ.items() if not k.startswith("SLIPWAY_")}
    base.update(
        SLIPWAY_CACHE=str(tmp_path / "cache"),
        SLIPWAY_LAB_DIR=str(tmp_path / "lab"),
        SLIPWAY_APT_ROOT=str(tmp_path / "apt"),
    )
    base.update(env)
    return subprocess.run(
        ["bash", str(LAB), *args], env=base, capture_output=True, text=True, timeout=30, check=False
    )
