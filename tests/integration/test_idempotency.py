"""Concurrent repeats of one create with one Idempotency-Key on real PostgreSQL (docs/api.md,
Safe retries): released together, they create once, and every one of them gets the first
answer. The repeats wait on the key's unique index until the first request commits."""

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from example_api.accounts.models import User
from example_api.bookings.models import Booking, Resource
from example_api.idempotency.models import IdempotencyKey
from tests.client import ApiClient
from tests.domain_support import BOOKINGS, booking_body
from tests.endpoints import REGISTER
from tests.factories import PASSWORD, future, issue_token
from tests.integration.threads import released_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 6


def together(call: Callable[[], Any]) -> list[Any]:
    """`call` in THREADS threads released by one barrier; their answers."""
    return released_together([call] * THREADS)


def test_concurrent_repeats_create_once(make_user):
    token = issue_token(make_user())
    resource = Resource.objects.create(name="Contested by one client")
    body = booking_body(resource.pk, future(3))
    key = str(uuid.uuid4())

    answers = together(
        lambda: ApiClient().post(BOOKINGS, body, token=token, HTTP_IDEMPOTENCY_KEY=key)
    )

    assert len(answers) == THREADS
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.content for answer in answers}) == 1
    assert Booking.objects.filter(resource=resource).count() == 1
    assert IdempotencyKey.objects.filter(key=key).count() == 1


def test_concurrent_registrations_create_once():
    username = f"retry-{uuid.uuid4().hex[:8]}"
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    key = str(uuid.uuid4())

    answers = together(lambda: ApiClient().post(REGISTER, body, HTTP_IDEMPOTENCY_KEY=key))

    assert [answer.status_code for answer in answers] == [201] * THREADS
    assert len({answer.content for answer in answers}) == 1
    assert User.objects.filter(username=username).count() == 1


def test_concurrent_requests_with_one_key_and_other_bodies(make_user):
    """One runs; the others find its key with another body and are refused."""
    token = issue_token(make_user())
    resource = Resource.objects.create(name="Claimed by one body")
    key = str(uuid.uuid4())
    bodies = iter(booking_body(resource.pk, future(4 + 2 * i)) for i in range(THREADS))
    lock = threading.Lock()

    def post() -> Any:
        with lock:
            body = next(bodies)
        return ApiClient().post(BOOKINGS, body, token=token, HTTP_IDEMPOTENCY_KEY=key)

    answers = together(post)

    assert sorted(answer.status_code for answer in answers) == [201] + [422] * (THREADS - 1)
    refused = [answer.json()["code"] for answer in answers if answer.status_code == 422]
    assert set(refused) == {"idempotency_key_reused"}
    assert Booking.objects.filter(resource=resource).count() == 1
