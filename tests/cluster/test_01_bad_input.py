"""Bad cluster inventories stop the run before anything changes on any host, with a message
that names what is wrong. They ran against the fresh hosts before the first real run
(conftest's bring-up, cluster_badinput.py); here we read what happened."""

from __future__ import annotations

import pytest
from cluster_badinput import EXPECTED, ClusterBadInput


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_inventory_stops_before_anything_changes(
    bad_input: dict[str, ClusterBadInput], case: str
) -> None:
    attempt = bad_input[case]
    output = attempt.run.output
    assert attempt.run.returncode != 0, output[-3000:]
    for words in EXPECTED[case]:
        assert words in output, f"{words!r} not in the output:\n{output[-3000:]}"
    changed = [name for name in attempt.before if attempt.before[name] != attempt.after[name]]
    assert not changed, f"{case}: state changed on {changed}"
