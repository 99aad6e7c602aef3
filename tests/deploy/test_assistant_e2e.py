"""The assistant end to end on the deployed host: a request through nginx, the job
worker asking the fake OpenAI-compatible server on the lab machine (lab_services.py), the
proposal read back through nginx.

The host was deployed with the assistant's base URL and its API key (a vault variable of the
test inventory, upstreams.py) from its first run on. The key must reach the upstream and stay
in the secret environment file: not in release.env, not in any log line.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from jobload import WORKER
from upstreams import ENDPOINTS, fake_openai

from tests.harness import domain
from tests.harness.accounts import user_id
from tests.harness.domain import Actor
from tests.harness.labhost import TIMINGS, LabHost

APP = "example_api"
ZONE = "Europe/Berlin"


def _wait_for_answer(host: LabHost, token: str, request_id: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status, _, body = host.request(
            "GET", f"/api/v1/assistant/requests/{request_id}/", token=token
        )
        assert status == 200, body
        assert isinstance(body, dict)
        if body["state"] != "pending" or time.monotonic() > deadline:
            return body
        time.sleep(0.5)


def test_an_assistant_request_is_answered_through_the_deployed_host(
    deployed: LabHost, account: Actor
) -> None:
    if deployed.name not in ENDPOINTS:
        pytest.fail(f"{deployed.name} was not configured for the lab's services (conftest)")
    endpoints = ENDPOINTS[deployed.name]
    name = domain.item_name(deployed, account)
    day = (datetime.now(ZoneInfo(ZONE)) + timedelta(days=6)).date()
    sentence = domain.assistant_sentence(name, day)
    with fake_openai(endpoints) as fake:
        fake.script(**domain.assistant_script(name, day))
        started = time.monotonic()
        status, _, created = deployed.request(
            "POST",
            "/api/v1/assistant/requests/",
            {"text": sentence, "time_zone": ZONE},
            token=account.token,
        )
        assert status == 202, created
        assert isinstance(created, dict)
        assert created["state"] == "pending", created
        answer = _wait_for_answer(deployed, account.token, created["id"])
        TIMINGS["assistant request: 202 -> proposed (worker, fake upstream)"] = (
            time.monotonic() - started
        )
        received = fake.report()["requests"]

    assert answer["state"] == "proposed", answer
    local = ZoneInfo(ZONE)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=local)
    proposal = answer["proposal"]
    assert domain.proposal_matches(proposal, account, name, start), proposal
    assert answer["usage"] == {"prompt_tokens": 120, "completion_tokens": 30}  # the fake's counts
    # One call upstream, with the vault's key, the user's sentence and the real item names.
    assert len(received) == 1, received
    assert received[0]["authorization"] == f"Bearer {endpoints.api_key}"
    prompt = json.dumps(received[0]["body"]["messages"])
    assert sentence in prompt
    assert name in prompt
    logged = deployed.sudo(f"journalctl --quiet --output=cat -u '{APP}@*' -u '{WORKER}@*'")
    assert sentence not in logged  # docs/assistant.md, "What is logged"
    print(f"\nassistant on {deployed.name}: 202, then proposed {proposal}")

    # The assistant proposes, it does not write.
    owner = user_id(deployed, account.token)
    path = domain.owner_records_path(owner, 100)
    status, _, records = deployed.request("GET", path, token=account.token)
    assert status == 200, records
    assert isinstance(records, dict)
    assert all(r["start"] != proposal["start"] for r in records["items"]), records


def test_the_assistant_key_stays_in_the_secret_environment(deployed: LabHost) -> None:
    if deployed.name not in ENDPOINTS:
        pytest.fail(f"{deployed.name} was not configured for the lab's services (conftest)")
    key = ENDPOINTS[deployed.name].api_key
    # The key goes to grep on its stdin, never on a command line: sudo logs command lines.
    result = deployed.ssh(
        "deploy", f"sudo -n grep -cxF -f - /etc/{APP}/env", input_text=f"ASSISTANT_API_KEY={key}\n"
    )
    assert result.stdout.strip() == "1", result
    assert deployed.sudo(f"stat -c '%U:%G %a' /etc/{APP}/env").strip() == f"root:{APP} 640"
    # Nowhere else: not in a release (release.env), not in any log.
    elsewhere = deployed.ssh(
        "deploy",
        f"sudo -n grep -rlF -f - /srv/{APP}/releases/ /srv/{APP}/deploys.log /var/log/",
        input_text=key + "\n",
    )
    assert elsewhere.returncode == 1, elsewhere.stdout  # grep: no file holds it
    journal = deployed.sudo("journalctl --quiet --output=cat")  # compressed entries too
    assert key not in journal
