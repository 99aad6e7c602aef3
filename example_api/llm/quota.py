"""A daily allowance of calls (they cost money): the day is UTC's, and a caller told to wait
is told the seconds to the next UTC midnight. The caller counts its own calls, under a lock
of its choosing, since only it knows where it records them."""

from datetime import UTC, datetime, timedelta

from example_api.llm.failures import QuotaSpent


def day_start(now: datetime) -> datetime:
    """Where today's count starts: 00:00 UTC."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def check_daily(*, used: int, limit: int, now: datetime) -> None:
    """Raise QuotaSpent when `used` calls since day_start(now) leave none of `limit`."""
    if used >= limit:
        next_day = day_start(now) + timedelta(days=1)
        raise QuotaSpent(limit=limit, retry_after=int((next_day - now).total_seconds()) + 1)
