"""Forks of this repository made on the spot: a copy of what git tracks, committed in a fresh
repository, and the same with parts removed as `make remove` does. The template tests rehearse
on them; the deploy layer deploys the minimal fork. Stdlib only (the tools venv imports it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A fixed identity, so the copies need no git configuration of their own.
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


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=True
    ).stdout


def copy_repo(dest: Path, source: Path = ROOT) -> Path:
    """The source's tracked files as they are on disk (edits not yet committed included), as
    the first commit of a fresh repository on branch main. Untracked files stay out: what a
    fork gets is what git holds (a new file counts once it is added), not whatever else lies in
    the checkout, such as a report a CI system wrote there."""
    listed = _git("ls-files", "-z", "--cached", cwd=source)
    dest.mkdir(parents=True)
    for rel in sorted(set(filter(None, listed.split("\0")))):
        src = source / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the work tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
    _git("init", "-q", "-b", "main", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "--no-verify", "-m", "template", cwd=dest)
    return dest


def kept_parts(repo: Path) -> list[str]:
    """The parts this tree still has (`make parts` says "kept"), by name."""
    from scripts.parts import read_manifest  # the scripts need only Python and git
    from scripts.template_names import read_metadata

    removed = set(read_metadata(repo).removed)
    return [name for name in read_manifest(repo) if name not in removed]


def minimal_fork(dest: Path, source: Path = ROOT) -> Path:
    """A copy with every part removed (`make remove`), committed: the API, its tests and the
    single-server deploy."""
    repo = copy_repo(dest, source)
    names = kept_parts(repo)
    if not names:
        return repo  # this tree is the minimal fork already
    subprocess.run(
        [sys.executable, "-m", "scripts.parts", "remove", *names],
        cwd=repo,
        env=clean_env(),
        check=True,
    )
    _git("commit", "-q", "--no-verify", "-m", f"remove {' '.join(names)}", cwd=repo)
    return repo
