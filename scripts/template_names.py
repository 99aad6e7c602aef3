"""The names a fork carries and where they are recorded: `.template.toml`.

`make rename` writes it, `make template-update` reads it to rename template trees alike
(scripts/rename.py, scripts/template_update.py).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

METADATA = ".template.toml"


@dataclass(frozen=True)
class Names:
    package: str
    slug: str
    title: str


DEFAULT_NAMES = Names(package="example_api", slug="slipway", title="Slipway")


@dataclass(frozen=True)
class Metadata:
    names: Names
    url: str = ""
    ref: str = ""
    commit: str = ""
    removed: tuple[str, ...] = ()  # the parts `make remove` took out (scripts/parts.py)


def read_metadata(root: Path) -> Metadata:
    path = root / METADATA
    if not path.exists():
        return Metadata(names=DEFAULT_NAMES)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    names = data.get("names", {})
    template = data.get("template", {})
    return Metadata(
        names=Names(
            package=names.get("package", DEFAULT_NAMES.package),
            slug=names.get("slug", DEFAULT_NAMES.slug),
            title=names.get("title", DEFAULT_NAMES.title),
        ),
        url=template.get("url", ""),
        ref=template.get("ref", ""),
        commit=template.get("commit", ""),
        removed=tuple(data.get("parts", {}).get("removed", ())),
    )


def render_metadata(meta: Metadata) -> str:
    def q(value: str) -> str:
        return json.dumps(value)  # a JSON string is a valid TOML basic string

    return (
        "# Written by `make rename` and `make template-update` (docs/forking.md).\n"
        "# [template]: where this tree came from; commit is the template commit it is based on.\n"
        "# [names]: the names the rename applied; template-update renames template trees alike.\n"
        "[template]\n"
        f"url = {q(meta.url)}\n"
        f"ref = {q(meta.ref)}\n"
        f"commit = {q(meta.commit)}\n"
        "\n"
        "[names]\n"
        f"package = {q(meta.names.package)}\n"
        f"slug = {q(meta.names.slug)}\n"
        f"title = {q(meta.names.title)}\n" + (render_removed(meta.removed) if meta.removed else "")
    )


def render_removed(removed: tuple[str, ...]) -> str:
    names = ", ".join(json.dumps(name) for name in removed)
    return (
        "\n# The parts `make remove` took out (scripts/parts.toml); template-update removes them\n"
        "# from the template's trees alike, so their upstream changes are skipped.\n"
        f"[parts]\nremoved = [{names}]\n"
    )


def record_removed(root: Path, removed: list[str]) -> None:
    """Record the parts this tree no longer has, keeping the rest of the metadata."""
    meta = read_metadata(root)
    updated = Metadata(meta.names, meta.url, meta.ref, meta.commit, tuple(removed))
    (root / METADATA).write_text(render_metadata(updated), encoding="utf-8")
