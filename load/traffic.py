"""The seam between load/run.py and what a part adds to the run next to the ordinary mix.

The ordinary mix (locustfile.ApiClient) is every fork's. A part that brings traffic of its
own (the assistant: load/assistant.py) adds users to the "with" blocks, processes started
before the API server and stopped after it, environment for the app, budgets and report
lines. run.py holds a list of them, empty in a fork without such a part; then the "with"
blocks have nothing to add and are measured as "without" (run.py says so).
"""

from typing import Any, Protocol

from load import phases


class Traffic(Protocol):
    name: str
    users: int  # locust users on top of the ordinary mix

    def app_env(self) -> dict[str, str]:
        """For the web and worker processes."""
        ...

    def locust_env(self) -> dict[str, str]: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def cpu(self) -> dict[str, float]: ...

    def collect(self, database_url: str) -> None:
        """After locust: what became of the traffic, read from the app's database."""
        ...

    def describe(self) -> str: ...

    def budgets(
        self, others: dict[str, phases.Row], samples: list[phases.Sample], budgets: dict[str, Any]
    ) -> list[str]: ...

    def lines(self, samples: list[phases.Sample]) -> list[str]: ...


def no_traffic_blocks(blocks: list[str]) -> list[str]:
    """Without extra traffic a "with" block is the ordinary mix alone: say so by its name."""
    return [b.replace("with:", "without:", 1) if b.startswith("with:") else b for b in blocks]
