"""Error codes can grow within a major version (docs/api.md, Errors): a Python client
generated from the release document keeps working against a server that has gained codes.

The release document (docs/openapi-release.json, as committed) is first taken back to before
two codes existed: they leave its list of codes, so the generated client has never heard of
them (its sources are searched to be sure). Then the live server answers with them, through
operations the release has. With ErrorCode an open string, the client parses both answers
into their declared models; were it an enum again, it would raise ValueError on each."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.clients import generate, stack
from tests.clients.conftest import OPERATION_TAGS, PASSWORD, Api

RELEASE = stack.ROOT / "docs" / "openapi-release.json"
# Codes the server answers that the release's client must not know: a 409 (ErrorOut) and a
# rule's 422 (ValidationErrorOut), both from registration, which needs no token.
GAINED = ("username_taken", "weak_password")


def before_codes(document: dict[str, Any], gone: tuple[str, ...]) -> dict[str, Any]:
    """The document as released before `gone` existed: out of every list of codes."""
    codes = document["components"]["schemas"]["ErrorCode"]
    for key in ("examples", "enum"):
        if key in codes:
            codes[key] = [code for code in codes[key] if code not in gone]
    return document


@pytest.fixture(scope="module")
def release_api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    workdir = tmp_path_factory.mktemp("release-client")
    older = workdir / "openapi-release.json"
    older.write_text(json.dumps(before_codes(json.loads(RELEASE.read_text()), GAINED)))
    package = generate.python_client(older, workdir, package="release_client")
    assert not _mentions(package, GAINED), "the client must not know the gained codes"
    return Api(package)


def _mentions(package: ModuleType, words: tuple[str, ...]) -> list[str]:
    folder = Path(str(package.__file__)).parent
    return [
        f"{source.relative_to(folder)}: {word}"
        for source in folder.rglob("*.py")
        for word in words
        if word in source.read_text()
    ]


def register(api: Api, base_url: str, username: str, password: str = PASSWORD) -> Any:
    module = generate.operation(api.package, OPERATION_TAGS["register_user"], "register_user")
    return module.sync_detailed(
        client=api.anonymous(base_url),
        body=api.model("RegisterIn")(
            username=username, email=f"{username}@example.com", password=password
        ),
    )


def test_a_gained_code_in_an_error_body(release_api: Api, live: stack.Stack) -> None:
    username = f"codes-{secrets.token_hex(4)}"
    assert register(release_api, live.base_url, username).status_code == 201

    taken = register(release_api, live.base_url, username)

    assert taken.status_code == 409, taken.content
    assert isinstance(taken.parsed, release_api.model("ErrorOut")), taken.content
    assert taken.parsed.code == "username_taken"
    assert taken.parsed.detail


def test_a_gained_code_in_a_422(release_api: Api, live: stack.Stack) -> None:
    username = f"codes-{secrets.token_hex(4)}"
    weak = register(release_api, live.base_url, username, password="1234567890")

    assert weak.status_code == 422, weak.content
    assert isinstance(weak.parsed, release_api.model("ValidationErrorOut")), weak.content
    assert weak.parsed.code == "weak_password"
    assert {issue.type_ for issue in weak.parsed.detail} == {"weak_password"}
