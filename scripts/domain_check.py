"""Fail when the example domain's words appear outside the places allowed to know it.

The vocabulary (regular expressions) and the allowed places live in pyproject.toml under
[tool.slipway.domain]: a fork that swaps the example domain for its own edits them there.
Everywhere else (the platform, the deploy and cluster tests, the playbooks) speaks in neutral
words, or asks tests/harness/domain.py, the seam. Only files git tracks are read.

Usage: python scripts/domain_check.py [ROOT]   (exit 1 and file:line per hit, else 0)
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONFIG = "pyproject.toml"
SECTION = "[tool.slipway.domain]"


@dataclass(frozen=True)
class Rules:
    vocabulary: list[re.Pattern[str]]
    allowed: list[str]  # globs of paths (a trailing / allows a whole folder)
    allowed_lines: dict[str, list[re.Pattern[str]]]  # path -> lines that may name it

    @classmethod
    def load(cls, root: Path) -> Rules:
        table = tomllib.loads((root / CONFIG).read_text())["tool"]["slipway"]["domain"]
        return cls(
            vocabulary=[re.compile(pattern) for pattern in table["vocabulary"]],
            allowed=list(table["allowed"]),
            allowed_lines={
                path: [re.compile(pattern) for pattern in patterns]
                for path, patterns in table.get("allowed_lines", {}).items()
            },
        )

    def path_allowed(self, path: str) -> bool:
        return any(
            path.startswith(glob) if glob.endswith("/") else fnmatch.fnmatchcase(path, glob)
            for glob in self.allowed
        )

    def line_allowed(self, path: str, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.allowed_lines.get(path, []))


def tracked_files(root: Path) -> list[str]:
    git = ["git", "ls-files", "-z"]  # git from PATH, as make's other steps use it
    listed = subprocess.run(git, cwd=root, capture_output=True, check=True).stdout.decode()  # noqa: S603
    return [path for path in listed.split("\0") if path]


def _own_section(lines: list[str]) -> set[int]:
    """Line numbers of the config's own table (its patterns name the domain, of course)."""
    inside, own = False, set()
    for number, line in enumerate(lines, 1):
        if line.startswith("["):
            inside = line.strip() == SECTION or line.startswith("[tool.slipway.domain.")
        if inside:
            own.add(number)
    return own


def hits(root: Path, rules: Rules) -> list[str]:
    found = []
    for path in tracked_files(root):
        # A symlink is read where it points (its target is tracked too).
        if rules.path_allowed(path) or (root / path).is_symlink() or not (root / path).is_file():
            continue
        try:
            lines = (root / path).read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue  # binary files say nothing
        skip = _own_section(lines) if path == CONFIG else set()
        for number, line in enumerate(lines, 1):
            if number in skip or rules.line_allowed(path, line):
                continue
            if any(pattern.search(line) for pattern in rules.vocabulary):
                found.append(f"{path}:{number}: {line.strip()[:120]}")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".").resolve()
    found = hits(root, Rules.load(root))
    for hit in found:
        print(hit)
    if found:
        print(
            f"\n{len(found)} line(s) name the example domain outside its allowed places: word "
            "them neutrally or ask tests/harness/domain.py ([tool.slipway.domain] in "
            "pyproject.toml lists the words and the places)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
