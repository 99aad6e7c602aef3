"""After a scenario: is every acknowledged booking in the database, and does no confirmed
booking overlap another? Asked with psql on the current Patroni leader; queries go on
stdin, so no quoting and no length limit for the ledger's ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import patroni
from labhost import FIGURES
from tally import Booked, missing

if TYPE_CHECKING:
    from labhost import LabHost
    from topology import Cluster

DATABASE = "example_api"
# Two confirmed bookings of one resource whose [start, end) ranges overlap: the exclusion
# constraint (migration 0002) must make this empty whatever happened to the servers.
OVERLAPS = """
SELECT a.id, b.id FROM bookings_booking a
JOIN bookings_booking b
  ON a.resource_id = b.resource_id AND a.id < b.id
 AND a.start < b."end" AND b.start < a."end"
WHERE a.status = 'confirmed' AND b.status = 'confirmed'
ORDER BY 1, 2;
"""

# The rows of the ledger's ids, as psql reads them (a literal array of integers).
STORED = """
SELECT id, resource_id, extract(epoch FROM start)::bigint, extract(epoch FROM "end")::bigint
FROM bookings_booking WHERE id = ANY('{%s}'::bigint[]);
"""


def psql(host: LabHost, sql: str, port: int = 5432) -> list[list[str]]:
    """Rows of a query as postgres on `host` (unaligned, `|` between columns)."""
    result = host.ssh(
        "deploy",
        f"sudo -n -u postgres psql -X -q -p {port} -d {DATABASE} -tA -F '|' -v ON_ERROR_STOP=1",
        input_text=sql,
    )
    assert result.returncode == 0, f"psql on {host.name}:{port} failed:\n{result.stderr}\n{sql}"
    return [line.split("|") for line in result.stdout.splitlines() if line]


def stored(host: LabHost, ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """id -> (resource_id, start, end in epoch seconds) for the rows with these ids."""
    if not ids:
        return {}
    wanted = ",".join(str(int(i)) for i in ids)  # integers only: nothing to inject
    rows = psql(host, STORED % wanted)
    return {int(row[0]): (int(row[1]), int(row[2]), int(row[3])) for row in rows}


def verify(cluster: Cluster, scenario: str, booked: list[Booked]) -> None:
    """0 acknowledged bookings missing and 0 overlapping confirmed bookings, on the leader;
    both figures recorded for the summary."""
    leader = patroni.leader(cluster)
    lost = missing(booked, stored(leader, [b.id for b in booked]))
    overlaps = psql(leader, OVERLAPS)
    FIGURES[f"{scenario}: acknowledged bookings checked"] = len(booked)
    FIGURES[f"{scenario}:   missing from the database"] = len(lost)
    FIGURES[f"{scenario}:   overlapping confirmed pairs"] = len(overlaps)
    assert not lost, f"{len(lost)} acknowledged bookings missing on {leader.name}: {lost[:10]}"
    assert not overlaps, f"overlapping confirmed bookings on {leader.name}: {overlaps[:10]}"
