"""The load test's assistant share, without running it: the fake model's load-mode answers
pass the app's validation, and the assistant budgets fail on a moved p99, a request that was
not proposed, or a slow queue."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from example_api.assistant import prompt, proposal
from load import phases
from load.assistant import Outcomes, budgets_broken
from tests.fakes.openai_server import Proposer

BUDGETS = {"assistant": {"others_p99_max_ratio": 1.5, "queue_p95_max_s": 10}}
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_load_fake_proposes_the_named_resource_tomorrow_and_the_app_accepts_it(resource):
    now = datetime.now(BERLIN)
    names = ["Other room", resource.name]
    body = {
        "messages": prompt.messages(
            sentence=f"{resource.name} tomorrow for the review", resource_names=names, now_local=now
        )
    }
    reply = Proposer(latency=(0.2, 0.4))(body)
    assert 0.2 <= reply.delay <= 0.4
    content = json.loads(reply.body)["choices"][0]["message"]["content"]
    found = proposal.parse(content, zone=BERLIN)
    assert found.resource == resource
    assert found.start.astimezone(BERLIN).date() == (now + timedelta(days=1)).date()
    assert found.end - found.start == timedelta(hours=1)


def test_the_load_fake_refuses_what_is_not_a_booking_prompt():
    reply = Proposer()({"messages": [{"role": "user", "content": "hello"}]})
    assert reply.status == 400


def row(p99: float) -> phases.Row:
    return phases.Row(requests=100, failures=0, seconds=10, p50=p99 / 4, p95=p99 / 2, p99=p99)


PROPOSED = Outcomes(states={"proposed": 3}, codes={}, queue_seconds=[2.0, 3.0, 4.0])


def test_assistant_budgets_hold_when_the_other_p99_stays():
    others = {"without": row(100), "with": row(140)}
    assert budgets_broken(others, PROPOSED, BUDGETS) == []


def test_a_moved_p99_breaks_the_ratio_budget():
    others = {"without": row(100), "with": row(160)}
    assert budgets_broken(others, PROPOSED, BUDGETS) == [
        "assistant traffic moved the other endpoints' p99 1.60x (100 -> 160 ms) > 1.5"
    ]


def test_a_failed_request_and_a_slow_queue_break_budgets():
    others = {"without": row(100), "with": row(100)}
    outcomes = Outcomes(
        states={"proposed": 1, "failed": 1},
        codes={"assistant_upstream_error": 1},
        queue_seconds=[30.0],
    )
    broken = budgets_broken(others, outcomes, BUDGETS)
    assert len(broken) == 2
    assert "failed" in broken[0]
    assert broken[1].startswith("assistant queue p95 30.0 s")


def test_no_proposal_at_all_breaks_the_budget():
    others = {"without": row(100), "with": row(100)}
    empty = Outcomes(states={}, codes={}, queue_seconds=[])
    assert budgets_broken(others, empty, BUDGETS) == ["no assistant request reached `proposed`"]
