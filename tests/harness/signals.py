"""SIGTERM (a CI timeout, `kill`) as an exception, so `finally` blocks and fixtures still
tear down what the run started (servers, databases, lab hosts)."""

from __future__ import annotations

import signal


def raise_on_sigterm(
    exception: type[BaseException] = KeyboardInterrupt, exit_status: int | None = None
) -> None:
    """From now on SIGTERM raises `exception` in the main thread.

    KeyboardInterrupt suits pytest (it stops the session and runs the teardown). SystemExit
    suits scripts: its status is `exit_status`, or 128 + the signal as a shell reports it."""

    def _raise(signum: int, frame: object) -> None:
        if issubclass(exception, SystemExit):
            raise exception(128 + signum if exit_status is None else exit_status)
        raise exception(f"signal {signum}")

    signal.signal(signal.SIGTERM, _raise)
