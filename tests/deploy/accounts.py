"""A user with a password and a token on a deployed host, and bookings made through the API.

The migrated-schema and restore-drill tests use the API as a client would: a staff member made
on the server creates a resource, a user registers, logs in and books it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labhost import LabHost

APP_USER = "example_api"


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    token: str
    resource_id: int


def make_staff(host: LabHost, api: LabHost | None = None) -> str:
    """A new staff member, made on the server, logged in (through `api`, the host that serves
    the API, when that is another one: a cluster's load balancer): their token."""
    staff, staff_password = f"staff{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    host.sudo(
        f"-u {APP_USER} env DJANGO_SUPERUSER_USERNAME={staff} "
        f"DJANGO_SUPERUSER_PASSWORD={staff_password} DJANGO_SUPERUSER_EMAIL={staff}@example.com "
        f"{APP_USER}-manage createsuperuser --noinput"
    )
    return login(api or host, staff, staff_password)


def make_account(host: LabHost) -> Account:
    """A resource (made by a new staff member) and a new user, logged in, who may book it."""
    staff_token = make_staff(host)
    status, _, resource = host.request(
        "POST",
        "/api/v1/resources/",
        {"name": f"Room {secrets.token_hex(3)}", "description": "deploy test"},
        token=staff_token,
    )
    assert status == 201, resource

    user, password = f"user{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    status, _, body = host.request(
        "POST",
        "/api/v1/users/",
        {"username": user, "email": f"{user}@example.com", "password": password},
    )
    assert status == 201, body
    return Account(user, password, login(host, user, password), resource["id"])


def login(host: LabHost, username: str, password: str) -> str:
    status, _, body = host.request(
        "POST", "/api/v1/auth/token/", {"username": username, "password": password}
    )
    assert status == 200, body
    return body["token"]


def book(host: LabHost, account: Account, days_ahead: int, note: str = "") -> dict:
    """A confirmed one-hour booking `days_ahead` days from now (distinct days never clash)."""
    start = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    booking = {
        "resource_id": account.resource_id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
        "note": note,
    }
    status, _, created = host.request("POST", "/api/v1/bookings/", booking, token=account.token)
    assert status == 201, created
    assert created["status"] == "confirmed", created
    return created
