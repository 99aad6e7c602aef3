"""The load's users: each with a resource of its own, made through lb1 as a client would.

The staff member who creates the resources is made on app1 (createsuperuser); everything
else goes through the balancer, since app hosts take HTTPS from lb1 only.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from accounts import Account, login
from ledger import LoadAccount

if TYPE_CHECKING:
    from topology import Balancer


def make_load_account(lb: Balancer, staff_token: str) -> LoadAccount:
    status, _, resource = lb.request(
        "POST",
        "/api/v1/resources/",
        {"name": f"Cluster room {secrets.token_hex(4)}", "description": "cluster load"},
        token=staff_token,
    )
    assert status == 201, resource
    user, password = f"load{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    status, _, body = lb.request(
        "POST",
        "/api/v1/users/",
        {"username": user, "email": f"{user}@example.com", "password": password},
    )
    assert status == 201, body
    token = login(lb, user, password)
    status, _, me = lb.request("GET", "/api/v1/users/me/", token=token)
    assert status == 200, me
    return LoadAccount(Account(user, password, token, resource["id"]), me["id"])
