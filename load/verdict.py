"""The budgets of load/budgets.toml against one run's samples and assistant outcomes.

- the login ramp ("login" phase): the login's own budgets;
- the ordinary mix alone ("without"): every ordinary endpoint's p50_vs_others, p95 and p99;
- with assistant traffic ("with"): the assistant endpoints' p95 and p99, and the ordinary
  endpoints' p99 (pooled) at most `others_p99_max_ratio` times their p99 without;
- the whole run: the error ratio, no 5xx, every assistant request proposed, the queue's p95.
"""

from typing import Any

from load import phases
from load.assistant import Outcomes

Phases = dict[str, dict[str, phases.Row]]


def _over(name: str, row: phases.Row, budget: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [
        f"{name}: {key} {row.get(key[:-3]):.0f} ms > {budget[key]}"
        for key in keys
        if key in budget and row.get(key[:-3]) > budget[key]
    ]


def endpoint_budgets(rows: Phases, budgets: dict[str, Any]) -> list[str]:
    endpoints: dict[str, dict[str, Any]] = budgets["endpoints"]
    broken = []
    seen = {name for phase in rows.values() for name in phase}
    broken += [f"{name}: no budget in budgets.toml; add one" for name in seen - set(endpoints)]
    relative = phases.relative_p50(
        rows["without"], [n for n, b in endpoints.items() if "p50_vs_others" in b]
    )
    for name, budget in endpoints.items():
        phase = (
            "login" if name == phases.LOGIN else "without" if phases.is_ordinary(name) else "with"
        )
        row = rows[phase].get(name)
        if row is None:
            broken.append(f"{name}: never requested in the {phase!r} phase")
            continue
        broken += _over(name, row, budget, ("p50_ms", "p95_ms", "p99_ms"))
        if "p50_vs_others" in budget and relative[name] > budget["p50_vs_others"]:
            broken.append(f"{name}: p50_vs_others {relative[name]:.2f} > {budget['p50_vs_others']}")
    return broken


def assistant_budgets(
    others: dict[str, phases.Row],
    samples: list[phases.Sample],
    outcomes: Outcomes,
    budgets: dict[str, Any],
) -> list[str]:
    limits = budgets["assistant"]
    broken = []
    moved = phases.ratio(others["with"].p99, others["without"].p99)
    if moved > limits["others_p99_max_ratio"]:
        broken.append(
            f"assistant traffic moved the other endpoints' p99 {moved:.2f}x "
            f"({others['without'].p99:.0f} -> {others['with'].p99:.0f} ms) > "
            f"{limits['others_p99_max_ratio']}"
        )
    server_errors = [s for s in samples if s.status >= 500]
    if server_errors:
        names = sorted({s.name for s in server_errors})
        broken.append(f"{len(server_errors)} answers 5xx ({', '.join(names)})")
    if not outcomes.states.get("proposed"):
        broken.append("no assistant request reached `proposed`")
    not_proposed = {k: v for k, v in outcomes.states.items() if k != "proposed"}
    if not_proposed:
        broken.append(
            f"assistant requests not proposed at the end: {not_proposed} {outcomes.codes}"
        )
    if outcomes.queue("p95") > limits["queue_p95_max_s"]:
        broken.append(
            f"assistant queue p95 {outcomes.queue('p95'):.1f} s > {limits['queue_p95_max_s']} s"
        )
    return broken


def error_budget(samples: list[phases.Sample], budgets: dict[str, Any]) -> list[str]:
    if not samples:
        return ["no requests were made"]
    failures = sum(s.failed for s in samples)
    if failures / len(samples) > budgets["errors"]["max_ratio"]:
        return [
            f"error ratio {failures / len(samples):.4f} > {budgets['errors']['max_ratio']} "
            f"({failures} of {len(samples)}; see locust_failures.csv)"
        ]
    return []


def table(rows: Phases, others: dict[str, phases.Row], budgets: dict[str, Any]) -> list[str]:
    relative = phases.relative_p50(
        rows["without"],
        [n for n, b in budgets["endpoints"].items() if "p50_vs_others" in b],
    )
    header = (
        f"{'endpoint':<30} {'phase':<8} {'reqs':>5} {'fail':>4} {'req/s':>6} {'p50':>6} "
        f"{'p95':>6} {'p99':>6}  {'p99 with/without':>16}  {'p50/others':>10}"
    )
    lines = [header, "-" * len(header)]
    named = sorted({name for phase in rows.values() for name in phase})
    pooled = "ordinary endpoints, pooled"
    for name in [*named, pooled]:
        for phase in ("login", "without", "with"):
            row = others[phase] if name == pooled else rows[phase].get(name)
            if row is None or not row.requests:
                continue
            moved = ""
            if phase == "with" and name in rows["without"] | {pooled: others["without"]}:
                base = others["without"] if name == pooled else rows["without"][name]
                moved = f"{phases.ratio(row.p99, base.p99):.2f}"
            shown = relative.get(name) if phase == "without" else None
            lines.append(
                f"{name:<30} {phase:<8} {row.requests:>5} {row.failures:>4} {row.rps:>6.1f} "
                + " ".join(f"{row.get(p):>6.0f}" for p in phases.PERCENTILES)
                + f"  {moved:>16}  {'' if shown is None else f'{shown:.2f}':>10}"
            )
    return lines


def outcome_lines(outcomes: Outcomes, samples: list[phases.Sample]) -> list[str]:
    asked = [s for s in samples if s.name == "POST /assistant/requests/"]
    server_errors = sum(
        1 for s in samples if s.name.startswith(phases.ASSISTANT_PREFIX) and s.status >= 500
    )
    return [
        f"assistant: {len(asked)} requests posted, {outcomes.total} stored, by state "
        f"{outcomes.states or '{}'}{f' codes {outcomes.codes}' if outcomes.codes else ''}; "
        f"5xx answers to assistant calls: {server_errors}",
        "assistant queue latency (202 to proposed, server clock): "
        + ", ".join(f"{p} {outcomes.queue(p):.1f} s" for p in phases.PERCENTILES)
        + f", max {max(outcomes.queue_seconds, default=0):.1f} s",
    ]
