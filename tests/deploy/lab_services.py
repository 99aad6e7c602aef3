"""The outside services of a deployed host, run on the lab machine: an SMTP sink for the job
worker's e-mails and the fake OpenAI-compatible server (tests/fakes/openai_server.py) for the
assistant, each bound to the address the host reaches the machine on (its veth's side).

The deploy tests start this with the project's interpreter (it needs aiosmtpd and the openai
SDK, which the deploy tools' venv has not) and talk to it over its stdin and stdout, a JSON
line each way (upstreams.py):

    python -m tests.deploy.lab_services smtp ADDRESS PORT DELAY_SECONDS
    python -m tests.deploy.lab_services openai ADDRESS PORT

It prints {"ready": true} once it listens. Commands: {"report": true} prints what arrived so
far ({"mails": [...]} or {"requests": [...]}); {"script": {...}} (openai) queues a proposal
as the next reply. It stops when its stdin closes.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller

from tests.fakes.openai_server import FakeOpenAI, proposal
from tests.harness import domain


class SlowInbox:
    """Keeps every message; answers each DATA after `delay` seconds, so a job sending one is
    still running when its worker is asked to stop."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.mails: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content)
        body = message.get_payload(decode=True)
        text = body.decode(errors="replace") if isinstance(body, bytes) else ""
        found = domain.mail_ref.search(text)
        with self._lock:
            self.mails.append(
                {
                    "to": envelope.rcpt_tos,
                    "subject": message["Subject"],
                    "record_id": int(found.group(1)) if found else None,
                }
            )
        return "250 OK"

    def report(self) -> dict[str, Any]:
        with self._lock:
            return {"mails": list(self.mails)}


def _say(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def _serve(commands: Any, report: Any) -> None:
    _say({"ready": True})
    for line in sys.stdin:
        command = json.loads(line)
        if "report" in command:
            _say(report())
        elif "script" in command:
            commands(command["script"])
            _say({"scripted": True})


def main(argv: list[str]) -> None:
    kind, address, port = argv[0], argv[1], int(argv[2])
    if kind == "smtp":
        inbox = SlowInbox(float(argv[3]))
        controller = Controller(inbox, hostname=address, port=port)
        controller.start()
        try:
            _serve(lambda _: None, inbox.report)
        finally:
            controller.stop()
    elif kind == "openai":
        with FakeOpenAI(address, port=port) as fake:

            def report() -> dict[str, Any]:
                return {
                    "requests": [
                        {"body": received.body, "authorization": received.authorization}
                        for received in fake.requests
                    ]
                }

            _serve(lambda fields: fake.script(proposal(**fields)), report)
    else:
        raise SystemExit(f"unknown service {kind!r}: smtp or openai")


if __name__ == "__main__":
    main(sys.argv[1:])
