"""Generate clients from the live OpenAPI document, as a frontend or integration developer
would: fetch it from the server, run the generators. Nothing generated is kept in the repo."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PACKAGE = "slipway_client"


def fetch_document(base_url: str, out: Path) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/api/v1/openapi.json", timeout=30)
    response.raise_for_status()
    body = response.content
    out.write_bytes(body)
    document: dict[str, Any] = json.loads(body)
    return document


def run(cmd: list[str], cwd: Path, timeout: float = 300) -> str:
    """Run a generator or compiler; on failure the error names the command and its output."""
    # The generator formats its output with ruff from this environment, as `uv run` would.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {result.returncode}:\n{output}")
    return output


def python_client(document: Path, workdir: Path, package: str = PACKAGE) -> ModuleType:
    """openapi-python-client (pinned in uv.lock), warnings fatal; returns the package. Each
    package of a session needs a name of its own (Python imports a name once)."""
    config = HERE / "openapi-python-client.yaml"
    if package != PACKAGE:
        config = workdir / "openapi-python-client.yaml"
        config.write_text(f"package_name_override: {package}\nproject_name_override: {package}\n")
    output = run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            *("--path", str(document)),
            *("--config", str(config)),
            *("--meta", "none", "--output-path", str(workdir / package)),
            "--fail-on-warning",
        ],
        cwd=workdir,
    )
    assert "Warning" not in output, output
    sys.path.insert(0, str(workdir))
    return importlib.import_module(package)


def operation(package: ModuleType, tag: str, operation_id: str) -> Any:
    """The generated module of one operation: `sync_detailed(...)` and friends."""
    return importlib.import_module(f"{package.__name__}.api.{tag}.{operation_id}")


def model(package: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)
