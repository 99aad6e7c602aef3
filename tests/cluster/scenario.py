"""What every scenario records about its load: requests per kind, failures with their
reasons, the outage of writes; printed now and kept for the terminal summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tally import count

from tests.harness.labhost import FIGURES

if TYPE_CHECKING:
    from ledger import Ledger


def record_load(scenario: str, ledger: Ledger) -> int:
    """Figures of the load during a scenario; returns its failed requests."""
    counts = count(ledger.tally.snapshot())
    failed = ledger.failed
    FIGURES[f"{scenario}: requests"] = sum(c.sent for c in counts.values())
    FIGURES[f"{scenario}:   records acknowledged"] = len(ledger.written)
    FIGURES[f"{scenario}:   failed"] = failed
    lines = [f"\n{scenario}: load of {len(ledger.accounts)} users through lb1"]
    for kind, c in counts.items():
        reasons = ", ".join(f"{reason} x{n}" for reason, n in c.reasons.most_common())
        lines.append(f"  {kind:<8} sent {c.sent:5d} ok {c.ok:5d} failed {c.failed:4d} {reasons}")
        if c.failed:
            FIGURES[f"{scenario}:   failed {kind}"] = c.failed
    lines += [f"  load thread died: {death}" for death in ledger.died]
    print("\n".join(lines))
    return failed


def assert_steady(ledger: Ledger, least_writes: int = 20) -> None:
    """The load ran: enough records went through to make 0 failures mean something."""
    assert not ledger.died, ledger.died
    assert len(ledger.written) >= least_writes, f"only {len(ledger.written)} records made"


def failures(ledger: Ledger) -> str:
    """The failures, for an assertion message."""
    counts = count(ledger.tally.snapshot())
    return "; ".join(f"{k}: {dict(c.reasons)}" for k, c in counts.items() if c.failed)
