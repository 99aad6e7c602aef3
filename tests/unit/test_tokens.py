"""Tokens resolve to an immutable Principal through process memory, Django's cache and the
database; the revocation bound documented in example_api/accounts/tokens.py holds."""

import dataclasses
import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from example_api.accounts.models import ApiToken
from example_api.accounts.tokens import Principal, TokenResolver, resolver
from tests.endpoints import ME, TOKEN
from tests.factories import issue_token

pytestmark = pytest.mark.django_db


class Clock:
    """A monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_a_token_resolves_to_an_immutable_principal(make_user):
    user = make_user(staff=True)
    raw = issue_token(user)
    principal = resolver.resolve(raw)
    stored = ApiToken.objects.get(user=user)
    assert principal == Principal(user.pk, True, stored.pk, stored.expires_at)
    with pytest.raises(dataclasses.FrozenInstanceError):
        principal.is_staff = False  # type: ignore[misc]
    assert resolver.resolve(raw) is principal  # the same object for every request
    assert resolver.resolve("not-a-token") is None


def test_one_query_cold_then_none_from_either_cache(make_user):
    raw = issue_token(make_user())
    assert queries(lambda: resolver.resolve(raw)) == 1
    assert queries(lambda: resolver.resolve(raw)) == 0  # this process's memory
    resolver.clear()
    assert queries(lambda: resolver.resolve(raw)) == 0  # the shared cache


def test_the_process_layer_lasts_its_seconds_then_asks_the_shared_cache(make_user, settings):
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 5
    clock = Clock()
    process = TokenResolver(clock)
    raw = issue_token(make_user())
    assert process.resolve(raw) is not None
    cache.clear()  # from now on only this process's memory knows the token
    clock.now += 4.9
    assert queries(lambda: process.resolve(raw)) == 0
    clock.now += 0.2
    assert queries(lambda: process.resolve(raw)) == 1  # expired: back to the database


def test_no_process_layer_when_its_seconds_are_zero(make_user, settings):
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 0
    process = TokenResolver()
    raw = issue_token(make_user())
    process.resolve(raw)
    assert process.local_size() == 0
    assert queries(lambda: process.resolve(raw)) == 0  # the shared cache still answers


def test_the_process_layer_is_bounded(make_user, monkeypatch):
    monkeypatch.setattr(TokenResolver, "MAX_LOCAL_ENTRIES", 3)
    process = TokenResolver()
    user = make_user()
    raws = [issue_token(user) for _ in range(7)]
    for raw in raws:
        assert process.resolve(raw) is not None
    assert process.local_size() <= 3


def test_expiry_is_checked_on_every_request_even_from_memory(make_user):
    raw = issue_token(make_user(), expires_in=timedelta(seconds=1))
    assert resolver.resolve(raw) is not None
    time.sleep(1.05)
    assert resolver.resolve(raw) is None


# --- the revocation bound ----------------------------------------------------------------------


def test_logout_fails_the_token_at_once_in_the_same_process(api, make_user, token_for):
    raw = token_for(make_user())
    assert api.get(ME, token=raw).status_code == 200  # now in both caches
    assert api.delete(TOKEN, token=raw).status_code == 204
    assert api.get(ME, token=raw).status_code == 401  # nothing cleared by the test


def test_logout_reaches_other_processes_within_their_local_seconds(
    api, make_user, token_for, settings
):
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 5
    clock = Clock()
    other_process = TokenResolver(clock)  # shares the database and Django's cache
    raw = token_for(make_user())
    assert other_process.resolve(raw) is not None
    assert api.delete(TOKEN, token=raw).status_code == 204
    clock.now += 4.9
    assert other_process.resolve(raw) is not None  # still within the bound
    clock.now += 0.2
    assert other_process.resolve(raw) is None  # past it: asks the shared cache, then the DB


def test_changes_made_elsewhere_are_seen_once_both_caches_expire(make_user, settings):
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 5
    clock = Clock()
    process = TokenResolver(clock)
    user = make_user()
    raw = issue_token(user)
    assert process.resolve(raw) is not None
    user.is_active = False
    user.save()
    clock.now += 6
    assert process.resolve(raw) is not None  # the shared entry (API_TOKEN_CACHE_SECONDS) lives
    cache.clear()  # stands for that entry's expiry...
    assert process.resolve(raw) is not None  # ...but memory was refilled from it just now
    clock.now += 5.1
    assert process.resolve(raw) is None  # hence the bound: shared seconds + local seconds


def test_without_caches_a_deactivated_user_is_refused_at_once(api, make_user, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 0
    user = make_user()
    raw = issue_token(user)
    own_list = ME
    assert api.get(own_list, token=raw).status_code == 200
    user.is_active = False
    user.save()
    assert api.get(own_list, token=raw).status_code == 401


def test_me_refuses_a_user_deactivated_while_the_token_is_cached(api, make_user):
    user = make_user()
    raw = issue_token(user)
    assert api.get(ME, token=raw).status_code == 200
    user.is_active = False
    user.save()
    assert api.get(ME, token=raw).status_code == 401  # it loads the row, which says so


def test_threads_share_one_principal(make_user):
    raw = issue_token(make_user())
    seen: list[Principal | None] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(200):
            principal = resolver.resolve(raw)
            with lock:
                seen.append(principal)

    resolver.resolve(raw)  # warm: threads read the cached entry (each would need its own DB)
    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 1600
    assert len({id(principal) for principal in seen}) == 1
