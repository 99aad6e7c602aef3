"""Running the queue for real in a test: a procrastinate worker that processes every job
that is due, then returns."""

from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.contrib.django.models import ProcrastinateJob


def run_worker() -> None:
    # As `manage.py procrastinate worker` does: the worker gets its own psycopg connections
    # (the Django connector is for deferring from Django code).
    connector = app.connector
    assert isinstance(connector, DjangoConnector)
    worker_app = app.with_connector(connector.get_worker_connector())
    worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def jobs_of(task_name: str) -> list[ProcrastinateJob]:
    jobs = ProcrastinateJob.objects.filter(task_name=task_name)  # type: ignore[misc]
    return list(jobs.order_by("id"))


def empty_queue() -> None:
    """Django's test flush leaves procrastinate's tables alone (it owns them, not Django)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers CASCADE")
