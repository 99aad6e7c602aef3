"""The deployed host's outside services on the lab machine: where they listen, how the host
is configured for them, and the processes that serve them (lab_services.py).

At bring-up, before the first run of site.yml, `configure` gives the Debian 13 host's
inventory an SMTP server and an OpenAI-compatible API at the lab machine's side of its veth
(10.213.N.1, lab/lab.sh), on ports free there now: EMAIL_HOST and EMAIL_PORT in
app_extra_environment, the assistant's base URL, and its API key in a vault file of its own
(generated here, encrypted with the inventory's vault password, never in the repository).
Every deploy of the session then carries them; the tests start the services when they need
them. Traffic goes only between the lab machine and its host.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Self

from tests.harness.labhost import REPO
from tests.harness.ports import free_port

if TYPE_CHECKING:
    from tests.harness.labhost import LabHost


@dataclass(frozen=True)
class Endpoints:
    address: str  # the lab machine, as the host sees it
    smtp_port: int
    openai_port: int
    api_key: str


# By host name; filled at bring-up, read by the tests.
ENDPOINTS: dict[str, Endpoints] = {}


def configure(host: LabHost) -> Endpoints:
    """Point the host's inventory at services on the lab machine (before its first run)."""
    address = host.address.rsplit(".", 1)[0] + ".1"
    endpoints = Endpoints(
        address, free_port(address), free_port(address), f"lab-{secrets.token_urlsafe(24)}"
    )
    group_vars = host.inventory / "group_vars" / "all"
    (group_vars / "lab_services.yml").write_text(
        "---\n# Written by tests/deploy/upstreams.py: services on the lab machine.\n"
        "app_extra_environment:\n"
        f'  EMAIL_HOST: "{endpoints.address}"\n'
        f'  EMAIL_PORT: "{endpoints.smtp_port}"\n'
        f'app_assistant_base_url: "http://{endpoints.address}:{endpoints.openai_port}/v1"\n'
        'app_assistant_api_key: "{{ vault_app_assistant_api_key }}"\n'
    )
    vault = group_vars / "lab_services_vault.yml"
    vault.write_text(f'---\nvault_app_assistant_api_key: "{endpoints.api_key}"\n')
    vault.chmod(0o600)
    encrypted = subprocess.run(
        [
            "ansible-vault",
            "encrypt",
            *("--vault-password-file", str(host.inventory / "vault-pass")),
            str(vault),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert encrypted.returncode == 0, f"ansible-vault encrypt {vault}: {encrypted.stderr}"
    ENDPOINTS[host.name] = endpoints
    return endpoints


class LabService:
    """One of lab_services.py's services, running until the `with` block ends."""

    def __init__(self, kind: str, address: str, port: int, *extra: str) -> None:
        # The project's interpreter and dependencies (uv.lock), as `make install` makes them.
        self._command = ["uv", "run", "--frozen", "python", "-m", "tests.deploy.lab_services"]
        self._command += [kind, address, str(port), *extra]

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(
            self._command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self._stdin: IO[str] = self._process.stdin  # type: ignore[assignment]
        self._stdout: IO[str] = self._process.stdout  # type: ignore[assignment]
        ready = self._answer()
        assert ready == {"ready": True}, ready
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stdin.close()
        self._process.wait(timeout=30)

    def _answer(self) -> dict[str, Any]:
        line = self._stdout.readline()
        if not line:
            raise RuntimeError(f"{' '.join(self._command)} exited: {self._process.wait()}")
        return dict(json.loads(line))

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        self._stdin.write(json.dumps(command) + "\n")
        self._stdin.flush()
        return self._answer()

    def report(self) -> dict[str, Any]:
        return self._ask({"report": True})

    def script(self, **proposal: str) -> None:
        assert self._ask({"script": proposal}) == {"scripted": True}


def smtp_sink(endpoints: Endpoints, delay: float) -> LabService:
    return LabService("smtp", endpoints.address, endpoints.smtp_port, str(delay))


def fake_openai(endpoints: Endpoints) -> LabService:
    return LabService("openai", endpoints.address, endpoints.openai_port)
