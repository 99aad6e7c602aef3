"""Users of a served app, as a client makes them: a staff member (createsuperuser on the
server), a registered user, a login. Nothing here knows the example domain (domain.py does).

`api` is anything with `request(method, path, body=None, token=None) -> (status, headers,
body)`: a lab host, a cluster's balancer.
"""

from __future__ import annotations

import secrets
from typing import Any, Protocol

APP_USER = "example_api"
USERS = "/api/v1/users/"
TOKEN = "/api/v1/auth/token/"


class Api(Protocol):
    def request(
        self, method: str, path: str, body: object | None = None, token: str | None = None
    ) -> tuple[int, dict[str, str], Any]: ...


class Server(Api, Protocol):
    def sudo(self, command: str) -> str: ...


def login(api: Api, username: str, password: str) -> str:
    status, _, body = api.request("POST", TOKEN, {"username": username, "password": password})
    assert status == 200, body
    return str(body["token"])


def register(api: Api, prefix: str = "user") -> tuple[str, str]:
    """A new user (random name after `prefix`): (username, password)."""
    user, password = f"{prefix}{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    status, _, body = api.request(
        "POST", USERS, {"username": user, "email": f"{user}@example.com", "password": password}
    )
    assert status == 201, body
    return user, password


def user_id(api: Api, token: str) -> int:
    status, _, me = api.request("GET", f"{USERS}me/", token=token)
    assert status == 200, me
    return int(me["id"])


def make_staff(host: Server, api: Api | None = None) -> str:
    """A new staff member, made on the server, logged in (through `api`, the host that serves
    the API, when that is another one: a cluster's load balancer): their token."""
    staff, password = f"staff{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    host.sudo(
        f"-u {APP_USER} env DJANGO_SUPERUSER_USERNAME={staff} "
        f"DJANGO_SUPERUSER_PASSWORD={password} DJANGO_SUPERUSER_EMAIL={staff}@example.com "
        f"{APP_USER}-manage createsuperuser --noinput"
    )
    return login(api or host, staff, password)
