"""Steady load through lb1 while a scenario runs, with a ledger of acknowledged bookings.

One thread per load account (its own user and resource). Each cycle books the next free
half-hour of its resource, reads the booking back, and now and then lists the user's
bookings, tries a slot that overlaps its newest booking (which must be refused, 409) and
cancels its oldest ones: users may hold only BOOKING_MAX_ACTIVE_PER_USER (20) active
bookings, and a write that timed out may have committed unseen, so each keeps at most KEEP.

Every 201 goes into the ledger (tally.Booked); a timeout, a reset or a 5xx counts as failed
and its booking is not in the ledger (unacknowledged). Client timeouts are short, so a dead
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

from labhost import PinnedHTTPSConnection
from tally import (
    EXPECTED,
    Booked,
    Outcome,
    Tally,
    calendar_base,
    first_failure,
    overlapping_slot,
    slot,
    write_recovered,
)

if TYPE_CHECKING:
    from accounts import Account
    from topology import Balancer

TIMEOUT = 5.0  # seconds a request may take before it counts as failed
# Seconds a load thread waits after each answer: about 7 requests/s through lb1 from 6 threads.
# Serving them costs the lab hosts about a third of a core; unpaced (0.2 s, ~20 requests/s)
# it was over a core of this 2-core machine, which slowed every playbook run under load.
PAUSE = 0.75
KEEP = 10  # confirmed bookings a load user holds at most (the cap is 20)


@dataclass
class LoadAccount:
    """A load thread's user and resource, and its place in the resource's calendar (kept
    across scenarios: the calendar only moves forward, held bookings carry over)."""

    account: Account
    user_id: int
    base: datetime = field(default_factory=calendar_base)
    next_slot: int = 0
    held: deque[Booked] = field(default_factory=deque)


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
        sink: list[Booked] | None = None,
    ) -> None:
        self.lb, self.accounts, self.pause = lb, accounts, pause
        self.tls = lb.tls_context()  # fetched once, before the threads start
        self.tally = Tally()
        self.sink = sink  # the session's list of every acknowledged booking, if given
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
            self.sink.extend(self.tally.booked)

    @property
    def booked(self) -> list[Booked]:
        return self.tally.booked

    @property
    def failed(self) -> int:
        return self.tally.failed + len(self.died)

    def wait_for_writes_after(self, since: float, timeout: float, calm: float = 10.0) -> bool:
        """Wait until bookings are acknowledged again after an outage that began at `since`
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
                booked = self._book(client, load)
                if booked:
                    self._read(client, load, booked)
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
        if kind != "book" or reason:  # a 201 is added with its booking, below
            self.tally.add(outcome)
        self._stop.wait(self.pause)
        return outcome, answer

    def _book(self, client: _Client, load: LoadAccount) -> Booked | None:
        start, end = slot(load.base, load.next_slot)
        load.next_slot += 1  # never again, even if the answer was lost: it may have committed
        body = {
            "resource_id": load.account.resource_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "note": "cluster ledger",
        }
        outcome, answer = self._send(client, load, "book", "POST", "/api/v1/bookings/", body)
        if not outcome.ok:
            return None
        assert isinstance(answer, dict), answer
        account = load.account
        booked = Booked(answer["id"], account.resource_id, account.username, start, end, _now())
        self.tally.add(outcome, booked)
        load.held.append(booked)
        return booked

    def _read(self, client: _Client, load: LoadAccount, booked: Booked) -> None:
        outcome, answer = self._send(client, load, "read", "GET", f"/api/v1/bookings/{booked.id}/")
        if outcome.ok and not _same(booked, answer):
            self.tally.add(Outcome("read", outcome.sent, outcome.done, "read mismatch"))

    def _conflict(self, client: _Client, load: LoadAccount) -> None:
        newest = load.held[-1]
        start, end = overlapping_slot(newest.start, newest.end)
        body = {
            "resource_id": newest.resource_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        outcome, answer = self._send(client, load, "conflict", "POST", "/api/v1/bookings/", body)
        if outcome.reason == "HTTP 201" and isinstance(answer, dict):
            # Acknowledged, so it goes in the ledger: the overlap check will find it too.
            owner = load.account.username
            booked = Booked(answer["id"], newest.resource_id, owner, start, end, _now())
            self.tally.add(Outcome("book", outcome.sent, outcome.done), booked)

    def _cancel(self, client: _Client, load: LoadAccount) -> bool:
        """Cancel the oldest held booking; cancelling twice is fine (204), so a lost answer
        is simply tried again next cycle."""
        oldest = load.held[0]
        outcome, _ = self._send(client, load, "cancel", "DELETE", f"/api/v1/bookings/{oldest.id}/")
        if outcome.ok:
            load.held.popleft()
        return outcome.ok

    @staticmethod
    def _list_path(load: LoadAccount) -> str:
        return f"/api/v1/users/{load.user_id}/bookings/?limit=5"


def _same(booked: Booked, answer: object) -> bool:
    if not isinstance(answer, dict):
        return False
    start = datetime.fromisoformat(answer["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(answer["end"].replace("Z", "+00:00"))
    expected = (booked.id, booked.resource_id, booked.start, booked.end)
    return (answer["id"], answer["resource_id"], start, end) == expected


def _now() -> datetime:
    return datetime.now(UTC)
