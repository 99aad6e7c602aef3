"""The job queue's figures, read from procrastinate's table when /metrics is scraped (once
per scrape, by whichever worker answers it), through procrastinate's documented
`JobManager.list_queues`. No job queue (settings.JOBS_RUN_INLINE: SQLite), no figures."""

from collections.abc import Iterator

import structlog
from django.conf import settings
from django.db import connection, transaction
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from example_api.jobs.app import app

log = structlog.get_logger(__name__)

# A scrape must not wait on a locked or slow table for long: Prometheus' own timeout is 10 s.
READ_TIMEOUT_MS = 2000
# The statuses list_queues reports (procrastinate_job_status), each a series even at 0.
STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")


def queue_counts() -> dict[str, dict[str, int]]:
    """Jobs per queue and status; every queue a registered task uses is there, even empty."""
    counts = {task.queue: dict.fromkeys(STATUSES, 0) for task in app.tasks.values()}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = %s", [READ_TIMEOUT_MS])
        for row in app.job_manager.list_queues():
            counts.setdefault(row["name"], dict.fromkeys(STATUSES, 0)).update(
                {status: row[status] for status in STATUSES}
            )
    return counts


class JobQueueCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        if settings.JOBS_RUN_INLINE:
            return
        up = GaugeMetricFamily(
            "slipway_job_queue_up", "1 when the job queue's table could be read at this scrape."
        )
        jobs = GaugeMetricFamily(
            "slipway_jobs",
            "Jobs in the queue's table by queue and status; failed jobs stay there for a week "
            "(jobs.remove_old_jobs), so a rise of status=failed is a new failure.",
            labels=["queue", "status"],
        )
        try:
            counts = queue_counts()
        except Exception as exc:  # a scrape reports the queue as down, it never fails whole
            log.warning("job queue not readable for metrics", error=type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for queue, by_status in sorted(counts.items()):
            for status, count in by_status.items():
                jobs.add_metric([queue, status], count)
        yield up
        yield jobs
