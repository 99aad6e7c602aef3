"""Throwaway copies of this repository for the template tests."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from scripts.template_names import read_metadata

ROOT = Path(__file__).resolve().parents[2]
# A fixed identity, so the tests need no git configuration of their own.
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


# What this test process (make, uv, tests/settings.py) put in its environment and must not leak
# into a nested `make` in a copy, which sets up its own.
LEAKY = ("VIRTUAL_ENV", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG",
         "SECURE_SSL_REDIRECT", "LOG_LEVEL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")  # fmt: skip
LEAKY_PREFIXES = ("PYTEST_", "COV_CORE_")


def clean_env() -> dict[str, str]:
    return {k: v for k, v in GIT_ENV.items() if k not in LEAKY and not k.startswith(LEAKY_PREFIXES)}


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


def copy_repo(dest: Path) -> Path:
    """This repository's tracked files as they are on disk (edits not yet committed included),
    as the first commit of a fresh repository on branch main. Untracked files stay out: what a
    fork gets is what git holds (a new file counts once it is added), not whatever else lies in
    the checkout, such as a report a CI system wrote there."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    dest.mkdir(parents=True)
    for rel in sorted(set(filter(None, listed.split("\0")))):
        src = ROOT / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the work tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
    git("init", "-q", "-b", "main", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "--no-verify", "-m", "template", cwd=dest)
    return dest


def python_m(module: str, *args: str, cwd: Path, check: bool = True):
    return run(sys.executable, "-m", module, *args, cwd=cwd, check=check)


def current_package() -> str:
    return read_metadata(ROOT).names.package


def target_package() -> str:
    """The name the tests rename to: billing_api, unless this fork already uses it."""
    return "billing_api" if current_package() != "billing_api" else "ledger_api"
