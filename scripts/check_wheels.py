"""Check that the runtime requirements install from wheels on every supported Python and arch.

A server builds the release's virtualenv with `pip install --require-hashes --no-deps` from
`uv export` (ansible/roles/app/tasks/build.yml, install.yml). Where a locked package has no
wheel for the server's Python, pip falls back to the sdist (granian needs Rust) or fails.
This runs `pip download --only-binary=:all:` for each supported Python x arch, as such a
server would, and names every package that has no wheel there.

The supported Pythons are pyproject's `Programming Language :: Python :: 3.N` classifiers;
requires-python and the unit-test matrix in .github/workflows/ci.yml must agree with them.

    make check-wheels            (.ci/run and CI's lint job run it; it needs PyPI)
    uv run --frozen python -m scripts.check_wheels --python 3.15    other Pythons instead
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
ARCHES = ("x86_64", "aarch64")
# The oldest glibc a server has: Debian 12 (2.36). Debian 13 has 2.41.
GLIBC_MINOR = 36
CLASSIFIER = "Programming Language :: Python :: "
# As build.yml exports them.
EXPORT = ["export", "--frozen", "--no-dev", "--no-emit-project", "--format", "requirements-txt"]
PIP = ["-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
PIP += ["--only-binary=:all:", "--no-deps", "--require-hashes", "--implementation", "cp"]
# pip settings that would send it to another index than the one a fresh server uses.
INDEX_VARIABLES = {"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX"}
INDEX_VARIABLES |= {"PIP_CONSTRAINT", "PIP_REQUIRE_VIRTUALENV"}
UNREACHABLE = re.compile(r"Retrying \(Retry|Could not fetch URL")
NO_WHEEL = re.compile(r"No matching distribution found for ([\w.-]+)==")
# PyPI has a wheel that uv.lock does not list (locked with a narrower requires-python).
NOT_LOCKED = re.compile(r"^ +([\w.-]+)==\S+ from \S+/([^/\s]+\.whl)", re.MULTILINE)


def minor(version: str) -> int:
    return int(version.split(".")[1])


def supported_pythons(pyproject: dict) -> list[str]:
    versions = [c.removeprefix(CLASSIFIER) for c in pyproject["project"].get("classifiers", [])]
    return sorted((v for v in versions if re.fullmatch(r"3\.\d+", v)), key=minor)


def disagreements(pythons: list[str], pyproject: dict, ci: dict) -> list[str]:
    """Where requires-python or CI's unit-test matrix says otherwise than the classifiers."""
    if not pythons:
        return [f"pyproject.toml has no '{CLASSIFIER}3.N' classifiers"]
    spec = SpecifierSet(pyproject["project"]["requires-python"])
    around = range(minor(pythons[0]) - 1, minor(pythons[-1]) + 2)
    allowed = [f"3.{m}" for m in around if f"3.{m}.0" in spec]
    errors = []
    if allowed != pythons:
        errors.append(f"requires-python {spec} allows {allowed}, the classifiers say {pythons}")
    unit = ci["jobs"]["unit"].get("strategy", {}).get("matrix", {})
    matrix = [str(v) for v in unit.get("python", [])]
    if matrix != pythons:
        errors.append(f"ci.yml's unit matrix is {matrix}, the classifiers say {pythons}")
    return errors


def split_requirements(text: str) -> list[tuple[str, Marker | None]]:
    """uv export's entries (`name==version [; marker] \\ --hash=...`), each with its marker."""
    entries = []
    for block in re.split(r"\n(?=\S)", text):
        if not block or block.startswith("#"):
            continue
        requirement, _, marker = block.split("\\", 1)[0].partition(";")
        line = " ".join([requirement.strip(), *re.findall(r"--hash=\S+", block)])
        entries.append((line, Marker(marker) if marker else None))
    return entries


def wanted_on(python: str, arch: str, marker: Marker | None) -> bool:
    """Does a Linux CPython of this minor install it? Any patch release counts (3.11.0-3.11.x)."""
    if not marker:
        return True
    env = {"implementation_name": "cpython", "platform_python_implementation": "CPython"}
    env |= {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
    env |= {"platform_machine": arch, "python_version": python}
    patches = (f"{python}.0", f"{python}.99")
    return any(marker.evaluate(env | {"python_full_version": full}) for full in patches)


def platforms(arch: str) -> list[str]:
    """pip matches --platform tags literally: every manylinux tag that glibc accepts."""
    tags = [f"manylinux_2_{m}_{arch}" for m in range(GLIBC_MINOR, 4, -1)]
    tags += [f"{legacy}_{arch}" for legacy in ("manylinux2014", "manylinux2010", "manylinux1")]
    return [arg for tag in tags for arg in ("--platform", tag)]


def download(python: str, arch: str, requirements: list[str], dest: Path) -> list[str]:
    """pip download for one target; returns what fails there, one line each.

    pip stops at the first requirement it cannot satisfy: drop it and go on, to name them all.
    """
    env = {k: v for k, v in os.environ.items() if k not in INDEX_VARIABLES}
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf: ask PyPI, as a fresh server does
    failures: list[str] = []
    pending = list(requirements)
    while pending:
        req_file = dest.parent / f"{dest.name}.txt"
        req_file.write_text("\n".join(pending) + "\n")
        command = [sys.executable, *PIP, "--python-version", python, *platforms(arch)]
        command += ["-d", str(dest), "-r", str(req_file)]
        result = subprocess.run(command, capture_output=True, text=True, env=env)  # noqa: S603
        if result.returncode == 0:
            break
        name, why = "", ""
        if UNREACHABLE.search(result.stderr):  # else every package would look wheel-less
            return [*failures, "pip could not reach PyPI: " + result.stderr.splitlines()[0][:160]]
        if found := NO_WHEEL.search(result.stderr):
            name, why = found.group(1), "PyPI has no wheel for it"
        elif found := NOT_LOCKED.search(result.stderr):
            name, why = found.group(1), f"uv.lock lacks PyPI's {found.group(2)}"
        name = name.lower().replace("_", "-")
        failed = [r for r in pending if r.split("==")[0] == name]
        if not failed:  # the network, say: pip's own last words
            return [*failures, "pip: " + (result.stderr.strip().splitlines() or ["failed"])[-1]]
        failures += [f"{r.split()[0]}: {why}" for r in failed]
        pending = [r for r in pending if r not in failed]
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="check this X.Y instead (repeatable)")
    args = parser.parse_args()

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ci = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    errors = disagreements(supported_pythons(pyproject), pyproject, ci)
    for error in errors:
        print(f"check-wheels: {error}", file=sys.stderr)
    pythons = args.python or supported_pythons(pyproject)

    uv = os.environ.get("UV", "uv")  # `uv run` sets UV to its own binary
    export = subprocess.run(  # noqa: S603 - a fixed argument list
        [uv, *EXPORT, "--directory", str(ROOT)], check=True, capture_output=True, text=True
    )
    entries = split_requirements(export.stdout)

    started = time.monotonic()
    targets = [(python, arch) for python in pythons for arch in ARCHES]
    with tempfile.TemporaryDirectory(prefix="check-wheels-") as tmp:
        dests = {(py, arch): Path(tmp, f"{py}-{arch}") for py, arch in targets}
        with ThreadPoolExecutor(max_workers=len(targets)) as pool:
            jobs = {
                (py, arch): pool.submit(
                    download, py, arch, [r for r, m in entries if wanted_on(py, arch, m)], dest
                )
                for (py, arch), dest in dests.items()
            }
        results = {target: job.result() for target, job in jobs.items()}
        wheels = {target: len(list(dest.glob("*.whl"))) for target, dest in dests.items()}

    print(f"{len(entries)} runtime requirements; wheels for manylinux, glibc <= 2.{GLIBC_MINOR}:")
    for (python, arch), failures in results.items():
        verdict = "FAILS" if failures else f"ok ({wheels[python, arch]} wheels)"
        print(f"  cp{python.replace('.', '')} {arch:8} {verdict}")
        for failure in failures:
            print(f"      {failure}")
    print(f"({time.monotonic() - started:.0f} s)")
    return 1 if errors or any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
