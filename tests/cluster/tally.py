"""What the load saw, as pure data: each request's outcome, each acknowledged booking, the
slots the load books, and the figures drawn from them (failures per kind, the outage of
writes). No network here: test_00_harness.py tests it on made-up outcomes.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# The kinds of request the load sends, and the answer each must get.
EXPECTED = {"book": 201, "read": 200, "list": 200, "conflict": 409, "cancel": 204}
WRITES = "book"
SLOT = timedelta(minutes=30)


@dataclass(frozen=True)
class Outcome:
    kind: str
    sent: float  # time.monotonic() when sent
    done: float  # ... and when answered (or given up)
    reason: str = ""  # empty: the expected answer; else why not ("HTTP 502", "TimeoutError")

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class Booked:
    """A booking the API acknowledged (201): it must be in the database from then on."""

    id: int
    resource_id: int
    owner: str
    start: datetime
    end: datetime
    acknowledged_at: datetime  # wall clock (the hosts share it: nspawn, one kernel)


@dataclass
class KindCount:
    sent: int = 0
    ok: int = 0
    failed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


@dataclass
class Tally:
    """Outcomes and acknowledged bookings, shared by the load's threads."""

    outcomes: list[Outcome] = field(default_factory=list)
    booked: list[Booked] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: Outcome, booked: Booked | None = None) -> None:
        with self._lock:
            self.outcomes.append(outcome)
            if booked:
                self.booked.append(booked)

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)

    @property
    def failed(self) -> int:
        return sum(not o.ok for o in self.snapshot())

    def counts(self) -> dict[str, KindCount]:
        return count(self.snapshot())


def count(outcomes: list[Outcome]) -> dict[str, KindCount]:
    counts = {kind: KindCount() for kind in EXPECTED}
    for o in outcomes:
        c = counts.setdefault(o.kind, KindCount())
        c.sent += 1
        if o.ok:
            c.ok += 1
        else:
            c.failed += 1
            c.reasons[o.reason] += 1
    return counts


def first_failure(outcomes: list[Outcome], since: float = 0.0) -> float | None:
    """When the first request sent at or after `since` that failed was sent."""
    return min((o.sent for o in outcomes if not o.ok and o.sent >= since), default=None)


def write_recovered(outcomes: list[Outcome], since: float) -> float | None:
    """When bookings could be written again after an outage that began at `since`: the first
    acknowledged write answered after the last write that failed (sent at or after `since`).
    With no failed write, the first acknowledged write sent at or after `since`. Conservative:
    a stray later failure moves the recovery later, never earlier."""
    writes = [o for o in outcomes if o.kind == WRITES and o.sent >= since]
    failures = [o.done for o in writes if not o.ok]
    after = max(failures, default=since)
    return min((o.done for o in writes if o.ok and o.done >= after), default=None)


def slot(base: datetime, index: int) -> tuple[datetime, datetime]:
    """The index-th half-hour of a resource's calendar from `base`: slots never overlap."""
    start = base + index * SLOT
    return start, start + SLOT


def overlapping_slot(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A range that overlaps [start, end) by half: booking it must be refused (409)."""
    shift = (end - start) / 2
    return start + shift, end + shift


def calendar_base(now: datetime | None = None) -> datetime:
    """Where the load's calendars start: midnight UTC the day after tomorrow (always future)."""
    now = now or datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)


def missing(booked: list[Booked], stored: dict[int, tuple[int, int, int]]) -> list[Booked]:
    """Acknowledged bookings absent from the database or stored otherwise. `stored` maps id
    to (resource_id, start, end) in epoch seconds."""
    return [
        b
        for b in booked
        if stored.get(b.id) != (b.resource_id, int(b.start.timestamp()), int(b.end.timestamp()))
    ]


def wal_position(name: str) -> tuple[int, int, int] | None:
    """A WAL segment file name (24 hex digits: timeline, log, segment) as comparable numbers;
    None for other archived files (a timeline's .history, a .partial segment)."""
    if len(name) != 24:
        return None
    try:
        return int(name[:8], 16), int(name[8:16], 16), int(name[16:], 16)
    except ValueError:
        return None


def wal_archived(last_archived: str, needed: str) -> bool:
    """Whether the archiver has got past `needed`: segments are archived in order, and a
    later timeline's segments follow the earlier timeline's at the same position."""
    last, want = wal_position(last_archived), wal_position(needed)
    assert want, f"not a WAL segment name: {needed!r}"
    if last is None:
        return False
    return last[1:] > want[1:] or (last[1:] == want[1:] and last[0] >= want[0])
