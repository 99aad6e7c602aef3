"""Fetch promtool, the alert rules' checker, into .tools/ and print its path.

The servers run Debian's Prometheus, so the rules are checked with Debian's promtool (the
`promtool` package of Debian 13, the release the servers default to). It is fetched the same
way on any Linux control machine, without apt or root and whatever /etc/os-release says: the
.deb pinned here by SHA-256, from Debian's pool, or, once Debian has replaced it, from
snapshot.debian.org, which keeps every file Debian ever shipped, by its SHA-1.

    uv run --frozen python -m scripts.promtool       prints the path (fetches it once)

Exit status 3 (and a line on stderr) where Debian's promtool cannot run: not Linux, another
architecture, or a C library older than the package needs. The alert rules are then left to
CI's lint job (.github/workflows/ci.yml, on ubuntu-24.04), which runs the same target.
"""

from __future__ import annotations

import hashlib
import io
import os
import platform
import sys
import tarfile
import urllib.request
from pathlib import Path
from typing import NamedTuple

VERSION = "2.53.3+ds1-2"
# The package needs glibc 2.34 or newer (its Depends: libc6 (>= 2.34)).
GLIBC_MIN = (2, 34)
POOL = "http://deb.debian.org/debian/pool/main/p/prometheus"
SNAPSHOT = "https://snapshot.debian.org/file"
CANNOT_RUN = 3
TOOLS = Path(__file__).resolve().parent.parent / ".tools"


class Deb(NamedTuple):
    sha256: str
    sha1: str  # snapshot.debian.org's key for the file


DEBS = {
    "amd64": Deb(
        "ff27654eacc95abd846d344e91fe4ba3b4f0588a50d606ed1d2f09ad3408722f",
        "1dffc5d47ad29123e1b1cb76deecc94a3d735e0a",
    ),
    "arm64": Deb(
        "cc1d5889b4d2e2ef92a6984039d88c11993ad3c73f5e74acd3ee15adaefb764c",
        "0a54a83bbebacfa9af0fb95cdccdea99a7f923b0",
    ),
}
ARCHES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def why_it_cannot_run() -> str | None:
    if sys.platform != "linux":
        return f"Debian's promtool is a Linux program; this is {platform.system()}"
    if platform.machine().lower() not in ARCHES:
        return f"Debian's promtool is built here for x86_64 and arm64, not {platform.machine()}"
    libc, version = platform.libc_ver()
    have = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if libc != "glibc" or have < GLIBC_MIN:
        need = ".".join(map(str, GLIBC_MIN))
        return f"Debian's promtool needs glibc {need} or newer; this has {libc or '?'} {version}"
    return None


def download(arch: str, deb: Deb) -> bytes:
    name = f"promtool_{VERSION}_{arch}.deb"
    errors = []
    for url in (f"{POOL}/{name}", f"{SNAPSHOT}/{deb.sha1}"):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (fixed URLs)
                body: bytes = response.read()
        except OSError as error:
            errors.append(f"{url}: {error}")
            continue
        if hashlib.sha256(body).hexdigest() == deb.sha256:
            return body
        errors.append(f"{url}: SHA-256 differs from the pin")
    raise SystemExit(f"promtool: could not fetch {name}:\n  " + "\n  ".join(errors))


def ar_member(archive: bytes, prefix: str) -> bytes:
    """A .deb is an ar archive; return the first member whose name starts with prefix."""
    offset = 8  # "!<arch>\n"
    while offset < len(archive):
        header = archive[offset : offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        if name.startswith(prefix):
            return archive[offset + 60 : offset + 60 + size]
        offset += 60 + size + size % 2
    raise SystemExit(f"promtool: no {prefix}* in the package")


def extract_promtool(deb: bytes) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(ar_member(deb, "data.tar"))) as data:
        member = data.extractfile("./usr/bin/promtool")
        if member is None:
            raise SystemExit("promtool: the package has no ./usr/bin/promtool")
        return member.read()


def main() -> int:
    reason = why_it_cannot_run()
    if reason:
        print(
            f"promtool: {reason}. CI's lint job (ubuntu-24.04) checks the alert rules.",
            file=sys.stderr,
        )
        return CANNOT_RUN
    arch = ARCHES[platform.machine().lower()]
    target = TOOLS / f"promtool-{VERSION}-{arch}" / "promtool"
    if not target.exists():
        print(f"promtool: fetching Debian's promtool {VERSION} ({arch})", file=sys.stderr)
        binary = extract_promtool(download(arch, DEBS[arch]))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.write_bytes(binary)
        partial.chmod(0o755)
        os.replace(partial, target)  # no half-written promtool if interrupted
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
