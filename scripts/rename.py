"""Rename a fork of the template: `make rename NAME=billing_api [SLUG=billing-api] [TITLE=Billing]`.

Three names, recorded in `.template.toml` under [names]:

- package (NAME): the Python package `example_api`. Every occurrence in every tracked text file
  is replaced, and paths are moved with `git mv`: imports, DJANGO_SETTINGS_MODULE, the WSGI
  path, and through Ansible's `app_name` the system user, `/srv/<name>`, `/etc/<name>`, the
  systemd unit, `<name>-manage`, the nginx site and the database name and role.
- slug (SLUG, default: NAME with dashes): the distribution and image name only, i.e. the
  `name` in pyproject.toml and uv.lock and the container image (`localhost/<slug>:dev`).
- title (TITLE, default: unchanged): the human-readable "Slipway" in docs, comments and the
  OpenAPI title.

Left alone on purpose: the template's tooling namespace (`SLIPWAY_*` variables,
`~/.cache/slipway`, the lab's `slipway.test` names and nftables table) and the names of the
config files the playbooks drop on servers (`10-slipway.conf`, ...): renaming those on an
already provisioned host would leave the old files beside the new ones.

Run as `python3 -m scripts.rename --name NAME`. The same functions regenerate renamed template
trees for `scripts/template_update.py`, so the rename must stay a pure function of (tree, old
names, new names).
"""

from __future__ import annotations

import argparse
import importlib.util
import keyword
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from scripts.template_names import (
    METADATA,
    Metadata,
    Names,
    read_metadata,
    render_metadata,
)

# The rename and update machinery names the template's package on purpose; never rewritten.
MACHINERY = ("scripts/", "tests/template/", "docs/forking.md", METADATA)
# Names a package must not take: they shadow a dependency, a top-level directory or an app.
RESERVED = frozenset(
    {
        "accounts", "aiosmtpd", "ansible", "assistant", "bookings", "conftest", "corsheaders",
        "dj_database_url", "django", "docker", "docs", "fastapi", "granian", "gunicorn",
        "health", "hypothesis", "idempotency", "jobs", "lab", "load", "locust", "manage",
        "mypy", "ninja", "notifications", "openai", "opentelemetry", "procrastinate",
        "prometheus_client", "psycopg", "pydantic", "pytest", "redis", "ruff", "schemathesis",
        "scripts", "sentry_sdk", "settings", "structlog", "telemetry", "testcontainers",
        "tests", "uvicorn",
    }
)  # fmt: skip
PACKAGE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
TITLE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
GIT = shutil.which("git") or "git"


class RenameError(Exception):
    """A refusal with a message for the user."""


# --- validation -------------------------------------------------------------------------------


def validate(old: Names, new: Names) -> None:
    if new == old:
        raise RenameError(f"nothing to do: the names are already {old}")
    p = new.package
    if not PACKAGE_RE.match(p) or not p.isidentifier():
        raise RenameError(f"NAME={p!r}: use a lowercase Python identifier such as billing_api")
    if keyword.iskeyword(p) or keyword.issoftkeyword(p):
        raise RenameError(f"NAME={p!r} is a Python keyword")
    if p in sys.stdlib_module_names or p in RESERVED:
        raise RenameError(f"NAME={p!r} would shadow a module of that name; pick another")
    if p != old.package and importlib.util.find_spec(p) is not None:
        raise RenameError(f"NAME={p!r} is already an importable module here; pick another")
    if p != old.package and old.package in p:
        raise RenameError(f"NAME={p!r} contains the current name {old.package!r}; pick another")
    if not SLUG_RE.match(new.slug):
        raise RenameError(f"SLUG={new.slug!r}: use lowercase letters, digits and single dashes")
    if not TITLE_RE.match(new.title):
        raise RenameError(f"TITLE={new.title!r}: use letters, digits, spaces, '.', '_' or '-'")


# --- the rename itself (pure: a tree, old names, new names) -----------------------------------


Rule = tuple[re.Pattern[str], str, Callable[[str], bool]]


def _everywhere(path: str) -> bool:
    return True


def rules(old: Names, new: Names) -> list[Rule]:
    out: list[Rule] = []
    if old.package != new.package:
        for a, b in (
            (old.package, new.package),
            (old.package.upper(), new.package.upper()),
            (old.package.replace("_", "-"), new.package.replace("_", "-")),
        ):
            out.append((re.compile(re.escape(a)), b, _everywhere))
    if old.slug != new.slug:
        s = re.escape(old.slug)
        project = re.compile(rf'^name = "{s}"$', re.MULTILINE)
        out.append((project, f'name = "{new.slug}"', lambda p: p in ("pyproject.toml", "uv.lock")))
        image_rules = (
            (rf"\blocalhost/{s}\b", f"localhost/{new.slug}"),  # localhost/slipway:dev
            (rf"(?<![\w/.-]){s}(?=:(?:dev|ci|latest)\b)", new.slug),  # slipway:dev, slipway:ci
            (rf'image\.title="{s}"', f'image.title="{new.slug}"'),
        )
        for pattern, replacement in image_rules:
            out.append((re.compile(pattern), replacement, _everywhere))
    if old.title != new.title:
        out.append((re.compile(rf"\b{re.escape(old.title)}\b"), new.title, _everywhere))
    return out


def is_machinery(path: str) -> bool:
    return any(path == m or (m.endswith("/") and path.startswith(m)) for m in MACHINERY)


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file (NUL bytes or not UTF-8) or a symlink."""
    if path.is_symlink() or not path.is_file():
        return None
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def rewrite_contents(root: Path, files: Iterable[str], old: Names, new: Names) -> list[str]:
    """Apply the text rules to every file; return the paths whose content changed."""
    active = rules(old, new)
    changed = []
    for rel in sorted(files):
        if is_machinery(rel):
            continue
        text = read_text(root / rel)
        if text is None:
            continue
        result = text
        for pattern, replacement, applies in active:
            if applies(rel):
                result = pattern.sub(replacement, result)
        if result != text:
            (root / rel).write_bytes(result.encode("utf-8"))
            changed.append(rel)
    return changed


def renamed_path(path: str, old: Names, new: Names) -> str:
    if is_machinery(path):
        return path
    return "/".join(part.replace(old.package, new.package) for part in path.split("/"))


def moves(files: Iterable[str], old: Names, new: Names) -> list[tuple[str, str]]:
    """The fewest moves, outermost first: a directory named like the package moves whole."""
    out: list[tuple[str, str]] = []
    done: set[str] = set()
    for rel in sorted(files):
        if is_machinery(rel):
            continue
        parts = rel.split("/")
        for i, part in enumerate(parts):
            if old.package in part:
                prefix = "/".join(parts[: i + 1])
                if prefix not in done and not any(prefix.startswith(d + "/") for d in done):
                    target = "/".join([*parts[:i], part.replace(old.package, new.package)])
                    out.append((prefix, target))
                    done.add(prefix)
                break
    # A nested name inside a moved directory is handled by a second pass over the new paths.
    return out


def apply_rename(
    root: Path,
    files: list[str],
    old: Names,
    new: Names,
    move: Callable[[str, str], None] | None = None,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Rename a tree in place (contents, then paths). Returns (changed files, moves)."""

    def plain_move(src: str, dst: str) -> None:
        (root / dst).parent.mkdir(parents=True, exist_ok=True)
        os.rename(root / src, root / dst)

    mover = move or plain_move
    changed = rewrite_contents(root, files, old, new)
    all_moves: list[tuple[str, str]] = []
    current = list(files)
    while step := moves(current, old, new):
        for src, dst in step:
            mover(src, dst)
        all_moves.extend(step)
        current = [moved_path(f, step) for f in current]
    return changed, all_moves


def moved_path(path: str, step: list[tuple[str, str]]) -> str:
    for src, dst in step:
        if path == src or path.startswith(src + "/"):
            return dst + path[len(src) :]
    return path


# --- the command ------------------------------------------------------------------------------


def git(*args: str, cwd: Path, capture: bool = True) -> str:
    cmd = [GIT, *args]
    result = subprocess.run(cmd, cwd=cwd, check=True, text=True, capture_output=capture)  # noqa: S603
    return result.stdout if capture else ""


def tracked_files(root: Path) -> list[str]:
    cmd = [GIT, "ls-files", "-z"]
    out = subprocess.run(cmd, cwd=root, check=True, capture_output=True).stdout  # noqa: S603
    return [f for f in out.decode("utf-8").split("\0") if f]


def occurrences(root: Path, files: Iterable[str], word: str) -> list[str]:
    found = []
    for rel in files:
        if is_machinery(rel):
            continue
        text = read_text(root / rel)
        if word in rel or (text is not None and word in text):
            found.append(rel)
    return found


def require_clean(root: Path) -> None:
    status = git("status", "--porcelain", cwd=root)
    if status.strip():
        raise RenameError(
            "the work tree has uncommitted changes; commit or stash them first:\n" + status
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--name", required=True, help="new Python package name (billing_api)")
    parser.add_argument("--slug", default="", help="distribution/image name (default from NAME)")
    parser.add_argument("--title", default="", help="human-readable name (default: unchanged)")
    parser.add_argument("--template", default="", help="template git URL to record (optional)")
    parser.add_argument("--root", default=".", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = Path(git("rev-parse", "--show-toplevel", cwd=Path(args.root)).strip())

    try:
        meta = read_metadata(root)
        old = meta.names
        new = Names(
            package=args.name,
            slug=args.slug or args.name.replace("_", "-"),
            title=args.title or old.title,
        )
        validate(old, new)
        require_clean(root)
        if not (root / old.package).is_dir():
            raise RenameError(f"no {old.package}/ package here; is {METADATA} out of date?")
        files = tracked_files(root)
        clashes = occurrences(root, files, new.package) if new.package != old.package else []
        if clashes:
            raise RenameError(
                f"NAME={new.package!r} already occurs in {', '.join(clashes[:5])}: a later rename"
                " or template-update could not tell it from the package; pick another"
            )
    except RenameError as exc:
        print(f"rename: {exc}", file=sys.stderr)
        return 2

    def git_move(src: str, dst: str) -> None:
        (root / dst).parent.mkdir(parents=True, exist_ok=True)
        git("mv", src, dst, cwd=root)

    changed, all_moves = apply_rename(root, files, old, new, move=git_move)
    head = git("rev-parse", "HEAD", cwd=root).strip()
    (root / METADATA).write_text(
        render_metadata(
            Metadata(
                names=new,
                url=args.template or meta.url,
                ref=meta.ref or "main",
                # The template commit this fork starts from: kept if already recorded.
                commit=meta.commit or head,
            )
        ),
        encoding="utf-8",
    )
    git("add", "--", METADATA, *(renamed_path(f, old, new) for f in changed), cwd=root)

    print(f"renamed {old.package} -> {new.package}, slug {old.slug} -> {new.slug}, "
          f"title {old.title!r} -> {new.title!r}")  # fmt: skip
    for src, dst in all_moves:
        print(f"  moved    {src} -> {dst}")
    for rel in changed:
        print(f"  rewrote  {renamed_path(rel, old, new)}")
    print(f"  recorded {METADATA} (template commit {(meta.commit or head)[:12]})")
    print(
        f"{len(changed)} files rewritten, {len(all_moves)} paths moved; all staged.\n"
        "Next: review with `git diff --cached --stat`, run `make test-unit`, then\n"
        f"      git commit -m 'Rename {old.package} to {new.package}'"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
