"""Calls released at one moment, each in its own thread: the races of the integration tests."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def released_together(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, all released by one barrier; their answers."""
    barrier = threading.Barrier(len(calls))
    answers: list[T] = []
    lock = threading.Lock()

    def worker(call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            answer = call()
            with lock:
                answers.append(answer)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers
