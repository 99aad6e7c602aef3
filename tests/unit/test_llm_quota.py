"""The daily allowance of model calls: the day is UTC's, and a refusal says how long to wait,
up to the next UTC midnight and never zero."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from example_api.llm.failures import QuotaSpent
from example_api.llm.quota import check_daily, day_start

BERLIN_WINTER = timezone(timedelta(hours=1))


def test_the_day_starts_at_midnight_utc_whatever_the_callers_zone():
    late_in_berlin = datetime(2030, 1, 11, 0, 30, tzinfo=BERLIN_WINTER)  # 23:30 UTC the 10th
    assert day_start(late_in_berlin) == datetime(2030, 1, 10, tzinfo=UTC)


def test_calls_left_pass_and_the_last_one_refuses_until_midnight():
    now = datetime(2030, 1, 10, 23, 0, tzinfo=UTC)
    check_daily(used=2, limit=3, now=now)
    with pytest.raises(QuotaSpent) as spent:
        check_daily(used=3, limit=3, now=now)
    assert (spent.value.limit, spent.value.retry_after) == (3, 3601)


def test_a_refusal_a_moment_before_midnight_still_says_wait():
    now = datetime(2030, 1, 10, 23, 59, 59, 999_000, tzinfo=UTC)
    with pytest.raises(QuotaSpent) as spent:
        check_daily(used=0, limit=0, now=now)
    assert spent.value.retry_after == 1
