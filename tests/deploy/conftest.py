"""Fixtures for the deploy tests: fresh lab hosts of the shapes people rent, deployed with
site.yml.

Two hosts boot at the start, in parallel: Debian 13 with root as the first login (the full
suite runs on it) and Debian 12 in the cloud-image layout (a sudo user `debian`, root's key
behind cloud-init's "Please login as" command, sshd on port 2222), which first meets every
kind of bad input, then is provisioned with a second operator's key listed and again without
it (keyremoval.py), and gets the user checks and the audits. Both are removed afterwards,
also when a test fails or the run is interrupted.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import upstreams  # part: jobs
from keyremoval import KeyRemoval, remove_the_key, second_operator
from minimal_fork import MinimalFork, MinimalRun

from tests.harness import domain
from tests.harness.accounts import make_staff
from tests.harness.badinput import BadInputStory, try_bad_inputs
from tests.harness.domain import Actor
from tests.harness.forks import ROOT, kept_parts
from tests.harness.labhost import (
    FIGURES,
    TIMINGS,
    LabHost,
    PlaybookRun,
    Shape,
    boot,
    git_head,
    lab,
)
from tests.harness.signals import raise_on_sigterm

# nspawn (default): systemd-nspawn containers, fast. vm: a QEMU VM with its own kernel, for
# what a container cannot show (kernel settings); slow under software emulation, so that
# tier boots the Debian 13 host only.
TIER = os.environ.get("SLIPWAY_LAB_TIER", "nspawn")
if TIER not in {"nspawn", "vm"}:
    raise ValueError(f"SLIPWAY_LAB_TIER must be nspawn or vm, not {TIER!r}")
# SLIPWAY_DEPLOY_SHAPES=debian13 boots that shape alone (a laptop's quick run; the minimal
# fork's run); SLIPWAY_DEPLOY_SUFFIX names its hosts apart from another run's at the same time.
SUFFIX = os.environ.get("SLIPWAY_DEPLOY_SUFFIX", "")
SHAPES = {
    "debian13": Shape(("deploy13" if TIER == "nspawn" else "deployvm") + SUFFIX, "13", "root"),
    "debian12": Shape("deploy12" + SUFFIX, "12", "sudo", port=2222),
}
if TIER == "vm":
    del SHAPES["debian12"]
WANTED = os.environ.get("SLIPWAY_DEPLOY_SHAPES", "").replace(",", " ").split()
if set(WANTED) - set(SHAPES):
    raise ValueError(f"SLIPWAY_DEPLOY_SHAPES: {WANTED} names no shape of {sorted(SHAPES)}")
SHAPES = {key: shape for key, shape in SHAPES.items() if not WANTED or key in WANTED}


def pytest_configure(config: pytest.Config) -> None:
    raise_on_sigterm()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The minimal fork's test last: it waits for checks that run beside the main hosts'
    tests, and would hold those back wherever it came in the file order."""
    items.sort(key=lambda item: "minimal_fork" in getattr(item, "fixturenames", ()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.section("deploy timings")
        for what, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{what:<56} {seconds:7.1f} s")
    for what, value in FIGURES.items():
        terminalreporter.write_line(f"{what:<56} {value:7d}")


@dataclass
class Bringup:
    """What happened to one host before its tests: boot, bad input and a second operator's
    key listed, then removed (Debian 12), first run."""

    host: LabHost
    bad_input: BadInputStory | None
    key_removal: KeyRemoval | None
    first_run: PlaybookRun
    first_run_log: Path


def _bring_up(key: str, shape: Shape, workdir: Path, release: str) -> Bringup:
    host = boot(shape, TIER, workdir / "inventory", release)
    # >>> part jobs
    if key == "debian13":  # SMTP and an OpenAI-compatible API on the lab machine
        upstreams.configure(host)
    # <<< part jobs
    story, removal, extra = None, None, []
    if key == "debian12":
        story = try_bad_inputs(host, workdir)
        removal, extra = second_operator(host, workdir)
    log = workdir / "site-first-run.log"
    run = host.run_site(log, *extra)
    TIMINGS[f"{shape.name}: site.yml, first run (hosts in parallel)"] = run.seconds
    if run.returncode == 0:  # a failed run is reported by the fixtures that use the host
        FIGURES[f"{shape.name}: changed tasks, first run"] = run.recap(shape.name)["changed"]
        if removal:
            remove_the_key(host, removal, workdir)
            assert removal.run is not None
            TIMINGS[f"{shape.name}: provision.yml, a key removed"] = removal.run.seconds
    return Bringup(host, story, removal, run, log)


def _after_the_fleet(
    fleet: dict[str, Future[Bringup]], workdir: Path, stopping: threading.Event
) -> MinimalFork | None:
    # The main hosts' bring-up is the layer's critical path: a third first run of site.yml
    # beside theirs slowed all three on 2 cores. Their tests wait on load windows and
    # playbooks, which leaves the CPU for this one.
    futures.wait(fleet.values())
    return None if stopping.is_set() else MinimalFork(workdir)


@pytest.fixture(scope="session", autouse=True)
def minimal_fork_started(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Future[MinimalFork | None] | str]:
    """The minimal fork made and its checks started once the main hosts are up (when a test
    asks for them), or why they do not run."""
    asked = [getattr(item, "fixturenames", ()) for item in request.session.items]
    if not any("minimal_fork" in names for names in asked):
        yield "no test asks for it"
        return
    if TIER != "nspawn":
        yield f"NOT RUN in the {TIER} tier: it boots a host of its own, an nspawn one"
        return
    if not kept_parts(ROOT):
        yield "NOT RUN: this tree is the minimal fork already (every part removed)"
        return
    fleet = request.getfixturevalue("fleet") if any("fleet" in n for n in asked) else {}
    stopping = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1)
    workdir = tmp_path_factory.mktemp("minimal")
    future = pool.submit(_after_the_fleet, fleet, workdir, stopping)
    try:
        yield future
    finally:
        stopping.set()
        pool.shutdown(wait=True)
        if future.exception() is None and (started := future.result()) is not None:
            started.stop()


@pytest.fixture(scope="session")
def minimal_fork(minimal_fork_started: Future[MinimalFork | None] | str) -> MinimalRun:
    """The minimal fork's own deploy checks, on a Debian 13 host of its own, once done."""
    if isinstance(minimal_fork_started, str):
        pytest.skip(minimal_fork_started)
    started = minimal_fork_started.result()
    assert started is not None, "stopped before it started"
    return started.result()


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Bringup]]]:
    """Every shape, booting and deploying in parallel from the start of the session."""
    if os.geteuid() != 0:
        pytest.fail("the deploy tests boot systemd-nspawn hosts and must run as root")
    release = git_head()
    pool = ThreadPoolExecutor(max_workers=len(SHAPES))
    try:
        yield {
            key: pool.submit(_bring_up, key, shape, tmp_path_factory.mktemp(key), release)
            for key, shape in SHAPES.items()
        }
    finally:
        for shape in SHAPES.values():
            lab("down", shape.name)  # also stops a playbook still running against it
        pool.shutdown(wait=True, cancel_futures=True)


def _deployed(fleet: dict[str, Future[Bringup]], key: str) -> LabHost:
    if key not in fleet:
        pytest.skip(f"NOT RUN: no {key} host in this run ({TIER} tier, {sorted(SHAPES)} booted)")
    bringup = fleet[key].result()
    run = bringup.first_run
    if run.returncode != 0:
        pytest.fail(
            f"site.yml failed on a fresh {key} host (log: {bringup.first_run_log}):\n"
            f"{run.output[-6000:]}"
        )
    return bringup.host


@pytest.fixture(scope="session")
def deployed(fleet: dict[str, Future[Bringup]]) -> LabHost:
    """The Debian 13 host after a first run of site.yml (provision + deploy)."""
    return _deployed(fleet, "debian13")


@pytest.fixture(scope="session", params=sorted(SHAPES, reverse=True))
def server(request: pytest.FixtureRequest, fleet: dict[str, Future[Bringup]]) -> LabHost:
    """Each host after its first run of site.yml: the user checks and audits run on both."""
    return _deployed(fleet, request.param)


@pytest.fixture(scope="session")
def bad_input(fleet: dict[str, Future[Bringup]]) -> BadInputStory:
    """The runs with bad input a fresh Debian 12 host met before its first real run."""
    if "debian12" not in fleet:
        pytest.skip("NOT RUN: the bad-input host is the Debian 12 one, not booted in this run")
    story = fleet["debian12"].result().bad_input
    assert story is not None
    return story


@pytest.fixture(scope="session")
def key_removal(fleet: dict[str, Future[Bringup]]) -> KeyRemoval:
    """The Debian 12 host's second operator key: listed at the first run, then removed."""
    _deployed(fleet, "debian12")
    removal = fleet["debian12"].result().key_removal
    assert removal is not None
    return removal


@pytest.fixture(scope="session")
def account(deployed: LabHost) -> Actor:
    """An actor (user, password, token, an item of their own) on the deployed host."""
    return domain.make_actor(deployed, make_staff(deployed))
