"""After a scenario: is every acknowledged record in the database, and does no confirmed
record overlap another? Asked with psql on the current Patroni leader; queries go on
stdin, so no quoting and no length limit for the ledger's ids. The SQL is the domain's
(tests/harness/domain.py): the invariant, and the records' rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import patroni
from tally import Written, missing

from tests.harness import domain
from tests.harness.labhost import FIGURES

if TYPE_CHECKING:
    from topology import Cluster

    from tests.harness.labhost import LabHost

DATABASE = "example_api"


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
    """id -> (item, start, end in epoch seconds) for the records with these ids."""
    if not ids:
        return {}
    rows = psql(host, domain.stored_sql(ids))
    return {int(row[0]): (int(row[1]), int(row[2]), int(row[3])) for row in rows}


def verify(cluster: Cluster, scenario: str, written: list[Written]) -> None:
    """0 acknowledged records missing and 0 overlapping confirmed records, on the leader;
    both figures recorded for the summary."""
    leader = patroni.leader(cluster)
    lost = missing(written, stored(leader, [b.id for b in written]))
    overlaps = psql(leader, domain.invariant_violations_sql)
    FIGURES[f"{scenario}: acknowledged records checked"] = len(written)
    FIGURES[f"{scenario}:   missing from the database"] = len(lost)
    FIGURES[f"{scenario}:   overlapping confirmed pairs"] = len(overlaps)
    assert not lost, f"{len(lost)} acknowledged records missing on {leader.name}: {lost[:10]}"
    assert not overlaps, f"overlapping confirmed records on {leader.name}: {overlaps[:10]}"
