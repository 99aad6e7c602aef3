"""Periodic jobs of the idempotency app (discovered by procrastinate's Django integration)."""

import structlog

from example_api.idempotency.cleanup import prune
from example_api.jobs.app import app

log = structlog.get_logger(__name__)


# queueing_lock: at most one prune waits in the queue, however long the worker was away.
@app.periodic(cron="41 * * * *", periodic_id="prune_idempotency_keys")
@app.task(queueing_lock="prune_idempotency_keys", name="idempotency.prune")
def prune_idempotency_keys(timestamp: int) -> None:
    log.info("expired idempotency keys deleted", count=prune())
