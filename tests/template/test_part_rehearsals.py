"""make remove on copies of this repository: each part alone (with the parts that need it), and
all of them together (the minimal fork). Each result must pass `make lint typecheck test-unit`:
its own lock, its own API document, no dangling import, setting, role or test.

Slow (each copy installs its .venv from uv's cache, locks again and lints everything), so
`make test-template` runs them and `make test` does not. REHEARSE=assistant,cluster picks some.
"""

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from scripts.parts import read_manifest
from scripts.template_names import read_metadata
from tests.harness.forks import kept_parts

from .helpers import ROOT, copy_repo, git, python_m, run

PARTS = read_manifest(ROOT)
KEPT = kept_parts(ROOT)


def with_dependents(name: str) -> list[str]:
    """The part and every kept part that needs it, however indirectly."""
    chosen = {name}
    while more := {p.name for p in PARTS.values() if set(p.needs) & chosen} - chosen:
        chosen |= more
    return sorted(chosen & set(KEPT))


REHEARSALS = {name: with_dependents(name) for name in KEPT}
if KEPT:
    REHEARSALS["minimal"] = list(KEPT)
WANTED = [r for r in os.environ.get("REHEARSE", "").split(",") if r]


def seed_caches(repo: Path) -> None:
    """mypy's cache, uv and the fetched promtool from this checkout, so the copy checks only
    what the removal changed and downloads no tool again."""
    if (ROOT / ".mypy_cache").is_dir():
        shutil.copytree(ROOT / ".mypy_cache", repo / ".mypy_cache", symlinks=True)
    (repo / ".tools" / "bin").mkdir(parents=True)
    for tool in [*(ROOT / ".tools").glob("promtool-*"), ROOT / ".tools" / "bin" / "uv"]:
        if tool.exists():
            (repo / tool.relative_to(ROOT)).symlink_to(tool)


@pytest.mark.parametrize("rehearsal", sorted(REHEARSALS) or ["none"])
def test_removal_passes_lint_types_and_unit_tests(rehearsal, tmp_path):
    if not REHEARSALS:
        pytest.skip("NOT RUN: this tree has no part left to remove (the minimal fork)")
    if WANTED and rehearsal not in WANTED:
        pytest.skip(f"REHEARSE={','.join(WANTED)} leaves out {rehearsal}")
    names = REHEARSALS[rehearsal]
    started = time.monotonic()
    repo = copy_repo(tmp_path / "fork")
    before = int(git("ls-files", cwd=repo).count("\n"))
    lines_before = sum(1 for _ in lines_of(repo))
    seed_caches(repo)
    python_m("scripts.parts", "remove", *names, cwd=repo)
    assert read_metadata(repo).removed == tuple(sorted(names))
    package = read_metadata(repo).names.package
    owned = [own.format(package=package) for n in names for own in PARTS[n].paths]
    assert [rel for rel in git("ls-files", cwd=repo).split() if rel.startswith(tuple(owned))] == []
    git("commit", "-q", "--no-verify", "-m", f"remove {' '.join(names)}", cwd=repo)
    checked = run("make", "lint", "typecheck", "test-unit", cwd=repo)
    passed = re.findall(r"(\d+) passed", checked.stdout)
    files = before - int(git("ls-files", cwd=repo).count("\n"))
    removed_lines = lines_before - sum(1 for _ in lines_of(repo))
    unit = passed[-1] if passed else "?"
    print(
        f"  rehearsal {rehearsal} ({' '.join(names)}): {files} files and {removed_lines} lines"
        f" removed; lint, types and {unit} unit tests passed in {time.monotonic() - started:.0f} s"
    )


def lines_of(repo: Path):
    for rel in git("ls-files", cwd=repo).split():
        path = repo / rel
        try:
            yield from path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, FileNotFoundError):
            continue
