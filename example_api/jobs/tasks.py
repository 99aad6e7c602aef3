"""Housekeeping jobs of the queue itself."""

from procrastinate import JobContext, builtin_tasks

from example_api.jobs.app import app

# Finished jobs are kept a week for the admin, then deleted; failed ones stay until then too.
JOB_RETENTION_HOURS = 7 * 24


@app.periodic(cron="11 3 * * *", periodic_id="remove_old_jobs")
@app.task(queueing_lock="remove_old_jobs", pass_context=True, name="jobs.remove_old_jobs")
async def remove_old_jobs(context: JobContext, timestamp: int) -> None:
    await builtin_tasks.remove_old_jobs(
        context, max_hours=JOB_RETENTION_HOURS, remove_failed=True, remove_cancelled=True
    )
