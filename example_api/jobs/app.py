"""The procrastinate app every tasks.py registers on. Its Django integration
(`procrastinate.contrib.django`, installed on PostgreSQL only) connects it through Django's
own database connection and gives the worker command:

    python manage.py procrastinate worker

Retry policies shared by the jobs are here so each job states only which one it uses.
"""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

# Outside services (SMTP): back off 2, 4, 8, 16, 32 s, then give up (the job is "failed").
OUTSIDE_SERVICE_RETRY = RetryStrategy(max_attempts=5, exponential_wait=2)

__all__ = ["OUTSIDE_SERVICE_RETRY", "app"]
