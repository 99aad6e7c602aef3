"""The job queue's figures on PostgreSQL: /metrics counts procrastinate's jobs by queue and
status at scrape time, and reports the queue as down when its table cannot be read."""

import pytest
from django.db import connection
from procrastinate.contrib.django import app

from example_api.bookings.tasks import send_booking_confirmation
from tests.endpoints import HEALTHZ
from tests.fakes.jobs import empty_queue
from tests.scrape import scrape, value

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _empty_queue(db):
    empty_queue()


def jobs(samples, queue):
    return {
        status: value(samples, "slipway_jobs", queue=queue, status=status)
        for status in ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")
    }


def test_queue_depth_by_queue_and_status(api):
    queue = send_booking_confirmation.queue
    empty = scrape(api)
    assert value(empty, "slipway_job_queue_up") == 1
    # Every queue a task uses is there at 0 before any job.
    assert jobs(empty, queue) == dict.fromkeys(jobs(empty, queue), 0)
    failed, cancelled, _ = (send_booking_confirmation.defer(booking_id=n) for n in (1, 2, 3))
    app.job_manager.cancel_job_by_id(cancelled)
    with connection.cursor() as cursor:  # as a worker leaves a job that ran out of retries
        cursor.execute("UPDATE procrastinate_jobs SET status = 'failed' WHERE id = %s", [failed])
    samples = scrape(api)
    assert jobs(samples, queue) == {
        "todo": 1,
        "doing": 0,
        "succeeded": 0,
        "failed": 1,
        "cancelled": 1,
        "aborted": 0,
    }


def test_a_queue_that_cannot_be_read_is_reported_down(api):
    api.get(HEALTHZ)
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away")
    samples = scrape(api)
    assert value(samples, "slipway_job_queue_up") == 0
    assert not [key for key in samples if key[0] == "slipway_jobs"]
    # The rest of the scrape is still there.
    assert [key for key in samples if key[0] == "slipway_http_requests_total"]
