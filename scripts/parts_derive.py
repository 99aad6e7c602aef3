"""The files a removal changes only through others: the lock (from pyproject.toml) and the
API's documents (from the code). Written again after `make remove` and after a template update
of a fork that removed parts, never merged line by line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# The lock follows pyproject.toml; docs/openapi.json the code; the release baseline is the
# fork's own (a removed endpoint is no breaking change for an API that never shipped it).
DERIVED = ("uv.lock", "docs/openapi.json", "docs/openapi-release.json")


def uv(root: Path) -> str:
    return shutil.which("uv") or str(root / ".tools" / "bin" / "uv")


def step(cmd: list[str], root: Path) -> None:
    print(f"  running {' '.join(cmd)}")
    subprocess.run(cmd, cwd=root, check=True)  # noqa: S603


def derive(root: Path, *, new_baseline: bool) -> None:
    """Lock again and write the API document, staged. After a removal (new_baseline) the
    document becomes the release baseline too; after a template update it does not, so
    api-compat still guards the fork's API against the template's changes."""
    if not Path(uv(root)).exists() and not shutil.which("uv"):
        step(["make", "--no-print-directory", str(root / ".tools" / "bin" / "uv")], root)
    step([uv(root), "lock", "--quiet"], root)
    step(["make", "--no-print-directory", "openapi-release" if new_baseline else "openapi"], root)
    present = [rel for rel in DERIVED if (root / rel).exists()]
    step(["git", "add", "--", *present], root)
