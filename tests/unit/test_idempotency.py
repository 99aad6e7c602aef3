"""Safe retries (docs/api.md): a create sent again with its Idempotency-Key gets the first
answer and creates nothing; the key with another body is 422; a malformed key 400; a failed
request keeps nothing; keys belong to one user and expire. Concurrent repeats on PostgreSQL:
tests/integration/test_idempotency.py."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from example_api.accounts.models import User
from example_api.bookings.models import Booking
from example_api.idempotency import services
from example_api.idempotency.cleanup import prune
from example_api.idempotency.models import IdempotencyKey
from tests.domain_support import BOOKINGS, booking_body
from tests.endpoints import REGISTER
from tests.factories import PASSWORD, future

pytestmark = pytest.mark.django_db


def new_key() -> str:
    return str(uuid.uuid4())


def registration(username: str = "carol", password: str = PASSWORD) -> dict[str, str]:
    return {"username": username, "email": f"{username}@example.com", "password": password}


def register(api, body, key):
    return api.post(REGISTER, body, HTTP_IDEMPOTENCY_KEY=key)


def test_a_repeat_gets_the_first_answer_and_creates_nothing(api):
    key = new_key()
    first = register(api, registration(), key)
    again = register(api, registration(), key)

    assert first.status_code == 201, first.content
    assert (again.status_code, again.content) == (201, first.content)
    assert again["Content-Type"] == first["Content-Type"]
    assert User.objects.filter(username="carol").count() == 1


def test_the_same_json_in_another_order_is_the_same_body(api):
    key = new_key()
    body = registration()
    first = register(api, body, key)
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = register(api, reordered, key)
    assert (again.status_code, again.content) == (201, first.content)


def test_the_key_with_another_body_is_refused(api):
    key = new_key()
    assert register(api, registration("carol"), key).status_code == 201

    other = register(api, registration("dave"), key)

    assert other.status_code == 422
    assert other.json() == {
        "detail": [
            {
                "loc": ["body", "payload"],
                "msg": "this Idempotency-Key was sent with another body; use a new key for a "
                "new request",
                "type": "idempotency_key_reused",
            }
        ],
        "code": "idempotency_key_reused",
    }
    assert not User.objects.filter(username="dave").exists()


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "ключ"], ids=repr)
def test_a_malformed_key_is_a_400(api, key):
    response = api.post(REGISTER, registration(), HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert not User.objects.exists()


def test_a_failed_request_keeps_nothing(api):
    key = new_key()
    weak = register(api, registration(password="1234567890"), key)
    assert weak.status_code == 422
    assert not IdempotencyKey.objects.exists()

    corrected = register(api, registration(), key)
    assert corrected.status_code == 201


def test_without_a_key_nothing_is_kept(api):
    assert api.post(REGISTER, registration()).status_code == 201
    assert not IdempotencyKey.objects.exists()


def test_keys_are_each_users_own(api, resource, make_user, token_for):
    key = new_key()
    body = booking_body(resource.pk, future(1))
    alice, bob = token_for(make_user("alice")), token_for(make_user("bob"))
    first = api.post(BOOKINGS, body, token=alice, HTTP_IDEMPOTENCY_KEY=key)
    # Bob's request with the same key is his own: it runs, and the slot is taken.
    bobs = api.post(BOOKINGS, body, token=bob, HTTP_IDEMPOTENCY_KEY=key)
    again = api.post(BOOKINGS, body, token=alice, HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == 201
    assert bobs.status_code == 409
    assert (again.status_code, again.content) == (201, first.content)
    assert Booking.objects.count() == 1


def test_an_expired_key_is_free_again(api, settings):
    key = new_key()
    assert register(api, registration(), key).status_code == 201
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    # Not replayed: the registration runs again, and the name is taken now.
    assert register(api, registration(), key).status_code == 409


def test_keys_live_the_configured_time(api, settings):
    settings.IDEMPOTENCY_KEY_TTL_SECONDS = 3600
    before = timezone.now()
    register(api, registration(), new_key())
    kept = IdempotencyKey.objects.get()
    assert timedelta(seconds=3600) <= kept.expires_at - before < timedelta(seconds=3610)


def test_prune_deletes_expired_keys_only(api):
    expired, kept = new_key(), new_key()
    register(api, registration("carol"), expired)
    register(api, registration("dave"), kept)
    IdempotencyKey.objects.filter(key=expired).update(expires_at=timezone.now())

    assert prune() == 1
    assert prune() == 0
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [kept]


def test_the_document_declares_the_header_on_each_create(api):
    from tests.unit.test_openapi_document import OPERATIONS

    creates = {"register_user", "create_booking"}
    creates.add("submit_assistant_request")  # part: assistant
    declared = {
        name
        for name, operation in OPERATIONS.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert declared == creates


def test_an_outage_as_the_answer_is_kept_is_a_503_and_keeps_nothing(api, monkeypatch):
    """Keeping the answer runs around the operation, outside Ninja's handlers: an outage
    there is still answered 503 (ApiResponsesMiddleware), and the transaction is undone."""

    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "settle", down)
    response = register(api, registration(), new_key())

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"]
    assert not User.objects.exists()
    assert not IdempotencyKey.objects.exists()
