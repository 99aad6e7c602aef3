"""Steady load through lb1 while a scenario runs, with a ledger of acknowledged records.

One thread per load account (its own actor and item). Each cycle writes the next free
half-hour of its item, reads the record back, and now and then lists the user's
records, tries a slot that overlaps its newest record (which must be refused, 409) and
cancels its oldest ones: users may hold only the app's cap (20) of active
records, and a write that timed out may have committed unseen, so each keeps at most KEEP.

Every 201 goes into the ledger (tally.Written); a timeout, a reset or a 5xx counts as failed
and its record is not in the ledger (unacknowledged). Client timeouts are short, so a dead
backend holds a thread for seconds at most.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self

from tally import (
    EXPECTED,
    Outcome,
    Tally,
    Written,
    calendar_base,
    first_failure,
    overlapping_slot,
    slot,
    write_recovered,
)

from tests.harness import domain
from tests.harness.labhost import PinnedHTTPSConnection

if TYPE_CHECKING:
    from topology import Balancer

    from tests.harness.domain import Actor

TIMEOUT = 5.0  # seconds a request may take before it counts as failed
# Seconds a load thread waits after each answer: about 7 requests/s through lb1 from 6 threads.
# Serving them costs the lab hosts about a third of a core; unpaced (0.2 s, ~20 requests/s)
# it was over a core of this 2-core machine, which slowed every playbook run under load.
PAUSE = 0.75
KEEP = 10  # confirmed records a load user holds at most (the cap is 20)


@dataclass
class LoadAccount:
    """A load thread's actor and item, and its place in the item's calendar (kept
    across scenarios: the calendar only moves forward, held records carry over)."""

    account: Actor
    user_id: int
    base: datetime = field(default_factory=calendar_base)
    next_slot: int = 0
    held: deque[Written] = field(default_factory=deque)


class _Client:
    """One keep-alive HTTPS connection to lb1; reopened after any failure."""

    def __init__(self, lb: Balancer, tls: ssl.SSLContext) -> None:
        self.lb, self.tls = lb, tls
        self.conn: PinnedHTTPSConnection | None = None

    def request(
        self, method: str, path: str, token: str, body: object | None = None
    ) -> tuple[int, object]:
        headers = {
            "Host": self.lb.domain,
            "Accept": "application/json",
            "Authorization": f"Bearer {token}",
        }
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.conn is None:
            self.conn = PinnedHTTPSConnection(
                self.lb.address, self.lb.domain, self.tls, timeout=TIMEOUT
            )
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except Exception:
            self.close()
            raise
        parsed: object = raw.decode(errors="replace")
        if response.getheader("Content-Type", "").startswith("application/json") and raw:
            parsed = json.loads(raw)
        return response.status, parsed

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Ledger:
    """The load, as a `with` block: threads start on entry and stop on exit."""

    def __init__(
        self,
        lb: Balancer,
        accounts: list[LoadAccount],
        pause: float = PAUSE,
        sink: list[Written] | None = None,
    ) -> None:
        self.lb, self.accounts, self.pause = lb, accounts, pause
        self.tls = lb.tls_context()  # fetched once, before the threads start
        self.tally = Tally()
        self.sink = sink  # the session's list of every acknowledged record, if given
        self.died: list[str] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._guarded, args=(account,), daemon=True)
            for account in accounts
        ]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=3 * TIMEOUT)
        if self.sink is not None:
            self.sink.extend(self.tally.written)

    @property
    def written(self) -> list[Written]:
        return self.tally.written

    @property
    def failed(self) -> int:
        return self.tally.failed + len(self.died)

    def wait_for_writes_after(self, since: float, timeout: float, calm: float = 10.0) -> bool:
        """Wait until records are acknowledged again after an outage that began at `since`
        (a write failed, then one succeeded), or until `calm` seconds passed with no write
        failing at all. False if neither happened within `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            outcomes = self.tally.snapshot()
            if write_recovered(outcomes, since) is not None and (
                first_failure(outcomes, since) is not None or time.monotonic() - since > calm
            ):
                return True
            time.sleep(0.2)
        return False

    # --- one thread ------------------------------------------------------------------------
    def _guarded(self, load: LoadAccount) -> None:
        try:
            self._run(load)
        except Exception as error:  # a thread that dies counts: it does not pass silently
            self.died.append(f"{load.account.username}: {error!r}")

    def _run(self, load: LoadAccount) -> None:
        client = _Client(self.lb, self.tls)
        cycle = 0
        try:
            while not self._stop.is_set():
                written = self._write(client, load)
                if written:
                    self._read(client, load, written)
                if cycle % 3 == 0:
                    self._send(client, load, "list", "GET", self._list_path(load))
                if cycle % 5 == 4 and load.held:
                    self._conflict(client, load)
                while len(load.held) > KEEP and self._cancel(client, load):
                    pass
                cycle += 1
        finally:
            client.close()

    def _send(
        self,
        client: _Client,
        load: LoadAccount,
        kind: str,
        method: str,
        path: str,
        body: object | None = None,
    ) -> tuple[Outcome, object]:
        sent = time.monotonic()
        try:
            status, answer = client.request(method, path, load.account.token, body)
            reason = "" if status == EXPECTED[kind] else f"HTTP {status}"
        except Exception as error:  # every failure counts, with its kind of exception
            status, answer, reason = 0, None, type(error).__name__
        outcome = Outcome(kind, sent, time.monotonic(), reason)
        if kind != "write" or reason:  # a 201 is added with its record, below
            self.tally.add(outcome)
        self._stop.wait(self.pause)
        return outcome, answer

    def _write(self, client: _Client, load: LoadAccount) -> Written | None:
        start, end = slot(load.base, load.next_slot)
        load.next_slot += 1  # never again, even if the answer was lost: it may have committed
        body = domain.write_body(load.account.item, start, end, "cluster ledger")
        outcome, answer = self._send(client, load, "write", "POST", domain.RECORDS, body)
        if not outcome.ok:
            return None
        assert isinstance(answer, dict), answer
        account = load.account
        written = Written(answer["id"], account.item, account.username, start, end, _now())
        self.tally.add(outcome, written)
        load.held.append(written)
        return written

    def _read(self, client: _Client, load: LoadAccount, written: Written) -> None:
        path = domain.record_path(written.id)
        outcome, answer = self._send(client, load, "read", "GET", path)
        if outcome.ok and not _same(written, answer):
            self.tally.add(Outcome("read", outcome.sent, outcome.done, "read mismatch"))

    def _conflict(self, client: _Client, load: LoadAccount) -> None:
        newest = load.held[-1]
        start, end = overlapping_slot(newest.start, newest.end)
        body = domain.write_body(newest.item, start, end)
        outcome, answer = self._send(client, load, "conflict", "POST", domain.RECORDS, body)
        if outcome.reason == "HTTP 201" and isinstance(answer, dict):
            # Acknowledged, so it goes in the ledger: the overlap check will find it too.
            owner = load.account.username
            written = Written(answer["id"], newest.item, owner, start, end, _now())
            self.tally.add(Outcome("write", outcome.sent, outcome.done), written)

    def _cancel(self, client: _Client, load: LoadAccount) -> bool:
        """Cancel the oldest held record; cancelling twice is fine (204), so a lost answer
        is simply tried again next cycle."""
        oldest = load.held[0]
        path = domain.record_path(oldest.id)
        outcome, _ = self._send(client, load, "cancel", "DELETE", path)
        if outcome.ok:
            load.held.popleft()
        return outcome.ok

    @staticmethod
    def _list_path(load: LoadAccount) -> str:
        return domain.owner_records_path(load.user_id)


def _same(written: Written, answer: object) -> bool:
    return domain.same_record(answer, written.id, written.item, written.start, written.end)


def _now() -> datetime:
    return datetime.now(UTC)
