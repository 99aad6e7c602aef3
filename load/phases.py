"""Latency statistics per block kind ("login", "without", "with") from the locustfile's samples.

Each sample is one request: the block it started in, its name, its latency, its status and
whether it failed. Percentiles are exact (nearest rank over every sample), not locust's
rounded buckets, so the two phases of one run compare like for like.
"""

import csv
import math
import statistics
from dataclasses import dataclass
from pathlib import Path

PERCENTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
# The ordinary mix's share of traffic (what assistant traffic must not slow), by exclusion.
ASSISTANT_PREFIX = ("POST /assistant/", "GET /assistant/")
LOGIN = "POST /auth/token/"


@dataclass(frozen=True)
class Sample:
    block: int  # index in the run's blocks; -1 for the logins
    phase: str
    name: str
    ms: float
    status: int
    failed: bool


def read_samples(path: Path) -> list[Sample]:
    with path.open(newline="") as handle:
        return [
            Sample(
                block=int(row["block"]),
                phase=row["phase"],
                name=row["name"],
                ms=float(row["ms"]),
                status=int(row["status"]),
                failed=row["failed"] == "1",
            )
            for row in csv.DictReader(handle)
        ]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def is_ordinary(name: str) -> bool:
    return name != LOGIN and not name.startswith(ASSISTANT_PREFIX)


@dataclass(frozen=True)
class Row:
    requests: int
    failures: int
    seconds: float
    p50: float
    p95: float
    p99: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def get(self, key: str) -> float:
        return float(getattr(self, key))


def summarise(samples: list[Sample], seconds: float) -> Row:
    latencies = [s.ms for s in samples]
    return Row(
        requests=len(samples),
        failures=sum(s.failed for s in samples),
        seconds=seconds,
        **{key: percentile(latencies, fraction) for key, fraction in PERCENTILES.items()},
    )


def by_endpoint(samples: list[Sample], phase: str, seconds: float) -> dict[str, Row]:
    names = sorted({s.name for s in samples if s.phase == phase})
    return {
        name: summarise([s for s in samples if s.phase == phase and s.name == name], seconds)
        for name in names
    }


def ordinary(samples: list[Sample], phase: str, seconds: float) -> Row:
    """All ordinary endpoints of a phase pooled: enough samples for a p99 that means something."""
    return summarise([s for s in samples if s.phase == phase and is_ordinary(s.name)], seconds)


def ordinary_in_blocks(samples: list[Sample], blocks: set[int]) -> Row:
    return summarise([s for s in samples if s.block in blocks and is_ordinary(s.name)], 0.0)


def relative_p50(rows: dict[str, Row], names: list[str]) -> dict[str, float]:
    """Each endpoint's p50 over the median p50 of the other endpoints budgeted that way.

    A busy machine slows every endpoint alike and leaves these ratios nearly unchanged; an
    endpoint that became slower moves its own."""
    present = [n for n in names if n in rows]
    ratios = {}
    for name in present:
        others = statistics.median(rows[n].p50 for n in present if n != name)
        ratios[name] = rows[name].p50 / others if others else 0.0
    return ratios


def ratio(with_: float, without: float) -> float:
    return with_ / without if without else math.inf
