"""TypeScript types from the live document with openapi-typescript's default options, and a
frontend's typed usage file (typescript/usage.ts) compiled with tsc --strict. The usage file
marks what must not compile (`@ts-expect-error`), so loose types fail the test too."""

from __future__ import annotations

from pathlib import Path

from tests.clients import generate

TS = generate.HERE / "typescript"
BIN = TS / "node_modules" / ".bin"


def test_usage_compiles_under_strict(document_path: Path) -> None:
    assert (BIN / "tsc").exists(), f"no {BIN}/tsc: run `npm ci` in {TS} (make test-clients does)"
    types = TS / "generated" / "api.d.ts"
    types.parent.mkdir(exist_ok=True)
    types.unlink(missing_ok=True)
    generate.run([str(BIN / "openapi-typescript"), str(document_path), "-o", str(types)], cwd=TS)
    assert "export interface paths" in types.read_text()
    generate.run([str(BIN / "tsc"), "-p", "tsconfig.json", "--strict"], cwd=TS)
