"""Plot a locust run: latency percentiles and throughput over time, from its history CSV.

python -m load.plot reports/load/locust_stats_history.csv reports/load/latency.png
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def plot(history_csv: Path, out_png: Path, title: str = "") -> None:
    with history_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise SystemExit(f"{history_csv} has no rows")
    start = min(int(row["Timestamp"]) for row in rows)
    aggregated = [row for row in rows if row["Name"] == "Aggregated"]
    per_endpoint: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        p95 = _number(row["95%"])
        if p95 is not None:
            per_endpoint[row["Name"]].append((float(int(row["Timestamp"]) - start), p95))

    fig, (ax_pct, ax_ep, ax_rps) = plt.subplots(3, 1, figsize=(11, 10), sharex=True)
    seconds = [int(row["Timestamp"]) - start for row in aggregated]
    for column, style in (("50%", "-"), ("95%", "--"), ("99%", ":")):
        values = [_number(row[column]) for row in aggregated]
        points = [(t, v) for t, v in zip(seconds, values, strict=True) if v is not None]
        if points:
            ax_pct.plot(*zip(*points, strict=True), style, label=f"all requests p{column[:-1]}")
    ax_pct.set_ylabel("latency (ms)")
    ax_pct.set_title(title or "latency percentiles and throughput")
    ax_pct.legend(loc="upper right")
    ax_pct.grid(alpha=0.3)

    for name, series in sorted(per_endpoint.items()):
        ax_ep.plot(*zip(*series, strict=True), label=name)
    ax_ep.set_ylabel("p95 latency (ms)")
    ax_ep.set_yscale("log")
    ax_ep.legend(loc="upper right", fontsize="small")
    ax_ep.grid(alpha=0.3)

    rps = [_number(row["Requests/s"]) or 0.0 for row in aggregated]
    failures = [_number(row["Failures/s"]) or 0.0 for row in aggregated]
    ax_rps.plot(seconds, rps, label="requests/s")
    ax_rps.plot(seconds, failures, label="failures/s", color="red")
    users = [_number(row["User Count"]) or 0.0 for row in aggregated]
    ax_users = ax_rps.twinx()
    ax_users.plot(seconds, users, color="gray", alpha=0.5, label="users")
    ax_users.set_ylabel("users")
    ax_rps.set_ylabel("requests/s")
    ax_rps.set_xlabel("seconds since start")
    ax_rps.legend(loc="upper left")
    ax_rps.grid(alpha=0.3)

    fig.tight_layout()
    out_png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_png, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    plot(Path(sys.argv[1]), Path(sys.argv[2]))
