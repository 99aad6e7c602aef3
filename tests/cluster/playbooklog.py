"""What a playbook's output says about the order it worked in: for a task, the hosts each
of its runs touched. With `serial: 1` a task runs once per host, one after the other."""

from __future__ import annotations

# The blue/green switch of one app host (roles/app/tasks/switch_traffic.yml).
SWITCH_TASK = "Point nginx's socket link at the new instance"


def task_runs(output: str, task: str, results: tuple[str, ...] = ("changed",)) -> list[list[str]]:
    """For each time the task's header appears, the hosts it reported as `results`."""
    runs: list[list[str]] = []
    current: list[str] | None = None
    for line in output.splitlines():
        if line.startswith(("TASK [", "RUNNING HANDLER [")):
            name = line.split("[", 1)[1].rsplit("]", 1)[0]
            current = [] if name.split(" : ")[-1] == task else None
            if current is not None:
                runs.append(current)
        elif current is not None and line.startswith(tuple(f"{r}: [" for r in results)):
            current.append(line.split("[", 1)[1].split("]", 1)[0].split(" -> ")[0])
    return runs
