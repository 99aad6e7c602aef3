"""Fixtures of the unit layer's API tests: a user, alice, and her token."""

import pytest


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def alice_token(alice, token_for):
    return token_for(alice)
