"""Registration, login tokens, logout and /users/me/: every row of docs/api.md for accounts."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import override_settings
from django.utils import timezone

from example_api.accounts.models import ApiToken, User
from example_api.accounts.tokens import hash_token
from tests.endpoints import ME, REGISTER, TOKEN
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_register_creates_a_user(api):
    response = api.post(
        REGISTER, {"username": "carol", "email": "carol@example.com", "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.CREATED
    user = User.objects.get(username="carol")
    assert response.json() == {"id": user.pk, "username": "carol", "email": "carol@example.com"}
    assert user.check_password(PASSWORD)
    assert not user.is_staff


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", "too common"),
        ("12345678901234", "entirely numeric"),
    ],
)
def test_register_rejects_a_weak_password(api, password, message):
    response = api.post(
        REGISTER, {"username": "carol", "email": "carol@example.com", "password": password}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = response.json()
    assert body["code"] == "weak_password"
    errors = body["detail"]
    assert all(error["loc"] == ["body", "payload", "password"] for error in errors)
    assert any(message in error["msg"] for error in errors)
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alice"])
def test_register_refuses_a_taken_username_in_any_case(api, make_user, taken):
    make_user("alice")
    response = api.post(
        REGISTER, {"username": taken, "email": "other@example.com", "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {"detail": "username is taken", "code": "username_taken"}


def test_a_taken_username_costs_no_password_hash(api, make_user, monkeypatch):
    # A hash costs ~0.3 CPU-s in production: a 409 must not spend one (issue 28, defect 2).
    make_user("alice")
    hashed = []
    monkeypatch.setattr(User, "set_password", lambda self, raw: hashed.append(raw))
    body = {"username": "alice", "email": "other@example.com", "password": PASSWORD}
    assert api.post(REGISTER, body).status_code == HTTPStatus.CONFLICT
    assert hashed == []


@pytest.mark.parametrize("field", ["is_staff", "is_superuser", "id"])
def test_register_rejects_fields_a_client_may_not_set(api, field):
    body = {"username": "mallory", "email": "m@example.com", "password": PASSWORD, field: True}
    response = api.post(REGISTER, body)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert not User.objects.filter(username="mallory").exists()


def test_login_returns_a_token_that_is_stored_only_as_a_hash(api, make_user):
    user = make_user("alice")
    response = api.post(TOKEN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert response["Cache-Control"] == "no-store"  # no cache or proxy keeps the token
    stored = ApiToken.objects.get(user=user)
    assert stored.key_hash == hash_token(body["token"])
    assert body["token"] not in stored.key_hash
    assert len(body["token"]) >= 40
    lifetime = stored.expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)
    assert api.get(ME, token=body["token"]).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password-123"), ("nobody", PASSWORD), ("ALICE", PASSWORD)],
)
def test_login_with_bad_credentials_is_401(api, make_user, username, password):
    make_user("alice")
    response = api.post(TOKEN, {"username": username, "password": password})
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "detail": "invalid username or password",
        "code": "invalid_credentials",
    }
    # Every 401 names its scheme (RFC 9110), as docs/api.md and the OpenAPI document say.
    assert response["WWW-Authenticate"] == "Bearer"
    assert not ApiToken.objects.exists()


def test_inactive_user_cannot_log_in(api, make_user):
    user = make_user("alice")
    user.is_active = False
    user.save()
    assert api.post(TOKEN, {"username": "alice", "password": PASSWORD}).status_code == 401


def test_five_failures_for_a_username_lock_it_even_with_the_right_password(api, make_user):
    make_user("alice")
    for _ in range(5):
        assert api.post(TOKEN, {"username": "alice", "password": "nope-nope-1"}).status_code == 401
    response = api.post(TOKEN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.json() == {
        "detail": "too many failed login attempts; try again later",
        "code": "login_throttled",
    }
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    # Another username from another address is not affected.
    make_user("bob")
    other = api.post(TOKEN, {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == HTTPStatus.OK


def test_twenty_failures_from_one_address_lock_that_address(api, make_user):
    make_user("alice")
    for attempt in range(20):
        api.post(TOKEN, {"username": f"guess{attempt}", "password": "x"}, REMOTE_ADDR="10.1.1.1")
    locked = api.post(TOKEN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    elsewhere = api.post(TOKEN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert elsewhere.status_code == HTTPStatus.OK


@override_settings(LOGIN_FAILURE_WINDOW_SECONDS=1)
def test_the_lock_lifts_when_the_window_passes(api, make_user):
    make_user("alice")
    for _ in range(5):
        api.post(TOKEN, {"username": "alice", "password": "nope-nope-1"})
    assert api.post(TOKEN, {"username": "alice", "password": PASSWORD}).status_code == 429
    import time

    time.sleep(1.1)
    assert api.post(TOKEN, {"username": "alice", "password": PASSWORD}).status_code == 200


def test_logout_revokes_only_the_token_it_is_called_with(api, make_user, token_for):
    user = make_user("alice")
    first, second = token_for(user), token_for(user)
    response = api.delete(TOKEN, token=first)
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    assert api.get(ME, token=first).status_code == HTTPStatus.UNAUTHORIZED
    assert api.get(ME, token=second).status_code == HTTPStatus.OK
    assert ApiToken.objects.get(key_hash=hash_token(first)).revoked_at is not None


def test_logout_without_a_token_is_401(api):
    response = api.delete(TOKEN)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "detail": "missing, invalid, expired or revoked token",
        "code": "unauthenticated",
    }
    assert response["WWW-Authenticate"] == "Bearer"


def test_me_returns_the_token_holder(api, make_user, token_for):
    user = make_user("alice", staff=True)
    response = api.get(ME, token=token_for(user))
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": user.pk,
        "username": "alice",
        "email": "alice@example.com",
        "is_staff": True,
    }


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Token abc", "Bearer not-a-token", "Bearer " + "x" * 5000],
)
def test_me_rejects_missing_or_malformed_credentials(api, header):
    response = api.get(ME, headers={"Authorization": header} if header else {})
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["detail"]


@pytest.mark.parametrize("username", ["ünïcödé", "a b\tc", "x" * 150, "\U0001f600:key"])
def test_any_username_counts_failures_without_error(api, username):
    for _ in range(5):
        assert api.post(TOKEN, {"username": username, "password": "nope-nope-1"}).status_code == 401
    assert api.post(TOKEN, {"username": username, "password": "nope-nope-1"}).status_code == 429
