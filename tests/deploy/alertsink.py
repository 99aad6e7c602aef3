"""A webhook receiver for Alertmanager, run by the deploy tests on the lab machine.

It listens on the machine's side of a lab host's veth (the address the host reaches, see
lab/lab.sh) and keeps every notification with the time it arrived.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Notice:
    """One alert of one notification: its name, its status (firing, resolved), its labels."""

    received: float  # time.monotonic()
    alertname: str
    status: str
    labels: dict[str, str]


class AlertSink:
    """Alertmanager's webhook_configs target: POST / with its JSON payload."""

    def __init__(self, address: str) -> None:
        self.notices: list[Notice] = []
        self._arrived = threading.Condition()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                now = time.monotonic()
                with sink._arrived:
                    for alert in payload.get("alerts", []):
                        labels = alert.get("labels", {})
                        notice = Notice(now, labels.get("alertname", ""), alert["status"], labels)
                        sink.notices.append(notice)
                    sink._arrived.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass  # the test reports what arrived

        self._server = ThreadingHTTPServer((address, 0), Handler)
        self.url = f"http://{address}:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> AlertSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, alertname: str, status: str, timeout: float) -> Notice | None:
        """The first notice of this alert in this status, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for notice in self.notices:
                    if (notice.alertname, notice.status) == (alertname, status):
                        return notice
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._arrived.wait(left)
