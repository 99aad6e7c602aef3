"""Clients that keep a deployed host busy while it deploys, counting every request that fails.

Two kinds, because a switch can lose requests in two ways:

- HealthLoad opens a new connection for every request (GET /healthz): it sees requests that
  reach no instance (nothing listening, a refused or reset connection to the app);
- KeepAliveLoad keeps its connections to nginx open, as browsers and SDKs do, and sends GETs
  (/healthz) and POSTs (a new item, domain.py): it also sees a connection nginx closes under it
  (a reload ends idle keep-alive connections) and a POST that is lost or answered 5xx.

Either counts as failed every answer that is not the expected 2xx, and every exception.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Self

from tests.harness import domain
from tests.harness.labhost import PinnedHTTPSConnection

if TYPE_CHECKING:
    import ssl

    from tests.harness.labhost import LabHost

# Seconds a worker waits between its requests: ~20 a second each still finds any gap of the
# switch longer than that, without the clients taking the cores the deploy under test needs
# (unpaced, they kept both cores of a 2-core machine busy).
PAUSE = 0.05


class _Load:
    """Worker threads that run until the `with` block ends (and one second after it)."""

    def __init__(self, host: LabHost, workers: int) -> None:
        self.host = host
        self.sent = self.failed = 0
        self.errors: list[str] = []
        self.versions: set[str] = set()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._guarded, args=(index,), daemon=True)
            for index in range(workers)
        ]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        time.sleep(1)  # requests after the switch too
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _count(self, ok: bool, detail: str = "") -> None:
        with self._lock:
            self.sent += 1
            if not ok:
                self.failed += 1
                self.errors.append(detail)

    def _guarded(self, index: int) -> None:
        try:
            self._run(index)
        except Exception as error:  # a worker that dies counts, it does not pass silently
            self._count(False, f"worker {index} died: {error!r}")

    def _run(self, index: int) -> None:
        raise NotImplementedError


class HealthLoad(_Load):
    """Two threads asking /healthz through nginx, a new connection for each request."""

    def __init__(self, host: LabHost) -> None:
        super().__init__(host, workers=2)

    def _run(self, index: int) -> None:
        while not self._stop.is_set():
            try:
                status, _, body = self.host.request("GET", "/healthz")
                if status == 200:
                    self.versions.add(body["version"])
                    self._count(True)
                else:
                    self._count(False, f"HTTP {status}: {str(body)[:200]}")
            except Exception as error:  # every failure counts
                self._count(False, repr(error))
            self._stop.wait(PAUSE)


class _CountedConnection(PinnedHTTPSConnection):
    """An HTTPS connection that counts how often it (re)connects."""

    def __init__(self, load: KeepAliveLoad, address: str, name: str, tls: ssl.SSLContext) -> None:
        super().__init__(address, name, tls)
        self._load = load

    def connect(self) -> None:
        super().connect()
        with self._load._lock:
            self._load.connections += 1


class KeepAliveLoad(_Load):
    """Persistent HTTPS connections to nginx: `getters` threads GET /healthz (PAUSE apart), one
    thread POSTs a new item (as staff) every `post_interval` seconds, which keeps it under
    nginx's /api/ rate limit. A connection is opened again only when it fails or nginx ends
    it cleanly (Connection: close after keepalive_requests), so `connections` stays small."""

    def __init__(
        self, host: LabHost, staff_token: str, getters: int = 2, post_interval: float = 0.1
    ) -> None:
        super().__init__(host, workers=getters + 1)
        self.staff_token = staff_token
        self.post_interval = post_interval
        self.connections = 0
        self.posts = 0
        self._tls = host.tls_context()

    def _run(self, index: int) -> None:
        conn = _CountedConnection(self, self.host.address, self.host.domain, self._tls)
        posting = index == len(self._threads) - 1
        try:
            while not self._stop.is_set():
                self._one(conn, posting)
                self._stop.wait(self.post_interval if posting else PAUSE)
        finally:
            conn.close()

    def _one(self, conn: _CountedConnection, posting: bool) -> None:
        headers = {"Host": self.host.domain, "Accept": "application/json"}
        try:
            if posting:
                body = json.dumps(domain.item_body("load"))
                headers |= {"Authorization": f"Bearer {self.staff_token}"}
                headers |= {"Content-Type": "application/json"}
                conn.request("POST", domain.ITEMS, body=body, headers=headers)
            else:
                conn.request("GET", "/healthz", headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except Exception as error:  # a closed or reset connection: counts, then reconnect
            conn.close()
            self._count(False, f"{'POST' if posting else 'GET'}: {error!r}")
            return
        expected = 201 if posting else 200
        if response.status != expected:
            self._count(False, f"HTTP {response.status}: {raw[:200]!r}")
            return
        if posting:
            with self._lock:
                self.posts += 1
        else:
            self.versions.add(json.loads(raw)["version"])
        self._count(True)
