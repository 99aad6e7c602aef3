"""Fork-time choices: `make remove PARTS="assistant monitoring"` removes whole capabilities.

What a part is lives in scripts/parts.toml: the files and folders that are only its own, the
parts it needs, and a sentence for `make parts`. In files it shares with the rest of the
project, a part's lines carry a marker inside a comment of the file's own syntax:

    "example_api.assistant",  # part: assistant          one line
    # >>> part monitoring                                a block, both marker lines included
    ...
    # <<< part monitoring

Removing is a plain transformation of the tree, like the rename: `make template-update` applies
the same removal to the template's trees, so upstream changes to a removed part are skipped,
not conflicts. The removed parts are recorded in .template.toml. The result is staged, not
committed. Needs Python 3.11+ and git; re-locking needs uv (scripts/uv) and the network.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from scripts.parts_derive import derive
from scripts.rename import RenameError, git, tracked_files
from scripts.template_names import METADATA, read_metadata, record_removed

MANIFEST = "scripts/parts.toml"
# Files that show markers as examples, never as the project's own.
EXAMPLES = ("scripts/parts.py", "tests/template/test_parts.py")
NAME = r"[a-z][a-z0-9-]*"
COMMENT = r"(?:#|//|--|;|<!--|/\*|\{#)"
LINE_MARK = re.compile(rf"{COMMENT}\s*part:\s*({NAME}(?:\s*,\s*{NAME})*)\s*(?:-->|\*/|#\}})?\s*$")
BLOCK_OPEN = re.compile(rf"{COMMENT}\s*>>> part ({NAME})\b")
BLOCK_CLOSE = re.compile(rf"{COMMENT}\s*<<< part ({NAME})\b")


class PartsError(Exception):
    """A refusal with a message for the user."""


@dataclass(frozen=True)
class Part:
    name: str
    what: str
    needs: tuple[str, ...]
    paths: tuple[str, ...]


def read_manifest(root: Path) -> dict[str, Part]:
    """The manifest, its `{package}` read as this tree's package name (the rename leaves
    scripts/ alone, so the manifest keeps naming the package by placeholder)."""
    manifest = root / MANIFEST
    if not manifest.exists():
        raise PartsError(f"{MANIFEST} is missing: this tree predates removable parts")
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    package = read_metadata(root).names.package
    return {
        name: Part(
            name=name,
            what=entry["what"],
            needs=tuple(entry.get("needs", ())),
            paths=tuple(path.format(package=package) for path in entry.get("paths", ())),
        )
        for name, entry in data["parts"].items()
    }


def check_request(parts: dict[str, Part], removed: set[str]) -> None:
    """Refuse unknown names, and a removal that leaves a kept part without one it needs."""
    unknown = sorted(removed - parts.keys())
    if unknown:
        raise PartsError(f"unknown part(s): {', '.join(unknown)}; `make parts` lists them")
    for part in parts.values():
        missing = [need for need in part.needs if need in removed]
        if part.name not in removed and missing:
            together = " ".join(sorted(removed | {part.name}))
            raise PartsError(
                f"{part.name} needs {', '.join(missing)}: remove it too"
                f' (PARTS="{together}") or keep {", ".join(missing)}'
            )


def under(path: str, own: str) -> bool:
    """The path is `own` or inside the folder `own`."""
    return path == own or path.startswith(own.rstrip("/") + "/")


def owned_by(path: str, part: Part) -> bool:
    return any(under(path, own) for own in part.paths)


def strip_markers(text: str, removed: set[str], where: str = "") -> str:
    """The text without the lines of removed parts. Raises on unbalanced blocks."""
    kept: list[str] = []
    open_blocks: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if opened := BLOCK_OPEN.search(line):
            open_blocks.append(opened[1])
            if not removed.intersection(open_blocks):
                kept.append(line)
            continue
        if closed := BLOCK_CLOSE.search(line):
            if not open_blocks or open_blocks[-1] != closed[1]:
                raise PartsError(f"{where}:{number}: '<<< part {closed[1]}' closes no open block")
            inside_removed = removed.intersection(open_blocks)
            open_blocks.pop()
            if not inside_removed:
                kept.append(line)
            continue
        if removed.intersection(open_blocks):
            continue
        marked = LINE_MARK.search(line)
        if marked and removed.intersection(re.split(r"\s*,\s*", marked[1])):
            continue
        kept.append(line)
    if open_blocks:
        raise PartsError(f"{where}: '>>> part {open_blocks[-1]}' is never closed")
    return "".join(kept)


def markers_in(text: str) -> set[str]:
    names = {m[1] for m in BLOCK_OPEN.finditer(text)} | {m[1] for m in BLOCK_CLOSE.finditer(text)}
    for line in text.splitlines():
        if marked := LINE_MARK.search(line):
            names.update(re.split(r"\s*,\s*", marked[1]))
    return names


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
        return None


def check_tree(root: Path, files: list[str]) -> list[str]:
    """Problems with the markers and the manifest: the lint `make lint` runs."""
    parts = read_manifest(root)
    removed = set(read_metadata(root).removed)
    problems = []
    for part in parts.values():
        problems += [f"{MANIFEST}: {part.name} needs unknown part {n}" for n in part.needs
                     if n not in parts]  # fmt: skip
        if part.name in removed:
            continue
        gone_with = [parts[name] for name in removed if name in parts]
        for path in part.paths:
            present = any(under(f, path) for f in files)
            if not present and not any(owned_by(path, other) for other in gone_with):
                problems.append(f"{MANIFEST}: {part.name} owns {path}, which is not in the tree")
    for rel in files:
        if rel in EXAMPLES or (text := read_text(root / rel)) is None:
            continue
        problems += [
            f"{rel}: marker names unknown part {n}" for n in markers_in(text) - parts.keys()
        ]
        if rel.endswith(".j2"):
            problems += [
                f"{rel}:{number}: a Jinja comment ending a line takes its newline with it"
                " (Ansible's trim_blocks): mark the line in the file's own syntax, or use a block"
                for number, line in enumerate(text.splitlines(), 1)
                if LINE_MARK.search(line) and "{#" in line and line.split("{#")[0].strip()
            ]
        try:
            strip_markers(text, set(parts), rel)
        except PartsError as exc:
            problems.append(str(exc))
    return problems


def remove_empty_parents(root: Path, folder: Path) -> None:
    """Folders the removal emptied (a package left with only __pycache__ counts as empty)."""
    while folder != root and folder.is_dir():
        leftovers = [p for p in folder.iterdir() if p.name != "__pycache__"]
        if leftovers:
            return
        for cache in folder.iterdir():
            for compiled in cache.iterdir():
                compiled.unlink()
            cache.rmdir()
        folder.rmdir()
        folder = folder.parent


def apply_removal(
    root: Path, files: list[str], removed: set[str]
) -> tuple[list[str], list[str], int]:
    """Remove the parts from a tree in place. Returns (deleted files, edited files, lines gone)."""
    parts = read_manifest(root)
    check_request(parts, removed)
    owned = [parts[name] for name in sorted(removed)]
    deleted, edited, lines = [], [], 0
    for rel in files:
        path = root / rel
        if any(owned_by(rel, part) for part in owned):
            if (text := read_text(path)) is not None:
                lines += text.count("\n")
            path.unlink(missing_ok=True)
            remove_empty_parents(root, path.parent)
            deleted.append(rel)
            continue
        text = None if rel in EXAMPLES else read_text(path)
        if text is None or not markers_in(text) & removed:
            continue
        stripped = strip_markers(text, removed, rel)
        lines += text.count("\n") - stripped.count("\n")
        path.write_text(stripped, encoding="utf-8")
        edited.append(rel)
    return deleted, edited, lines


def remove(root: Path, names: list[str], *, derive_files: bool) -> int:
    if git("status", "--porcelain", cwd=root).strip():
        raise PartsError("the work tree has uncommitted changes; commit or stash them first")
    already = set(read_metadata(root).removed)
    removed = set(names) - already
    if not removed:
        raise PartsError(f"nothing to do: {', '.join(names) or 'no part'} already removed")
    check_request(read_manifest(root), removed | already)
    files = tracked_files(root)
    deleted, edited, lines = apply_removal(root, files, removed)
    record_removed(root, sorted(already | removed))
    git("add", "--all", "--", ".", cwd=root)
    for rel in deleted:
        print(f"  removed {rel}")
    for rel in edited:
        print(f"  edited  {rel}")
    if derive_files:
        derive(root, new_baseline=True)
    print(
        f"\nremoved {', '.join(sorted(removed))}: {len(deleted)} files deleted, {len(edited)}"
        f" edited, {lines} lines gone; recorded in {METADATA}. Everything is staged:\n"
        "review `git diff --cached --stat`, run `make test`, then commit."
    )
    return 0


def list_parts(root: Path) -> int:
    parts = read_manifest(root)
    removed = set(read_metadata(root).removed)
    for part in parts.values():
        state = "removed" if part.name in removed else "kept"
        needs = f" (needs {', '.join(part.needs)})" if part.needs else ""
        print(f"  {part.name:<12} {state:<8} {part.what}{needs}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the parts and whether this tree keeps them")
    commands.add_parser("check", help="lint the markers and the manifest")
    removing = commands.add_parser("remove", help="remove parts (staged, not committed)")
    removing.add_argument("names", nargs="+")
    removing.add_argument("--no-derive", action="store_true", help="skip uv lock and openapi")
    parser.add_argument("--root", default=".", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        root = Path(git("rev-parse", "--show-toplevel", cwd=Path(args.root)).strip())
        if args.command == "list":
            return list_parts(root)
        if args.command == "check":
            problems = check_tree(root, tracked_files(root))
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1 if problems else 0
        names = [n for arg in args.names for n in re.split(r"[\s,]+", arg) if n]
        return remove(root, names, derive_files=not args.no_derive)
    except (PartsError, RenameError) as exc:
        print(f"parts: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
