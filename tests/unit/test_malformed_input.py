"""Malformed input of any shape gets a 4xx JSON answer, never a 500 or an HTML page."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain_support import BOOKINGS, RESOURCES, booking_body, booking_url, user_bookings_url
from tests.endpoints import ME, REGISTER, TOKEN, UNROUTED
from tests.factories import future

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, token_for):
    return token_for(make_user("alice", staff=True))


def assert_json_4xx(response) -> dict:
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "detail" in body
    return body


GOOD_BOOKING = booking_body(1, future())

MALFORMED_BODIES = {
    "bad json": "{not json",
    "truncated json": '{"resource_id": 1, "start": ',
    "json array": "[1, 2, 3]",
    "json string": '"hello"',
    "json null": "null",
    "empty": "",
    "not utf-8": b"\xff\xfe\xfa",
    "wrong types": {"resource_id": "one", "start": 5, "end": True},
    "huge integer": {**GOOD_BOOKING, "resource_id": 10**40},
    "negative id": {**GOOD_BOOKING, "resource_id": -5},
    "float id": {**GOOD_BOOKING, "resource_id": 1.5},
    "naive datetimes": {**GOOD_BOOKING, "start": "2030-01-01T09:00:00"},
    "date only": {**GOOD_BOOKING, "start": "2030-01-01"},
    "year 9999 with offset": {**GOOD_BOOKING, "start": "9999-12-31T23:00:00-05:00"},
    "year 0": {**GOOD_BOOKING, "start": "0000-01-01T00:00:00Z"},
    "nul in note": {**GOOD_BOOKING, "note": "a\x00b"},
    "very long note": {**GOOD_BOOKING, "note": "x" * 10_000},
    "unknown field": {**GOOD_BOOKING, "colour": "blue"},
    "nested object": {**GOOD_BOOKING, "note": {"$gt": ""}},
    "too big": {**GOOD_BOOKING, "note": "x" * 300_000},
}


def test_a_flood_of_unknown_keys_gets_a_short_422(api):
    # ~150 KB of unknown keys, one of them 5,000 characters long: the answer used to list
    # each with its input echoed, ten times the request's size.
    body = {"username": "a", "password": "x" * 20, "k" * 5_000: "v"}
    body |= {f"key{i}": "v" * 60 for i in range(2_000)}
    response = api.post(REGISTER, body)
    answer = assert_json_4xx(response)
    assert response.status_code == 422
    assert len(response.content) < 8_000 < len(json.dumps(body)) // 10
    issues = answer["detail"]
    assert len(issues) == 21
    more = issues.pop()
    assert (more["loc"], more["type"]) == (["body"], "too_many_errors")
    assert int(more["msg"].removesuffix(" more problems")) >= 2_001 - 20  # the keys at least
    assert all(set(issue) <= {"loc", "msg", "type", "ctx"} for issue in issues)  # no input
    assert max(len(part) for issue in issues for part in issue["loc"]) == 100


@pytest.mark.parametrize("body", MALFORMED_BODIES.values(), ids=MALFORMED_BODIES.keys())
@pytest.mark.parametrize("path", [BOOKINGS, RESOURCES, REGISTER])
def test_malformed_bodies_are_json_4xx(api, token, resource, path, body):
    assert_json_4xx(api.post(path, body, token=token))


@pytest.mark.parametrize(
    "body",
    [
        {"username": "a\x00b", "email": "a@example.com", "password": "long-enough-pass"},
        {"username": "has space", "email": "a@example.com", "password": "long-enough-pass"},
        {"username": "x" * 151, "email": "a@example.com", "password": "long-enough-pass"},
        {"username": "ok", "email": "not-an-email", "password": "long-enough-pass"},
        {"username": "ok", "email": "a@example.com", "password": "x" * 129},
        {"username": "ok", "email": "a@example.com"},
    ],
)
def test_malformed_registrations_are_422(api, body):
    response = api.post(REGISTER, body)
    assert response.status_code == 422
    assert_json_4xx(response)


def test_wrong_content_type_is_json_4xx(api, token):
    response = api.client.post(
        BOOKINGS,
        data="resource_id=1",
        content_type="text/plain",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_json_4xx(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", BOOKINGS),
        ("patch", ME),
        ("get", TOKEN),
        ("post", booking_url(1)),
    ],
)
def test_wrong_method_is_json_405(api, method, path):
    response = getattr(api.client, method)(path)
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed", "code": "method_not_allowed"}
    assert response["Allow"]
    assert response["Cache-Control"] == "no-store"  # every answer under /api/, errors too


@pytest.mark.parametrize("path", UNROUTED)
def test_unknown_api_paths_are_json_404(api, path):
    response = api.client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "code": "not_found"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", RESOURCES),
        ("post", BOOKINGS),  # before authentication: no token, still 400
        ("post", REGISTER),  # before parsing the (missing) body
        ("get", UNROUTED[0]),
    ],
)
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "[::1", "a b"])
def test_disallowed_host_is_json_400_under_api(api, method, path, host):
    response = getattr(api.client, method)(path, headers={"Host": host})
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad Request", "code": "bad_request"}
    assert response["Cache-Control"] == "no-store"


def test_allowed_hosts_are_served(api, token, settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    headers = {"Host": "api.example.com", "Authorization": f"Bearer {token}"}
    assert api.client.get(RESOURCES, headers=headers).status_code == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
booking_like = st.fixed_dictionaries(
    {},
    optional={
        "resource_id": json_values,
        "start": json_values | st.datetimes().map(lambda d: d.isoformat()),
        "end": json_values | st.datetimes().map(lambda d: d.isoformat()),
        "note": json_values,
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=booking_like | json_values)
def test_fuzzed_booking_bodies_never_fail_with_5xx(api, token, body):
    response = api.post(BOOKINGS, json.dumps(body), token=token)
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(["limit", "offset", "status", "starts_after", "starts_before"]),
        st.text(max_size=30),
    )
)
def test_fuzzed_list_queries_never_fail_with_5xx(api, token, query):
    from example_api.accounts.models import User

    user_id = User.objects.get(username="alice").pk
    response = api.client.get(
        user_bookings_url(user_id), query, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (200, 422), response.content[:300]
