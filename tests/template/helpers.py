"""Throwaway copies of this repository for the template tests."""

import subprocess
import sys
import time
from pathlib import Path

from scripts.template_names import read_metadata
from tests.harness.forks import GIT_ENV, ROOT, clean_env, copy_repo

__all__ = ["GIT_ENV", "ROOT", "copy_repo"]  # re-exported: the template tests import them here


def run(
    *cmd: str, cwd: Path, check: bool = True, quiet: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a command, print it (and how long it took) so the test log says what ran."""
    started = time.monotonic()
    env = clean_env() if cmd[0] == "make" else GIT_ENV
    result = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=True)
    if not quiet:
        took = time.monotonic() - started
        print(f"  ran ({took:5.1f}s, exit {result.returncode}) in {cwd.name}: {' '.join(cmd)}")
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited {result.returncode}\n"
            f"--- stdout (tail)\n{result.stdout[-6000:]}\n"
            f"--- stderr (tail)\n{result.stderr[-6000:]}"
        )
    return result


def git(*args: str, cwd: Path, check: bool = True) -> str:
    return run("git", *args, cwd=cwd, check=check, quiet=True).stdout


def python_m(module: str, *args: str, cwd: Path, check: bool = True):
    return run(sys.executable, "-m", module, *args, cwd=cwd, check=check)


def current_package() -> str:
    return read_metadata(ROOT).names.package


def target_package() -> str:
    """The name the tests rename to: billing_api, unless this fork already uses it."""
    return "billing_api" if current_package() != "billing_api" else "ledger_api"
