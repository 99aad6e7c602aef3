"""The budgets of load/budgets.toml against one run's samples, every fork's part of them.

- the login ramp ("login" phase): the login's own budgets;
- the ordinary mix alone ("without"): every ordinary endpoint's p50_vs_others, p95 and p99;
- extra traffic's endpoints ("with"): their p95 and p99 (the assistant's other budgets, the
  moved p99 and its requests' outcomes, are load/assistant.py's);
- the whole run: the error ratio and no 5xx.
"""

from typing import Any

from load import phases

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


def server_errors(samples: list[phases.Sample]) -> list[str]:
    """No 5xx anywhere, named by endpoint (the error ratio counts them too, without names)."""
    errors = [s for s in samples if s.status >= 500]
    if not errors:
        return []
    return [f"{len(errors)} answers 5xx ({', '.join(sorted({s.name for s in errors}))})"]


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
