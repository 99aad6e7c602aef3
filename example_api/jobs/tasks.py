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


# A worker that was killed (SIGKILL after systemd's stop timeout, a crash, a lost host)
# leaves its job in "doing". Its heartbeat stops; after 30 s without one, the job goes back
# to the queue. Every job is safe to run twice (docs/jobs.md), so this is never harmful.
@app.periodic(cron="*/5 * * * *", periodic_id="retry_stalled_jobs")
@app.task(queueing_lock="retry_stalled_jobs", name="jobs.retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    for job in await app.job_manager.get_stalled_jobs():
        await app.job_manager.retry_job(job)
