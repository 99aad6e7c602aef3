"""Fail on a breaking change of the API against the last release's OpenAPI document.

The baseline is docs/openapi-release.json, committed and refreshed when a release is cut
(`make openapi-release`), so a fresh clone without tags checks the same thing as CI. The
candidate is the code's document. Optic (scripts/api-compat, pinned in its package-lock.json)
judges the difference with its breaking-changes rules: a removed operation or response
property, a narrowed type or enum, a new required input, ... A new major `info.version` (the
API's version) allows breaking changes; the difference is then only printed.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.openapi import current

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "docs" / "openapi-release.json"
OPTIC = ROOT / "scripts" / "api-compat" / "node_modules" / ".bin" / "optic"
# No telemetry: the check runs offline and must not wait on, or report to, anyone.
QUIET = {"OPTIC_TELEMETRY_LEVEL": "off", "SCARF_ANALYTICS": "false"}


def major(document: dict[str, dict[str, str]]) -> str:
    return document["info"]["version"].split(".")[0]


def main() -> int:
    head_text = current()
    base, head = json.loads(BASELINE.read_text()), json.loads(head_text)
    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / "openapi.json"
        candidate.write_text(head_text)
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [str(OPTIC), "diff", str(BASELINE), str(candidate), "--check"],
            env={**os.environ, **QUIET},
            check=False,
        )
    released, now = base["info"]["version"], head["info"]["version"]
    if major(head) != major(base):
        # Optic too lets a new version of the document break the old one.
        print(f"api-compat: API version {released} -> {now}: breaking changes allowed")
        return 0
    if result.returncode == 0:
        print(f"api-compat: no breaking change against the release document (API {released})")
        return 0
    print(
        f"\napi-compat: breaking change against docs/openapi-release.json (API {released}).\n"
        "Keep the old shape, or release a new API version: raise the major of the NinjaAPI "
        "version in example_api/api.py (and its URL prefix) and tell clients."
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
