"""Fail on a breaking change of the API against the last release's OpenAPI document.

The baseline is docs/openapi-release.json, committed and refreshed when a release is cut
(`make openapi-release`), so a fresh clone without tags checks the same thing as CI. The
candidate is the code's document. Optic (scripts/api-compat, pinned in its package-lock.json)
judges the difference with its breaking-changes rules: a removed operation or response
property, a narrowed type or enum, a new required input, ... A new major `info.version` (the
API's version) allows breaking changes; the difference is then only printed.

Error codes are an open set (docs/api.md, Errors): ErrorCode is a string listing its known
codes as `examples`, which Optic does not judge. So a new code passes, as it should, and this
script checks what Optic no longer sees: the set stays open (no `enum`), and every code of the
release is still listed (a released code never goes away or changes meaning).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.openapi import current

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "docs" / "openapi-release.json"
OPTIC = ROOT / "scripts" / "api-compat" / "node_modules" / ".bin" / "optic"
# No telemetry: the check runs offline and must not wait on, or report to, anyone.
QUIET = {"OPTIC_TELEMETRY_LEVEL": "off", "SCARF_ANALYTICS": "false"}


def major(document: dict[str, dict[str, str]]) -> str:
    return document["info"]["version"].split(".")[0]


def code_problems(base: dict[str, Any], head: dict[str, Any]) -> list[str]:
    released = base["components"]["schemas"]["ErrorCode"]
    now = head["components"]["schemas"]["ErrorCode"]
    problems = []
    if "enum" in now:
        problems.append(
            "ErrorCode is an enum: clients generated from it refuse every code added later"
        )
    listed = set(now.get("examples", []) + now.get("enum", []))
    gone = [code for code in released.get("examples", []) if code not in listed]
    if gone:
        problems.append(f"codes of the release no longer listed: {', '.join(gone)}")
    return problems


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
    problems = code_problems(base, head)
    for problem in problems:
        print(f"api-compat: {problem}")
    if result.returncode == 0 and not problems:
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
