"""Which Debian mirror, security mirror and keyring `lab.sh mirror` picks, on fake apt trees.

The rule (lab/mirror.sh): SLIPWAY_MIRROR if set; else the machine's own Debian mirror (an
enabled `deb` entry with component main whose URI ends in /debian, in either sources format);
else Debian's public mirror. The same for the security mirror (/debian-security).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_sh import lab_sh

PUBLIC = "http://deb.debian.org/debian"
PUBLIC_SECURITY = "http://deb.debian.org/debian-security"

UBUNTU_DEB822 = {
    "sources.list": "# Ubuntu sources have moved to /etc/apt/sources.list.d/ubuntu.sources\n",
    "sources.list.d/ubuntu.sources": """\
Types: deb
URIs: http://archive.ubuntu.com/ubuntu
Suites: noble noble-updates noble-backports
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg

Types: deb
URIs: http://security.ubuntu.com/ubuntu
Suites: noble-security
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg
""",
}

UBUNTU_ONE_LINE = {
    "sources.list": """\
# See http://help.ubuntu.com/community/UpgradeNotes for how to upgrade to
# newer versions of the distribution.
deb http://archive.ubuntu.com/ubuntu/ jammy main restricted
# deb-src http://archive.ubuntu.com/ubuntu/ jammy main restricted
deb http://archive.ubuntu.com/ubuntu/ jammy-updates main restricted universe
deb http://security.ubuntu.com/ubuntu/ jammy-security main restricted
""",
}

DEBIAN_DEB822 = {
    "sources.list.d/debian.sources": """\
Types: deb deb-src
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://ftp.de.debian.org/debian/
Suites: trixie trixie-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.debian.org/debian-security/
Suites: trixie-security
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
""",
}

DEBIAN_ONE_LINE = {
    "sources.list": "# deb cdrom:[Debian GNU/Linux 12.5.0 _Bookworm_]/ bookworm main\n"
    "deb http://mirror.example.net/debian bookworm main contrib\n"
    "deb-src http://mirror.example.net/debian bookworm main contrib\n"
    "deb [ arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg ] "
    "http://security.example.net/debian-security bookworm-security main\n",
}

# Repositories of other vendors only; Docker's URI even ends in /debian (component "stable").
THIRD_PARTY_ONLY = {
    "sources.list.d/docker.list": "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] "
    "https://download.docker.com/linux/debian bookworm stable\n",
    "sources.list.d/google-cloud-sdk.list": "deb https://packages.cloud.google.com/apt "
    "cloud-sdk-bookworm main\n",
    "sources.list.d/nodesource.sources": """\
Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main
Signed-By: /usr/share/keyrings/nodesource.gpg
""",
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    (root / "sources.list.d").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)


def mirror(tmp_path: Path, files: dict[str, str], **env: str) -> dict[str, str]:
    """`lab.sh mirror` on an apt tree made of FILES: {"mirror": ..., "security": ..., ...}."""
    write_tree(tmp_path / "apt", files)
    result = lab_sh(tmp_path, "mirror", **env)
    assert result.returncode == 0, result.stderr
    lines = [line.split(" ", 2) for line in result.stdout.splitlines()]
    return {key: value for key, value, *_ in lines} | {
        f"{key}_note": rest[0] for key, _, *rest in lines if rest
    }


@pytest.mark.parametrize("tree", [UBUNTU_DEB822, UBUNTU_ONE_LINE], ids=["deb822", "one-line"])
def test_ubuntu_machine_uses_debians_public_mirror(tmp_path: Path, tree: dict[str, str]) -> None:
    chosen = mirror(tmp_path, tree)
    assert chosen["mirror"] == PUBLIC
    assert chosen["security"] == PUBLIC_SECURITY
    assert chosen["mirror_note"] == "(from Debian's public mirror)"


def test_debian_deb822_mirror_is_reused(tmp_path: Path) -> None:
    chosen = mirror(tmp_path, DEBIAN_DEB822)
    assert chosen["mirror"] == "http://ftp.de.debian.org/debian"  # trailing slash dropped
    assert chosen["security"] == "http://security.debian.org/debian-security"
    assert chosen["mirror_note"] == f"(from {tmp_path / 'apt'})"


def test_debian_one_line_mirror_is_reused(tmp_path: Path) -> None:
    chosen = mirror(tmp_path, DEBIAN_ONE_LINE)
    assert chosen["mirror"] == "http://mirror.example.net/debian"
    assert chosen["security"] == "http://security.example.net/debian-security"


def test_third_party_repositories_are_not_debian_mirrors(tmp_path: Path) -> None:
    chosen = mirror(tmp_path, THIRD_PARTY_ONLY)
    assert chosen["mirror"] == PUBLIC
    assert chosen["security"] == PUBLIC_SECURITY


def test_no_apt_tree_at_all_falls_back_to_the_public_mirror(tmp_path: Path) -> None:
    chosen = mirror(tmp_path, {})
    assert (chosen["mirror"], chosen["security"]) == (PUBLIC, PUBLIC_SECURITY)


def test_slipway_mirror_overrides_the_machines_mirror(tmp_path: Path) -> None:
    chosen = mirror(tmp_path, DEBIAN_DEB822, SLIPWAY_MIRROR="http://apt-cache.lan:3142/debian/")
    assert chosen["mirror"] == "http://apt-cache.lan:3142/debian"
    assert chosen["mirror_note"] == "(from SLIPWAY_MIRROR)"
    # The security mirror has a setting of its own and is still found on the machine.
    assert chosen["security"] == "http://security.debian.org/debian-security"


def test_slipway_mirrors_override_on_ubuntu(tmp_path: Path) -> None:
    chosen = mirror(
        tmp_path,
        UBUNTU_DEB822,
        SLIPWAY_MIRROR="http://mirror.lan/debian",
        SLIPWAY_SECURITY_MIRROR="http://mirror.lan/debian-security",
    )
    assert chosen["mirror"] == "http://mirror.lan/debian"
    assert chosen["security"] == "http://mirror.lan/debian-security"


# Which entry wins among several: each case is an apt tree and the mirror it must give.
ENTRY_CASES = {
    "disabled, commented and source entries are skipped": (
        {
            "sources.list": "#deb http://commented.example/debian trixie main\n"
            "deb-src http://src-only.example/debian trixie main\n",
            "sources.list.d/a-disabled.sources": "Types: deb\nURIs: http://disabled.example/debian\n"
            "Suites: trixie\nComponents: main\nEnabled: no\n",
            "sources.list.d/b-src.sources": "Types: deb-src\nURIs: http://src.example/debian\n"
            "Suites: trixie\nComponents: main\n",
            "sources.list.d/c-real.sources": "Types: deb\nURIs: http://real.example/debian\n"
            "Suites: trixie\nComponents: main\n",
        },
        "http://real.example/debian",
    ),
    "the first mirror in apt's order wins": (
        {
            "sources.list": "deb http://first.example/debian bookworm main\n",
            "sources.list.d/debian.sources": "Types: deb\nURIs: http://second.example/debian\n"
            "Suites: bookworm\nComponents: main\n",
        },
        "http://first.example/debian",
    ),
    "deb822 with several URIs and continuation lines": (
        {
            "sources.list.d/mixed.sources": "Types: deb\n"
            "URIs: ftp://old.example.org/debian\n"
            " https://mirror.example.org/debian/ http://deb.debian.org/debian\n"
            "Suites: bookworm\n"
            "Components:\n main\n",
        },
        "https://mirror.example.org/debian",
    ),
}


@pytest.mark.parametrize(("tree", "expected"), ENTRY_CASES.values(), ids=ENTRY_CASES.keys())
def test_which_entry_gives_the_mirror(tmp_path: Path, tree: dict[str, str], expected: str) -> None:
    assert mirror(tmp_path, tree)["mirror"] == expected


def test_keyring_present_or_missing(tmp_path: Path) -> None:
    keyring = tmp_path / "debian-archive-keyring.gpg"
    keyring.write_bytes(b"")
    present = mirror(tmp_path, {}, SLIPWAY_KEYRING=str(keyring))
    assert present["keyring"] == str(keyring)
    assert present["keyring_note"] == "(present)"
    missing = mirror(tmp_path, {}, SLIPWAY_KEYRING=str(tmp_path / "nope.gpg"))
    assert missing["keyring"] == str(tmp_path / "nope.gpg")
    assert missing["keyring_note"].startswith("(missing")
