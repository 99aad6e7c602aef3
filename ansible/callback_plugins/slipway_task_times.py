"""Where a playbook run's time went: the slowest tasks and each role's share, at the end.

A task's time is the wall time from its start to the next task's start (or the run's end),
over all hosts at once, which is what a run's length is made of. Enabled in ansible.cfg
(callbacks_enabled); SLIPWAY_TASK_TIMES_TOP sets how many tasks are listed (default 15, 0
lists none).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: slipway_task_times
    type: aggregate
    short_description: Lists the slowest tasks and the time of each role when a run ends
    description:
      - Times each task from its start to the next task's start and prints a summary.
    requirements:
      - enabled in callbacks_enabled
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "slipway_task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._started = time.monotonic()
        self._current: tuple[str, float] | None = None
        self._times: dict[str, float] = defaultdict(float)

    def _close_current(self) -> None:
        if self._current is not None:
            name, started = self._current
            self._times[name] += time.monotonic() - started
            self._current = None

    def _begin(self, task: object, kind: str) -> None:
        self._close_current()
        # get_name() is "role : task" for a role's task
        self._current = (f"{kind}{task.get_name()}", time.monotonic())

    def v2_playbook_on_task_start(self, task: object, is_conditional: bool) -> None:
        self._begin(task, "")

    def v2_playbook_on_handler_task_start(self, task: object) -> None:
        self._begin(task, "handler ")

    def v2_playbook_on_play_start(self, play: object) -> None:
        self._close_current()  # a play's fact gathering is timed as its own task

    def v2_playbook_on_stats(self, stats: object) -> None:
        self._close_current()
        total = time.monotonic() - self._started
        top = int(os.environ.get("SLIPWAY_TASK_TIMES_TOP", "15"))
        ranked = sorted(self._times.items(), key=lambda item: item[1], reverse=True)
        roles: dict[str, float] = defaultdict(float)
        for name, seconds in self._times.items():
            role = name.removeprefix("handler ").split(" : ", 1)
            roles[role[0] if len(role) == 2 else "(playbook)"] += seconds
        lines = [f"TASK TIMES: {total:.1f} s in all, {len(self._times)} tasks"]
        lines += [f"  {seconds:7.1f} s  {name}" for name, seconds in ranked[:top]]
        lines.append(
            "ROLE TIMES: "
            + ", ".join(
                f"{role} {seconds:.1f} s"
                for role, seconds in sorted(roles.items(), key=lambda item: item[1], reverse=True)
            )
        )
        for line in lines:
            self._display.display(line)
