"""Fixtures for the client tests: the production stack, the live document, the generated
Python client, and users logged in through it.

Run with `make test-clients` (`-c tests/clients/pytest.ini` keeps the project's Django test
settings out: everything here talks to the server over HTTP only)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.clients import generate, stack
from tests.harness.signals import raise_on_sigterm

REPORTS = stack.ROOT / "reports" / "clients"
PASSWORD = "correct-horse-battery-staple"

# Each operation's tag: the generated package's folder (api/<tag>/<operation id>.py). Read
# from the committed document, which tests/unit/test_openapi_document.py pins.
OPERATION_TAGS = {
    operation["operationId"]: operation["tags"][0]
    for operations in json.loads((stack.ROOT / "docs" / "openapi.json").read_text())[
        "paths"
    ].values()
    for operation in operations.values()
}


@pytest.fixture(scope="session")
def live() -> Iterator[stack.Stack]:
    raise_on_sigterm()  # a CI timeout or `kill` tears the stack down: server, database, Redis
    REPORTS.mkdir(parents=True, exist_ok=True)
    log_path = REPORTS / "server.log"
    log_path.unlink(missing_ok=True)
    with stack.running(log_path) as running:
        yield running


@pytest.fixture(scope="session")
def document_path(live: stack.Stack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("document") / "openapi.json"
    generate.fetch_document(live.base_url, path)
    return path


@pytest.fixture(scope="session")
def gen(document_path: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate.python_client(document_path, tmp_path_factory.mktemp("python-client"))


class Api:
    """The generated client's operations and models by name: `api.op("get_booking")`."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package

    def op(self, name: str) -> Any:
        return generate.operation(self.package, OPERATION_TAGS[name], name)

    def model(self, name: str) -> Any:
        return generate.model(self.package, name)

    def anonymous(self, base_url: str) -> Any:
        # Any status the document does not declare raises instead of returning None.
        return self.package.Client(base_url=base_url, raise_on_unexpected_status=True)

    def authenticated(self, base_url: str, token: str) -> Any:
        return self.package.AuthenticatedClient(
            base_url=base_url, token=token, raise_on_unexpected_status=True
        )


@pytest.fixture(scope="session")
def api(gen: ModuleType) -> Api:
    return Api(gen)


@dataclass
class User:
    id: int
    username: str
    token: str
    client: Any


def log_in(api: Api, base_url: str, username: str, password: str) -> str:
    response = api.op("issue_token").sync_detailed(
        client=api.anonymous(base_url),
        body=api.model("TokenIn")(username=username, password=password),
    )
    assert response.status_code == 200, response.content
    assert isinstance(response.parsed, api.model("TokenOut"))
    token: str = response.parsed.token
    return token


@pytest.fixture
def new_user(api: Api, live: stack.Stack) -> Any:
    """Register a fresh user through the client and log in; returns a User."""

    def make(prefix: str = "user") -> User:
        username = f"{prefix}-{secrets.token_hex(4)}"
        response = api.op("register_user").sync_detailed(
            client=api.anonymous(live.base_url),
            body=api.model("RegisterIn")(
                username=username, email=f"{username}@example.com", password=PASSWORD
            ),
        )
        assert response.status_code == 201, response.content
        token = log_in(api, live.base_url, username, PASSWORD)
        return User(response.parsed.id, username, token, api.authenticated(live.base_url, token))

    return make


@pytest.fixture(scope="session")
def staff_client(api: Api, live: stack.Stack) -> Any:
    token = log_in(api, live.base_url, stack.STAFF_USERNAME, live.staff_password)
    return api.authenticated(live.base_url, token)
