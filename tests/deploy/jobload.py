"""Jobs on a deployed host, seen from outside: a client that books continuously (every booking
enqueues its confirmation e-mail, a real job), the queue's rows for those bookings, and the
job worker's units and journal.

Each booking is cancelled at once, so one user can book for as long as the load runs (a user
may hold BOOKING_MAX_ACTIVE_PER_USER active bookings); the confirmation goes out anyway.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from accounts import Account
    from labhost import LabHost

APP = "example_api"
WORKER = f"{APP}-worker"
TASK = "notifications.send_booking_confirmation"


class BookingLoad:
    """One thread booking through nginx every `interval` seconds (and cancelling), until the
    `with` block ends. Every booking made is a confirmation job enqueued."""

    def __init__(
        self, host: LabHost, account: Account, days_ahead: int, interval: float = 0.4
    ) -> None:
        self.host, self.account, self.interval = host, account, interval
        self.booked: list[int] = []
        self.failed: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        # Slots an hour apart from `days_ahead` days on: a load never books an hour twice;
        # loads of different tests start on different days.
        self._first = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
            minute=0, second=0, microsecond=0
        )

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        time.sleep(2)  # bookings after the switch too
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            try:
                self._book_and_cancel(len(self.booked) + len(self.failed))
            except Exception as error:  # every failure counts
                self.failed.append(repr(error))
            due += self.interval
            time.sleep(max(0.0, due - time.monotonic()))

    def _book_and_cancel(self, slot: int) -> None:
        start = self._first + timedelta(hours=slot)
        booking = {
            "resource_id": self.account.resource_id,
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=30)).isoformat(),
            "note": "job load",
        }
        token = self.account.token
        status, _, body = self.host.request("POST", "/api/v1/bookings/", booking, token=token)
        if status != 201:
            self.failed.append(f"POST {status}: {str(body)[:200]}")
            return
        assert isinstance(body, dict)
        self.booked.append(int(body["id"]))
        status, _, body = self.host.request(
            "DELETE", f"/api/v1/bookings/{body['id']}/", token=token
        )
        if status != 204:
            self.failed.append(f"DELETE {status}: {str(body)[:200]}")


def psql(host: LabHost, query: str) -> str:
    """A query on the live database (the tests' own constants and ids only)."""
    quoted = "'" + query.replace("'", "'\\''") + "'"
    return host.sudo(f"-u postgres psql -tA -d {APP} -c {quoted}").strip()


@dataclass
class JobRow:
    id: int
    booking_id: int
    status: str
    attempts: int


def _ids(numbers: list[int]) -> str:
    return ",".join(str(int(number)) for number in numbers)


def _jobs(host: LabHost, where: str) -> list[JobRow]:
    rows = psql(
        host,
        "SELECT id, (args->>'booking_id')::bigint, status, attempts FROM procrastinate_jobs "  # noqa: S608
        f"WHERE task_name = '{TASK}' AND {where} ORDER BY id",
    )
    found = []
    for line in rows.splitlines():
        job_id, booking_id, status, attempts = line.split("|")
        found.append(JobRow(int(job_id), int(booking_id), status, int(attempts)))
    return found


def confirmation_jobs(host: LabHost, booking_ids: list[int]) -> list[JobRow]:
    """The queue's confirmation jobs for these bookings (finished ones stay a week)."""
    if not booking_ids:
        return []
    return _jobs(host, f"(args->>'booking_id')::bigint IN ({_ids(booking_ids)})")


def jobs_by_id(host: LabHost, job_ids: list[int]) -> list[JobRow]:
    return _jobs(host, f"id IN ({_ids(job_ids)})") if job_ids else []


def sent_notifications(host: LabHost, booking_ids: list[int]) -> int:
    ids = _ids(booking_ids)
    query = f"SELECT count(*) FROM notifications_sentnotification WHERE object_id IN ({ids})"  # noqa: S608
    return int(psql(host, query))


def wait_until_done(host: LabHost, booking_ids: list[int], timeout: float = 600) -> list[JobRow]:
    """Poll until every job of these bookings has finished (succeeded or failed for good)."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = confirmation_jobs(host, booking_ids)
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
