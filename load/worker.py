"""The jobs part's share of the load stack: the production job worker.

`python manage.py procrastinate worker`, every queue, its default concurrency. It runs the
confirmation e-mails (and, with the assistant, its requests) as in production; the
e-mail goes to Django's dummy backend, so no mail server is waited on.
"""

import sys
from pathlib import Path

from load import stack

APP_ENV = {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


def worker(*, log_path: Path, env: dict[str, str]) -> stack.Worker:
    cmd = [sys.executable, "manage.py", "procrastinate", "worker"]
    return stack.Worker(name="procrastinate worker", cmd=cmd, log_path=log_path, env=env)
