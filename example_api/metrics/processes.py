"""The directory granian's worker processes share their metric values through
(prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR).

`python -m example_api.serve` calls `prepare` before it starts the workers: with
PROMETHEUS_MULTIPROC_DIR given, that directory is emptied of old values; otherwise a new
one is made for this server start, under XDG_RUNTIME_DIR when there is one (the systemd
unit's RuntimeDirectory, a tmpfs removed when the instance stops) or the system's temporary
directory, and removed again when the server exits. The workers inherit the variable, and
it must be set before they import prometheus_client. This module imports nothing of it.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, MutableMapping
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare(env: MutableMapping[str, str]) -> Callable[[], None]:
    """Set `env[ENV]` to a directory with no old values; returns the clean-up to run when
    the server exits."""
    given = env.get(ENV)
    if given:
        directory = Path(given)
        directory.mkdir(parents=True, exist_ok=True)
        # Values of an earlier server start would be added to this one's.
        for old in directory.glob("*.db"):
            old.unlink()
        return lambda: None
    made = tempfile.mkdtemp(prefix="slipway-metrics-", dir=env.get("XDG_RUNTIME_DIR") or None)
    env[ENV] = made
    return lambda: shutil.rmtree(made, ignore_errors=True)


def multiprocess_dir() -> str | None:
    return os.environ.get(ENV) or None
