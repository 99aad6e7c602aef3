"""`make bench`'s reading of the metrics' cost (load/bench_cost.py): the median of every
round's CPU ratio, with metrics over without, across the endpoints."""

import math
from dataclasses import dataclass

from load.bench_cost import cost_table, metrics_cost


@dataclass
class Run:
    rps: float
    cpu_us: float


def test_the_cost_is_the_median_of_every_rounds_ratio_minus_one():
    paired = {
        "GET a": [(Run(100, 1030), Run(100, 1000)), (Run(90, 2000), Run(100, 1000))],
        "GET b": [(Run(50, 3090), Run(50, 3000)), (Run(50, 2970), Run(50, 3000))],
        "POST": [(Run(10, 10_000), Run(10, 10_000))],
    }
    rows, overall = metrics_cost(paired)
    # Ratios 1.03, 2.0, 1.03, 0.99, 1.0: one noisy round moves the median nowhere.
    assert math.isclose(overall, 0.03)
    assert [row["target"] for row in rows] == ["GET a", "GET b", "POST"]
    assert math.isclose(rows[1]["overhead"], 0.01)  # its own: 1.03 and 0.99
    assert rows[0]["cpu_ratios"] == [1.03, 2.0]
    assert "+3.0% (budget 5%)" in cost_table(rows, overall, 0.05)[0]


def test_no_pair_measured_is_not_a_cost_of_zero():
    nothing: dict[str, list[tuple[Run, Run]]] = {"GET a": []}
    _, overall = metrics_cost(nothing)
    assert math.isnan(overall)
    assert not overall <= 0.05  # how load/bench.py fails it
