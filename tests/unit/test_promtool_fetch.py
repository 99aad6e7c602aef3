"""scripts/promtool.py: where Debian's promtool can run, the pinned download, the .deb unpacking."""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from scripts import promtool


@pytest.mark.parametrize(
    ("system", "machine", "libc", "reason"),
    [
        ("linux", "x86_64", ("glibc", "2.39"), None),
        ("linux", "aarch64", ("glibc", "2.36"), None),
        ("darwin", "arm64", ("", ""), "Linux program"),
        ("linux", "riscv64", ("glibc", "2.39"), "not riscv64"),
        ("linux", "x86_64", ("glibc", "2.31"), "needs glibc 2.34"),
        ("linux", "x86_64", ("", ""), "needs glibc 2.34"),  # musl (Alpine): no glibc version
    ],
)
def test_it_runs_only_where_debians_binary_can(
    monkeypatch: pytest.MonkeyPatch,
    system: str,
    machine: str,
    libc: tuple[str, str],
    reason: str | None,
) -> None:
    monkeypatch.setattr(promtool.sys, "platform", system)
    monkeypatch.setattr(promtool.platform, "machine", lambda: machine)
    monkeypatch.setattr(promtool.platform, "libc_ver", lambda: libc)
    found = promtool.why_it_cannot_run()
    if reason is None:
        assert found is None
    else:
        assert found is not None
        assert reason in found


def test_main_names_the_ci_job_where_it_cannot_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(promtool.sys, "platform", "darwin")
    assert promtool.main() == promtool.CANNOT_RUN
    assert "CI's lint job" in capsys.readouterr().err


def fake_deb(binary: bytes) -> bytes:
    """An ar archive like a .deb: debian-binary, control.tar.xz, data.tar.xz (odd sizes padded)."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:xz") as tar:
        info = tarfile.TarInfo("./usr/bin/promtool")
        info.size = len(binary)
        tar.addfile(info, io.BytesIO(binary))
    archive = b"!<arch>\n"
    for name, body in [
        ("debian-binary", b"2.0\n"),
        ("control.tar.xz", b"x"),
        ("data.tar.xz", data.getvalue()),
    ]:
        header = f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(body):<10}`\n".encode()
        archive += header + body + (b"\n" if len(body) % 2 else b"")
    return archive


def test_the_binary_comes_out_of_the_deb() -> None:
    assert promtool.extract_promtool(fake_deb(b"\x7fELF promtool")) == b"\x7fELF promtool"


def test_a_download_must_match_the_pinned_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    good = fake_deb(b"the real one")
    answers = {"pool": b"tampered", "snapshot": good}
    asked = []

    @contextmanager
    def urlopen(url: str, timeout: float) -> Iterator[io.BytesIO]:
        asked.append(url)
        yield io.BytesIO(answers["pool" if url.startswith(promtool.POOL) else "snapshot"])

    monkeypatch.setattr(promtool.urllib.request, "urlopen", urlopen)
    deb = promtool.Deb(hashlib.sha256(good).hexdigest(), "0" * 40)
    # The pool's copy does not match the pin: the snapshot's (by SHA-1) is taken instead.
    assert promtool.download("amd64", deb) == good
    assert asked[1] == f"{promtool.SNAPSHOT}/{'0' * 40}"

    answers["snapshot"] = b"also tampered"
    with pytest.raises(SystemExit, match="SHA-256 differs"):
        promtool.download("amd64", deb)
