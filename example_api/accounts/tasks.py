"""Periodic jobs of the accounts app (discovered by procrastinate's Django integration)."""

import structlog

from example_api.accounts.cleanup import delete_dead_tokens
from example_api.jobs.app import app

log = structlog.get_logger(__name__)


# queueing_lock: at most one cleanup waits in the queue, however long the worker was away.
@app.periodic(cron="23 * * * *", periodic_id="delete_dead_tokens")
@app.task(queueing_lock="delete_dead_tokens", name="accounts.delete_dead_tokens")
def delete_dead_tokens_job(timestamp: int) -> None:
    log.info("dead tokens deleted", count=delete_dead_tokens())
