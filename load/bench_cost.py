"""The metrics' cost in `make bench` (load/bench.py): each endpoint measured on the API and,
at the same time, on its twin with METRICS_ENABLED=false; CPU per request of one over the
other, per round, and the median of every round of every endpoint."""

import statistics
from typing import Any, Protocol, TypeVar


class Measured(Protocol):
    rps: float
    cpu_us: float


M = TypeVar("M", bound=Measured)
# Per endpoint: (with metrics, without) of each round.
Pairs = dict[str, list[tuple[M, M]]]


def metrics_cost(paired: Pairs[M]) -> tuple[list[dict[str, Any]], float]:
    """Per endpoint and round, CPU per request with metrics on over the same with them off,
    measured at the same time. The overhead is the median of all those ratios, minus 1."""
    rows, every = [], []
    for name, measured in paired.items():
        pairs = [(a, b) for a, b in measured if b.cpu_us]
        cpu = [a.cpu_us / b.cpu_us for a, b in pairs]
        every += cpu
        rows.append(
            {
                "target": name,
                "cpu_us_on": statistics.median(a.cpu_us for a, _ in pairs) if pairs else 0.0,
                "cpu_us_off": statistics.median(b.cpu_us for _, b in pairs) if pairs else 0.0,
                "cpu_ratios": [round(r, 4) for r in cpu],
                "overhead": statistics.median(cpu) - 1 if cpu else float("nan"),
                "rps_ratio": statistics.median(a.rps / b.rps for a, b in pairs) if pairs else 0.0,
            }
        )
    return rows, statistics.median(every) - 1 if every else float("nan")


def cost_table(rows: list[dict[str, Any]], overall: float, limit: float) -> list[str]:
    lines = [
        f"Metrics' cost: CPU per request with metrics on over off, median of every round of "
        f"every endpoint: {overall:+.1%} (budget {limit:.0%}).",
        "",
        "| endpoint | CPU us/req on | off | its own median | req/s on / off "
        "| CPU on / off per round |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        rounds = ", ".join(f"{v:.3f}" for v in r["cpu_ratios"])
        lines.append(
            f"| {r['target']} | {r['cpu_us_on']:.0f} | {r['cpu_us_off']:.0f} "
            f"| {r['overhead']:+.1%} | {r['rps_ratio']:.3f} | {rounds} |"
        )
    return lines
