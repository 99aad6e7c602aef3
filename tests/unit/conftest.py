"""Fixtures of the unit layer: a user, alice, and her token; the settings module, loaded
afresh."""

import runpy
from typing import Any

import pytest

import example_api.settings


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def alice_token(alice, token_for):
    return token_for(alice)


@pytest.fixture
def load_settings(monkeypatch):
    """Runs the settings module afresh, as a starting process would, with only the given
    SECRET_KEY and DEBUG (in process: a new interpreter per case cost ~0.5 s each)."""

    def load(**env: str) -> dict[str, Any]:
        monkeypatch.delenv("SECRET_KEY", raising=False)
        monkeypatch.delenv("DEBUG", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(example_api.settings.__file__)

    return load
