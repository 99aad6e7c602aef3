"""Jobs on a deployed host, seen from outside: a client that writes records continuously
(every write enqueues the domain's confirmation job, a real job), the queue's rows for those
records, and the job worker's units and journal.

Each record is cancelled at once, so one actor can write for as long as the load runs (the
app caps an actor's active records); the confirmation goes out anyway.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Self

from tests.harness import domain

if TYPE_CHECKING:
    from tests.harness.domain import Actor
    from tests.harness.labhost import LabHost

APP = "example_api"
WORKER = f"{APP}-worker"
TASK = domain.confirmation_job
REF = domain.confirmation_job_ref  # the job argument that names its record


class WriteLoad:
    """One thread writing through nginx every `interval` seconds (and cancelling), until the
    `with` block ends. Every record written is a confirmation job enqueued."""

    def __init__(self, host: LabHost, actor: Actor, days_ahead: int, interval: float = 0.4) -> None:
        self.host, self.actor, self.interval = host, actor, interval
        self.written: list[int] = []
        self.failed: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        # Slots an hour apart from `days_ahead` days on: a load never writes an hour twice;
        # loads of different tests start on different days.
        self._first = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
            minute=0, second=0, microsecond=0
        )

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        time.sleep(2)  # writes after the switch too
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            try:
                self._write_and_cancel(len(self.written) + len(self.failed))
            except Exception as error:  # every failure counts
                self.failed.append(repr(error))
            due += self.interval
            time.sleep(max(0.0, due - time.monotonic()))

    def _write_and_cancel(self, slot: int) -> None:
        start = self._first + timedelta(hours=slot)
        body = domain.write_body(self.actor.item, start, start + timedelta(minutes=30), "job load")
        status, _, created = self.host.request("POST", domain.RECORDS, body, token=self.actor.token)
        if status != 201:
            self.failed.append(f"POST {status}: {str(created)[:200]}")
            return
        assert isinstance(created, dict)
        self.written.append(int(created["id"]))
        status = domain.cancel(self.host, self.actor, int(created["id"]))
        if status != 204:
            self.failed.append(f"DELETE {status}")


def psql(host: LabHost, query: str) -> str:
    """A query on the live database (the tests' own constants and ids only)."""
    quoted = "'" + query.replace("'", "'\\''") + "'"
    return host.sudo(f"-u postgres psql -tA -d {APP} -c {quoted}").strip()


@dataclass
class JobRow:
    id: int
    record_id: int
    status: str
    attempts: int


def _ids(numbers: list[int]) -> str:
    return ",".join(str(int(number)) for number in numbers)


def _jobs(host: LabHost, where: str) -> list[JobRow]:
    rows = psql(
        host,
        f"SELECT id, (args->>'{REF}')::bigint, status, attempts FROM procrastinate_jobs "  # noqa: S608
        f"WHERE task_name = '{TASK}' AND {where} ORDER BY id",
    )
    found = []
    for line in rows.splitlines():
        job_id, record_id, status, attempts = line.split("|")
        found.append(JobRow(int(job_id), int(record_id), status, int(attempts)))
    return found


def confirmation_jobs(host: LabHost, record_ids: list[int]) -> list[JobRow]:
    """The queue's confirmation jobs for these records (finished ones stay a week)."""
    if not record_ids:
        return []
    return _jobs(host, f"(args->>'{REF}')::bigint IN ({_ids(record_ids)})")


def jobs_by_id(host: LabHost, job_ids: list[int]) -> list[JobRow]:
    return _jobs(host, f"id IN ({_ids(job_ids)})") if job_ids else []


def sent_notifications(host: LabHost, record_ids: list[int]) -> int:
    ids = _ids(record_ids)
    query = f"SELECT count(*) FROM {domain.SENT_TABLE} WHERE object_id IN ({ids})"  # noqa: S608
    return int(psql(host, query))


def wait_until_done(host: LabHost, record_ids: list[int], timeout: float = 600) -> list[JobRow]:
    """Poll until every job of these records has finished (succeeded or failed for good)."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = confirmation_jobs(host, record_ids)
        if all(job.status in {"succeeded", "failed"} for job in jobs):
            return jobs
        if time.monotonic() > deadline:
            return jobs
        time.sleep(2)


def active_workers(host: LabHost) -> list[str]:
    units = host.sudo(f"systemctl list-units --state=active --no-legend '{WORKER}@*'")
    return [word for word in units.split() if word.startswith(f"{WORKER}@")]


@dataclass
class WorkerStop:
    """What a worker's journal says of its stop: the jobs it was running when asked to stop
    (procrastinate's "Waiting for job to finish" lines) and whether it then said it stopped."""

    asked: bool = False
    running_job_ids: list[int] = field(default_factory=list)
    stopped: bool = False


def worker_stop(host: LabHost, instance: str, since: float) -> WorkerStop:
    """Parse the worker's JSON log lines since `since` (a Unix time)."""
    unit = f"{WORKER}@{instance}"
    journal = host.sudo(f"journalctl --quiet --output=cat -u {unit} --since @{since:.0f}")
    stop = WorkerStop()
    for line in journal.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        action = entry.get("action")
        if action == "stopping_worker":
            stop.asked = True
        elif action == "ending_job" and stop.asked:
            found = re.search(r"\[(\d+)\]", entry.get("event", ""))
            if found:
                stop.running_job_ids.append(int(found.group(1)))
        elif action == "stop_worker" and stop.asked and "Stopped worker" in entry.get("event", ""):
            stop.stopped = True
    return stop
