"""Enqueue a job. Every caller goes through `enqueue`, so the one switch between the real
queue and inline runs (settings.JOBS_RUN_INLINE) is read here only.

- PostgreSQL: procrastinate writes the job row on the caller's connection, inside the
  caller's transaction: it is committed with the write that asked for it, or not at all.
- SQLite (`make run`, unit tests): no queue; the job runs in this process once the
  transaction commits, once, without retries.
"""

from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from procrastinate.tasks import Task

log = structlog.get_logger(__name__)


def enqueue(task: Task[Any, Any, Any], **kwargs: Any) -> None:
    if settings.JOBS_RUN_INLINE:
        transaction.on_commit(lambda: _run_inline(task, kwargs))
        return
    task.defer(**kwargs)


def _run_inline(task: Task[Any, Any, Any], kwargs: dict[str, Any]) -> None:
    try:
        task(**kwargs)
    except Exception:
        # Inline runs stand in for a worker: a failing job is logged, the request that
        # enqueued it has already committed and must not fail with it.
        log.exception("inline job failed", task=task.name)
