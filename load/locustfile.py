"""Locust scenarios: clients that behave like real users of the booking API.

Each simulated user logs in once (a real PBKDF2 check), then browses and books: lists
resources, reads its own bookings and single bookings, books a random future slot of a random
resource (409 = the slot is taken, which a real client expects and handles: it is counted as
a success), and cancels some of what it booked. Nobody browses before every user has logged
in: the logins' hashing takes whole cores on purpose, and the other endpoints' budgets gate
the steady state, not a queue behind the ramp.

Once everyone has logged in, the run goes through timed blocks (LOAD_BLOCKS, e.g.
"warmup:8,without:25,with:50,without:25"). In `with` blocks LOAD_ASSISTANT_USERS more
users post sentences to the booking assistant and poll each request until it is answered;
in the others they wait (a fork without the assistant has no such users and no `with`
blocks: load/run.py names them `without`). Every request is recorded with the block it
started in (LOAD_SAMPLES_FILE, CSV), so one run measures the same mix with and without
assistant traffic; the runner stops itself after the last block.

Needs LOAD_SEED_FILE (written by load/seed.py), LOAD_PASSWORD, LOAD_USERS (how many users the
run starts, assistant users included), LOAD_BLOCKS, LOAD_SAMPLES_FILE, and with the
assistant LOAD_ASSISTANT_USERS and LOAD_ASSISTANT_THINK ("min,max" seconds between a
user's requests). Started by load/run.py.
"""
# ruff: noqa: S311 - random here picks test actions, not secrets

import csv
import itertools
import json
import os
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import gevent
from gevent.event import Event
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment

API = "/api/v1"
_SEED: dict[str, Any] = json.loads(open(os.environ["LOAD_SEED_FILE"]).read())  # noqa: SIM115
_PASSWORD = os.environ["LOAD_PASSWORD"]
_USERS: list[dict[str, Any]] = _SEED["users"]
_RESOURCES: list[int] = _SEED["resources"]
_next_user = itertools.count()
_lock = threading.Lock()
_USER_COUNT = int(os.environ["LOAD_USERS"])
_logged_in = itertools.count(1)
_everyone_logged_in = Event()
LOGIN_RAMP_TIMEOUT_SECONDS = 120
_BLOCKS = [
    (phase, float(seconds))
    for phase, seconds in (block.split(":") for block in os.environ["LOAD_BLOCKS"].split(","))
]
_blocks_started: list[float] = []  # the wall-clock start of the first block, once known
_samples: list[tuple[int, str, str, float, int, int]] = []


def block_at(moment: float) -> tuple[int, str]:
    """The block a moment falls in (index, phase): "login" before the first, "after" past
    the last."""
    if not _blocks_started or moment < _blocks_started[0]:
        return -1, "login"
    elapsed = moment - _blocks_started[0]
    for index, (phase, seconds) in enumerate(_BLOCKS):
        if elapsed < seconds:
            return index, phase
        elapsed -= seconds
    return len(_BLOCKS), "after"


def phase_at(moment: float) -> str:
    return block_at(moment)[1]


@events.init.add_listener
def _on_init(environment: Environment, **kwargs: Any) -> None:
    def run_blocks() -> None:
        _everyone_logged_in.wait(timeout=LOGIN_RAMP_TIMEOUT_SECONDS)
        _blocks_started.append(time.time())
        gevent.sleep(sum(seconds for _, seconds in _BLOCKS))
        if environment.runner is not None:
            environment.runner.quit()

    gevent.spawn(run_blocks)


@events.request.add_listener
def _on_request(
    name: str, response_time: float, response: Any, exception: Any, start_time: float, **kw: Any
) -> None:
    status = getattr(response, "status_code", 0) or 0
    block, phase = block_at(start_time)
    _samples.append((block, phase, name, response_time, status, int(bool(exception))))


@events.quitting.add_listener
def _write_samples(environment: Environment, **kwargs: Any) -> None:
    with open(os.environ["LOAD_SAMPLES_FILE"], "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("block", "phase", "name", "ms", "status", "failed"))
        writer.writerows(_samples)


def _claim_user() -> dict[str, Any]:
    """Each simulated user logs in as a different seeded account."""
    with _lock:
        return _USERS[next(_next_user) % len(_USERS)]


class LoggedInUser(FastHttpUser):
    abstract = True

    def on_start(self) -> None:
        account = _claim_user()
        self.user_id: int = account["id"]
        self.known_bookings: list[int] = list(account["bookings"])
        self.created: list[int] = []
        self.headers: dict[str, str] = {}
        try:
            self._log_in(account["username"])
        finally:
            if next(_logged_in) >= _USER_COUNT:
                _everyone_logged_in.set()
        _everyone_logged_in.wait(timeout=LOGIN_RAMP_TIMEOUT_SECONDS)

    def _log_in(self, username: str) -> None:
        with self.client.post(
            f"{API}/auth/token/",
            json={"username": username, "password": _PASSWORD},
            name="POST /auth/token/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"login answered {response.status_code}")
                return
            self.headers = {"Authorization": f"Bearer {response.json()['token']}"}


class ApiClient(LoggedInUser):
    wait_time = between(0.2, 1.0)

    def _read(self, path: str, name: str) -> None:
        """An authenticated GET that must answer 200; `name` groups it in the report."""
        with self.client.get(
            f"{API}{path}", headers=self.headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(3)
    def list_resources(self) -> None:
        offset = random.choice((0, 0, 20, 40, 80))
        self._read(f"/resources/?limit=20&offset={offset}", "GET /resources/")

    @task(4)
    def my_bookings(self) -> None:
        query = random.choice(("", "&status=confirmed", "&starts_after=" + _iso(_now())))
        self._read(f"/users/{self.user_id}/bookings/?limit=20{query}", "GET /users/{id}/bookings/")

    @task(4)
    def one_booking(self) -> None:
        if not self.known_bookings:
            return
        booking_id = random.choice(self.known_bookings)
        self._read(f"/bookings/{booking_id}/", "GET /bookings/{id}/")

    @task(2)
    def book_a_slot(self) -> None:
        start = _now().replace(minute=0, second=0, microsecond=0) + timedelta(
            days=random.randint(1, 365), hours=random.randint(0, 23)
        )
        body = {
            "resource_id": random.choice(_RESOURCES),
            "start": _iso(start),
            "end": _iso(start + timedelta(hours=random.randint(1, 2))),
            "note": "load test",
        }
        with self.client.post(
            f"{API}/bookings/",
            json=body,
            headers=self.headers,
            name="POST /bookings/",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                booking_id = response.json()["id"]
                self.created.append(booking_id)
                self.known_bookings.append(booking_id)
                response.success()
            elif response.status_code == 409:
                response.success()  # the slot was taken: an expected answer
            else:
                response.failure(f"status {response.status_code}: {response.text[:200]}")

    @task(1)
    def cancel_one(self) -> None:
        if not self.created:
            return
        booking_id = self.created.pop(random.randrange(len(self.created)))
        with self.client.delete(
            f"{API}/bookings/{booking_id}/",
            headers=self.headers,
            name="DELETE /bookings/{id}/",
            catch_response=True,
        ) as response:
            if response.status_code != 204:
                response.failure(f"status {response.status_code}")


# >>> part assistant
_ASSISTANT_USERS = int(os.environ["LOAD_ASSISTANT_USERS"])
_THINK = [float(s) for s in os.environ["LOAD_ASSISTANT_THINK"].split(",")]
POLL_SECONDS = 1.0  # how often a client asks whether its assistant request is answered
POLL_GIVE_UP_SECONDS = 120


class AssistantClient(LoggedInUser):
    """Asks the booking assistant in `with` blocks: posts a sentence (202 at once), polls
    until the request is proposed or failed, thinks, asks again."""

    fixed_count = _ASSISTANT_USERS
    wait_time = between(*_THINK)

    @task
    def ask(self) -> None:
        if phase_at(time.time()) != "with":
            # Idle until the next `with` block, then start within a second (not all at once).
            while phase_at(time.time()) != "with":
                gevent.sleep(0.1)
            gevent.sleep(random.uniform(0, 1))
        with self.client.post(
            f"{API}/assistant/requests/",
            json={"text": "A room tomorrow 10 to 11 for the design review", "time_zone": "UTC"},
            headers=self.headers,
            name="POST /assistant/requests/",
            catch_response=True,
        ) as response:
            if response.status_code != 202:
                response.failure(f"status {response.status_code}: {response.text[:200]}")
                return
            request_id = response.json()["id"]
        give_up = time.monotonic() + POLL_GIVE_UP_SECONDS
        state = "pending"
        while state == "pending" and time.monotonic() < give_up:
            gevent.sleep(POLL_SECONDS)
            if phase_at(time.time()) != "with":
                return  # the block is over: the request's outcome is read from the database
            with self.client.get(
                f"{API}/assistant/requests/{request_id}/",
                headers=self.headers,
                name="GET /assistant/requests/{id}/",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                    return
                state = response.json()["state"]
                if state == "failed":
                    response.failure(f"assistant request failed: {response.json()['code']}")


# <<< part assistant
def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
