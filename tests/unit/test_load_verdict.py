"""The load test's ordinary verdict, without running it (every fork keeps it): percentiles
are nearest-rank, endpoint budgets break on a slow or missing endpoint, 5xx answers and
failures break the run, and a run without extra traffic measures its "with" blocks as
"without"."""

from typing import Any

from load import phases, verdict
from load.traffic import no_traffic_blocks

ENDPOINTS: dict[str, Any] = {
    "endpoints": {
        "POST /auth/token/": {"p50_ms": 1000},
        "GET /a/": {"p50_vs_others": 2.0, "p99_ms": 500},
        "GET /b/": {"p50_vs_others": 2.0, "p99_ms": 500},
    },
    "errors": {"max_ratio": 0.0},
}


def row(p99: float) -> phases.Row:
    return phases.Row(requests=100, failures=0, seconds=10, p50=p99 / 4, p95=p99 / 2, p99=p99)


def sample(status: int = 200, name: str = "GET /a/", failed: bool = False) -> phases.Sample:
    return phases.Sample(block=1, phase="without", name=name, ms=5.0, status=status, failed=failed)


def rows(a: float, b: float) -> dict[str, dict[str, phases.Row]]:
    return {
        "login": {"POST /auth/token/": row(400)},
        "without": {"GET /a/": row(a), "GET /b/": row(b)},
    }


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert phases.percentile(values, 0.99) == 99.0
    assert phases.percentile(values, 0.5) == 50.0
    assert phases.percentile([7.0], 0.99) == 7.0
    assert phases.percentile([], 0.99) == 0.0


def test_endpoints_within_budget_break_nothing():
    assert verdict.endpoint_budgets(rows(400, 400), ENDPOINTS) == []


def test_a_slow_endpoint_breaks_its_p99_and_its_p50_against_the_others():
    broken = verdict.endpoint_budgets(rows(400, 1200), ENDPOINTS)
    assert broken == ["GET /b/: p99_ms 1200 ms > 500", "GET /b/: p50_vs_others 3.00 > 2.0"]


def test_an_endpoint_never_requested_or_without_budget_is_named():
    seen = rows(400, 400)
    seen["without"]["GET /c/"] = row(100)
    budgets = {"endpoints": {**ENDPOINTS["endpoints"], "GET /d/": {"p99_ms": 500}}}
    assert verdict.endpoint_budgets(seen, budgets) == [
        "GET /c/: no budget in budgets.toml; add one",
        "GET /d/: never requested in the 'without' phase",
    ]


def test_5xx_answers_and_failures_break_the_run():
    samples = [sample(), sample(502, "GET /b/", failed=True)]
    assert verdict.server_errors(samples) == ["1 answers 5xx (GET /b/)"]
    assert verdict.error_budget(samples, ENDPOINTS)[0].startswith("error ratio 0.5000 > 0.0")
    assert verdict.server_errors([sample()]) == verdict.error_budget([sample()], ENDPOINTS) == []
    assert verdict.error_budget([], ENDPOINTS) == ["no requests were made"]


def test_without_extra_traffic_the_with_blocks_are_named_without():
    blocks = ["warmup:8", "without:7", "with:14", "without:14"]
    assert no_traffic_blocks(blocks) == ["warmup:8", "without:7", "without:14", "without:14"]
