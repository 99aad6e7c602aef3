"""Request bodies the tests send and response bodies they expect, built in one place (the
example domain's are in tests/domain_support.py)."""

from datetime import datetime


def utc_z(moment: datetime) -> str:
    """How the API writes a time: UTC with a Z."""
    return moment.isoformat().replace("+00:00", "Z")
