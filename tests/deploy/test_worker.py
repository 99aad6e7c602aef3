"""The job worker on a deployed host: one sandboxed worker, the live slot's; a redeploy and a
rollback hand the queue from the old release's worker to the new one's while a client writes
continuously, and every record's confirmation job is sent exactly once; a release whose
worker cannot start is never switched to and the old worker runs on.

The e-mails go to an SMTP sink on the lab machine (lab_services.py) that answers each after
half a second: the worker is always in the middle of a job when it is asked to stop, and
records come faster than it sends, so a backlog waits in the queue across the switch.
Runs after test_releases.py; leaves the release it found serving.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from jobload import (
    WORKER,
    WriteLoad,
    active_workers,
    jobs_by_id,
    sent_notifications,
    wait_until_done,
    worker_stop,
)
from upstreams import ENDPOINTS, LabService, smtp_sink

from tests.harness import domain
from tests.harness.accounts import make_staff
from tests.harness.domain import Actor
from tests.harness.labhost import FIGURES, TIMINGS, LabHost, PlaybookRun
from tests.harness.releases import make_release

APP = "example_api"
SMTP_DELAY = 0.5  # seconds per e-mail: slower than the records come (WriteLoad: 0.4 s)


@pytest.fixture(scope="module")
def sink(deployed: LabHost) -> Iterator[LabService]:
    if deployed.name not in ENDPOINTS:
        pytest.fail(f"{deployed.name} was not configured for the lab's services (conftest)")
    with smtp_sink(ENDPOINTS[deployed.name], SMTP_DELAY) as service:
        yield service


@pytest.fixture(scope="module")
def writer(deployed: LabHost) -> Actor:
    return domain.make_actor(deployed, make_staff(deployed))


def _same_code(clone: Path) -> None:
    """No change: a new commit, so a new release."""


def _worker_cannot_start(clone: Path) -> None:
    """The web instance works; `manage.py procrastinate ...` (the worker's check) fails."""
    manage = clone / "manage.py"
    manage.write_text(
        manage.read_text().replace(
            "def main() -> None:\n",
            "def main() -> None:\n"
            '    if "procrastinate" in sys.argv:\n'
            '        raise SystemExit("broken on purpose: no worker")\n',
        )
    )


def _deploy(host: LabHost, log: Path, clone: Path) -> PlaybookRun:
    return host.run_playbook(
        "deploy.yml", log, "-e", f"app_source_dir={clone}", "-e", "app_release_ref=HEAD"
    )


def _version(host: LabHost) -> str:
    status, _, body = host.request("GET", "/healthz")
    assert status == 200, body
    assert isinstance(body, dict)
    return str(body["version"])


def _invocation(host: LabHost, instance: str) -> str:
    return host.sudo(f"systemctl show --property=InvocationID --value {WORKER}@{instance}").strip()


def test_the_live_slot_runs_the_only_worker_sandboxed(deployed: LabHost) -> None:
    live = deployed.live_instance()
    assert active_workers(deployed) == [f"{WORKER}@{live}.service"]
    assert deployed.sudo(f"systemctl is-enabled {WORKER}@{live}").strip() == "enabled"
    properties = "User,KillMode,KillSignal,TimeoutStopUSec,MainPID"
    shown = deployed.sudo(f"systemctl show --property={properties} {WORKER}@{live}")
    props = dict(line.split("=", 1) for line in shown.splitlines())
    assert props["User"] == APP
    assert (props["KillMode"], props["KillSignal"]) == ("mixed", "15")  # SIGTERM
    assert props["TimeoutStopUSec"] == "1min 30s"
    # It runs the live slot's release, the one nginx's instance runs.
    cwd = deployed.sudo(f"readlink /proc/{props['MainPID']}/cwd").strip()
    assert cwd == deployed.sudo(f"readlink -f /srv/{APP}/slots/{live}").strip()
    # systemd's own audit of the unit: as locked down as the web instances.
    report = deployed.sudo(f"systemd-analyze security --no-pager {WORKER}@{live}.service")
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", report)
    assert match, report[-2000:]
    assert float(match.group(1)) <= 2.0, report
    FIGURES["worker unit: systemd-analyze exposure x10"] = round(float(match.group(1)) * 10)


def _timings(what: str, run: PlaybookRun) -> None:
    stopped = re.search(r"WORKER \S+ stopped in ([0-9.]+) s, result=(\S+)", run.output)
    taking = re.search(r"WORKER \S+ takes jobs ([0-9.]+) s after", run.output)
    assert stopped, run.output[-4000:]
    assert taking, run.output[-4000:]
    assert stopped.group(2).rstrip('",') == "success", stopped.group(0)
    TIMINGS[f"{what}: old worker's graceful stop"] = float(stopped.group(1))
    TIMINGS[f"{what}: no worker (old asked to stop -> new takes jobs)"] = float(taking.group(1))


def _exactly_once(what: str, host: LabHost, load: WriteLoad, sink: LabService) -> None:
    """Every record's job ran to success once, and its e-mail arrived once."""
    jobs = wait_until_done(host, load.written)
    mails = Counter(mail["record_id"] for mail in sink.report()["mails"])
    written = set(load.written)
    lost = sorted(b for b in written if mails[b] == 0)
    twice = sorted(b for b in written if mails[b] > 1)
    jobs_per_record = Counter(job.record_id for job in jobs)
    succeeded = [job for job in jobs if job.status == "succeeded"]
    FIGURES[f"{what}: records written (confirmation jobs enqueued)"] = len(written)
    FIGURES[f"{what}:   jobs succeeded"] = len(succeeded)
    FIGURES[f"{what}:   e-mails lost"] = len(lost)
    FIGURES[f"{what}:   e-mails sent twice"] = len(twice)
    FIGURES[f"{what}:   jobs that needed a retry"] = sum(job.attempts > 1 for job in jobs)
    print(
        f"\n{what}: {len(written)} records, {len(succeeded)} jobs succeeded, "
        f"{len(lost)} e-mails lost, {len(twice)} sent twice, {len(load.failed)} requests failed"
    )
    assert load.failed == [], load.failed[:10]
    assert len(written) > 30, len(written)
    assert all(count == 1 for count in jobs_per_record.values()), jobs_per_record
    assert set(jobs_per_record) == written, written - set(jobs_per_record)
    assert len(succeeded) == len(written), [job for job in jobs if job.status != "succeeded"]
    assert (lost, twice) == ([], [])
    assert sent_notifications(host, load.written) == len(written)


def _stopped_mid_job(what: str, host: LabHost, old: str, since: float) -> None:
    """The old worker was asked to stop while it ran a job, finished it, then stopped."""
    stop = worker_stop(host, old, since)
    assert stop.asked, stop
    assert stop.stopped, stop
    FIGURES[f"{what}:   jobs running when the old worker got SIGTERM"] = len(stop.running_job_ids)
    assert stop.running_job_ids, "the old worker was idle when it stopped: nothing was proven"
    running = jobs_by_id(host, stop.running_job_ids)
    assert [(job.status, job.attempts) for job in running] == [("succeeded", 1)] * len(running)


def _switch_with_jobs(
    what: str,
    host: LabHost,
    sink: LabService,
    writer: Actor,
    days_ahead: int,
    play: Callable[[], PlaybookRun],
) -> str:
    old = host.live_instance()
    since = time.time() - 1
    with WriteLoad(host, writer, days_ahead) as load:
        run = play()
    TIMINGS[f"{what} (with writes and their jobs)"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    _timings(what, run)
    new = host.live_instance()
    assert new != old
    assert active_workers(host) == [f"{WORKER}@{new}.service"]
    _exactly_once(what, host, load, sink)
    _stopped_mid_job(what, host, old, since)
    return new


def test_jobs_enqueued_during_a_redeploy_run_exactly_once(
    deployed: LabHost, sink: LabService, writer: Actor, tmp_path_factory
) -> None:
    clone, release = make_release(tmp_path_factory.mktemp("worker"), "jobs", _same_code)
    log = tmp_path_factory.mktemp("logs") / "redeploy-jobs.log"
    deploy = partial(_deploy, deployed, log, clone)
    _switch_with_jobs("redeploy", deployed, sink, writer, 40, deploy)
    assert _version(deployed) == release


def test_a_release_whose_worker_cannot_start_is_not_switched_to(
    deployed: LabHost, sink: LabService, writer: Actor, tmp_path_factory
) -> None:
    base = tmp_path_factory.mktemp("worker")
    clone, broken = make_release(base, "noworker", _worker_cannot_start)
    live, serving = deployed.live_instance(), _version(deployed)
    before = _invocation(deployed, live)
    run = _deploy(deployed, tmp_path_factory.mktemp("logs") / "noworker.log", clone)
    assert run.returncode != 0, run.output[-3000:]
    assert f"release {broken} was NOT switched to" in run.output, run.output[-3000:]
    assert "Start the new release's worker" in run.output
    # The old release serves, and its worker (stopped for the switch) runs again.
    assert (_version(deployed), deployed.live_instance()) == (serving, live)
    assert active_workers(deployed) == [f"{WORKER}@{live}.service"]
    assert _invocation(deployed, live) != before
    # ...and takes jobs: a record's confirmation arrives.
    record = domain.write(deployed, writer, days_ahead=30, note="after a failed deploy")
    jobs = wait_until_done(deployed, [record["id"]], timeout=60)
    assert [job.status for job in jobs] == ["succeeded"], jobs
    mails = [m for m in sink.report()["mails"] if m["record_id"] == record["id"]]
    assert len(mails) == 1, mails


def test_jobs_enqueued_during_a_rollback_run_exactly_once(
    deployed: LabHost, sink: LabService, writer: Actor, tmp_path_factory
) -> None:
    before = _version(deployed)
    previous = deployed.sudo(f"readlink /srv/{APP}/previous").strip().rsplit("/", 1)[-1]
    log = tmp_path_factory.mktemp("logs") / "rollback-jobs.log"
    rollback = partial(deployed.run_playbook, "rollback.yml", log)
    _switch_with_jobs("rollback", deployed, sink, writer, 80, rollback)
    assert _version(deployed) == previous != before
