"""A flood from one address cannot fill the disk: nginx answers it 429 without a log line
per rejected request, and the site's logs rotate by size as well as daily.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from tests.harness import domain
from tests.harness.labhost import FIGURES, LabHost, PinnedHTTPSConnection

LOGS = "/var/log/nginx/example_api-access.log /var/log/nginx/example_api-error.log"


def _sizes(host: LabHost) -> list[int]:
    return [int(n) for n in host.sudo(f"stat -c %s {LOGS} /var/log/nginx/error.log").split()]


def _flood(host: LabHost, seconds: float, connections: int = 8) -> Counter[int]:
    """Keep-alive HTTPS requests from this machine, as fast as they go."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    assert host.request("GET", "/healthz")[0] == 200  # makes the TLS context
    tls = host._tls
    assert tls is not None

    def client() -> None:
        conn = PinnedHTTPSConnection(host.address, host.domain, tls)
        seen: Counter[int] = Counter()
        while time.monotonic() < deadline:
            conn.request("GET", domain.ITEMS, headers={"Host": host.domain})
            response = conn.getresponse()
            response.read()
            seen[response.status] += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = PinnedHTTPSConnection(host.address, host.domain, tls)
        conn.close()
        with lock:
            statuses.update(seen)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_rejected_requests_are_not_logged(deployed: LabHost) -> None:
    before = _sizes(deployed)
    statuses = _flood(deployed, seconds=10)
    after = _sizes(deployed)
    FIGURES["flood: requests in 10 s"] = sum(statuses.values())
    FIGURES["flood: answered 429"] = statuses[429]
    FIGURES["flood: bytes logged"] = sum(after) - sum(before)
    assert statuses[429] > 0.8 * sum(statuses.values()), statuses
    # One access-log line (< 300 bytes) per request that got through, nothing for the rest.
    let_through = sum(statuses.values()) - statuses[429]
    assert after[0] - before[0] < 300 * let_through + 1000
    assert after[1:] == before[1:]


def test_logs_rotate_by_size(deployed: LabHost) -> None:
    log = "/var/log/nginx/example_api-access.log"
    deployed.sudo(f"truncate -s 150M {log}")
    deployed.sudo("logrotate /etc/logrotate.d/slipway-nginx")
    assert int(deployed.sudo(f"stat -c %s {log}")) < 1_000_000
    assert "OnCalendar=hourly" in deployed.sudo("systemctl cat logrotate.timer")
