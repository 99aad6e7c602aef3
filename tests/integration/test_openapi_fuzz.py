"""Schemathesis against the app's own OpenAPI document, in process (pytest-django's live
server thread on loopback, with the test database), authenticated:
all phases (examples, coverage, fuzzing, stateful), all checks, a fixed seed. Zero failures
means every response the API gives is declared and matches its schema, no input makes a 5xx,
and authentication is never ignored."""

import tomllib
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from example_api.bookings.models import Resource
from tests.factories import issue_token
from tests.integration import schemathesis_checks

pytestmark = pytest.mark.django_db(transaction=True)

SEED = 20261124
MAX_EXAMPLES = 40

# What schemathesis accepts for schema-valid input, and why: schemathesis.toml, which an
# outside `schemathesis run` reads too.
PROJECT_CONFIG = tomllib.loads((Path(__file__).parents[2] / "schemathesis.toml").read_text())
POSITIVE_STATUSES = PROJECT_CONFIG["checks"]["positive_data_acceptance"]["expected-statuses"]


def config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {token}"},
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": False},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": 200},
            },
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES},
            },
        }
    )


def test_openapi_contract_holds_under_fuzzing(make_user, live_server, capsys, settings):
    Resource.objects.create(name="Fuzzed room")
    # >>> part assistant
    # The assistant on, so its endpoints answer 202; no worker runs, so no model is called.
    settings.ASSISTANT_API_KEY = "sk-test-only"
    # <<< part assistant
    token = issue_token(make_user("fuzzer", staff=True))
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/openapi.json", config=config(token)
    )
    cases: Counter[str] = Counter()
    failures: list[str] = []
    errors: list[str] = []
    checks_run: Counter[str] = Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.label or "stateful"
            cases[label] += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    checks_run[check.name] += 1
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(
                            f"{label}: {check.name}: {failure.title}: {failure.message}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(str(getattr(event, "info", event)))
    with capsys.disabled():
        print(f"\n  schemathesis cases per operation (seed {SEED}):")
        for label, count in sorted(cases.items()):
            print(f"    {count:5d}  {label}")
        print(f"  total {sum(cases.values())} cases, {len(failures)} failures")
        print("  checks run: " + ", ".join(f"{n} x{c}" for n, c in sorted(checks_run.items())))
    assert not errors, errors
    assert not failures, "\n".join(sorted(set(failures)))
    assert sum(cases.values()) > 500
    assert {
        "ignored_auth",
        "not_a_server_error",
        "response_schema_conformance",
        schemathesis_checks.only_rules_reject_valid_data.__name__,
    } <= set(checks_run)
