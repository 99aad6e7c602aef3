"""Locust scenarios: clients that behave like real users of the booking API.

Each simulated user logs in once (a real PBKDF2 check), then browses and books: lists
resources, reads its own bookings and single bookings, books a random future slot of a random
resource (409 = the slot is taken, which a real client expects and handles: it is counted as
a success), and cancels some of what it booked. Nobody browses before every user has logged
in: the logins' hashing takes whole cores on purpose, and the other endpoints' budgets gate
the steady state, not a queue behind the ramp.

Needs LOAD_SEED_FILE (written by load/seed.py), LOAD_PASSWORD and LOAD_USERS (how many users
the run starts). Started by load/run.py.
"""
# ruff: noqa: S311 - random here picks test actions, not secrets

import itertools
import json
import os
import random
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from gevent.event import Event
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

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


def _claim_user() -> dict[str, Any]:
    """Each simulated user logs in as a different seeded account."""
    with _lock:
        return _USERS[next(_next_user) % len(_USERS)]


class ApiClient(FastHttpUser):
    wait_time = between(0.2, 1.0)

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


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
