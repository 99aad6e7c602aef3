"""What the load saw, as pure data: each request's outcome, each acknowledged record, the
slots the load writes, and the figures drawn from them (failures per kind, the outage of
writes). No network here: test_00_harness.py tests it on made-up outcomes.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# The kinds of request the load sends, and the answer each must get.
EXPECTED = {"write": 201, "read": 200, "list": 200, "conflict": 409, "cancel": 204}
WRITES = "write"
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
class Written:
    """A record the API acknowledged (201): it must be in the database from then on."""

    id: int
    item: int
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
    """Outcomes and acknowledged records, shared by the load's threads."""

    outcomes: list[Outcome] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: Outcome, written: Written | None = None) -> None:
        with self._lock:
            self.outcomes.append(outcome)
            if written:
                self.written.append(written)

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
    """When records could be written again after an outage that began at `since`: the first
    acknowledged write answered after the last write that failed (sent at or after `since`).
    With no failed write, the first acknowledged write sent at or after `since`. Conservative:
    a stray later failure moves the recovery later, never earlier."""
    writes = [o for o in outcomes if o.kind == WRITES and o.sent >= since]
    failures = [o.done for o in writes if not o.ok]
    after = max(failures, default=since)
    return min((o.done for o in writes if o.ok and o.done >= after), default=None)


def slot(base: datetime, index: int) -> tuple[datetime, datetime]:
    """The index-th half-hour of an item's calendar from `base`: slots never overlap."""
    start = base + index * SLOT
    return start, start + SLOT


def overlapping_slot(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A range that overlaps [start, end) by half: record it must be refused (409)."""
    shift = (end - start) / 2
    return start + shift, end + shift


def calendar_base(now: datetime | None = None) -> datetime:
    """Where the load's calendars start: midnight UTC the day after tomorrow (always future)."""
    now = now or datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)


def missing(written: list[Written], stored: dict[int, tuple[int, int, int]]) -> list[Written]:
    """Acknowledged records absent from the database or stored otherwise. `stored` maps id
    to (item, start, end) in epoch seconds."""
    return [
        b
        for b in written
        if stored.get(b.id) != (b.item, int(b.start.timestamp()), int(b.end.timestamp()))
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
