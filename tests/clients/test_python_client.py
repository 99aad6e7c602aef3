"""The whole flow through a Python client generated from the live document, against the
production stack. Every answer, errors included, must parse into the model the document
declares for its status: the client raises on any undeclared status, and a body with fields
the model does not know shows up in `additional_properties`."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest

from tests.clients import stack
from tests.clients.conftest import OPERATION_TAGS, PASSWORD, Api, User

HOUR = timedelta(hours=1)


def parsed(response: Any, status: int, model: Any) -> Any:
    """The body parsed into `model`, with nothing the model does not declare."""
    assert response.status_code == HTTPStatus(status), (response.status_code, response.content)
    assert isinstance(response.parsed, model), (type(response.parsed), response.content)
    assert response.parsed.additional_properties == {}, response.content
    return response.parsed


def refused(api: Api, response: Any, status: int, code: str) -> Any:
    """An error in its declared model (ValidationErrorOut for a 422, ErrorOut otherwise),
    its code a plain string: the set of codes is open (docs/api.md, Errors)."""
    body = parsed(
        response, status, api.model("ValidationErrorOut" if status == 422 else "ErrorOut")
    )
    assert isinstance(body.code, str), response.content
    assert body.code == code
    return body


def broke_rule(api: Api, response: Any, code: str, field: str | None) -> None:
    """A 422 from a domain rule: one typed issue pointing at the input, its type the code."""
    body = refused(api, response, 422, code)
    loc = ["body", "payload", field] if field else ["body", "payload"]
    assert [(issue.loc, issue.type_) for issue in body.detail] == [(loc, code)], response.content
    for issue in body.detail:
        assert isinstance(issue, api.model("ValidationIssue"))
        assert issue.msg
        assert issue.additional_properties == {}


def test_operations_have_short_names(api: Api) -> None:
    """The generated functions are named after short operation ids, one module each."""
    folder = Path(str(api.package.__file__)).parent / "api"
    generated = {
        (tag.name, module.stem)
        for tag in folder.iterdir()
        if tag.is_dir() and tag.name != "__pycache__"
        for module in tag.glob("*.py")
        if module.stem != "__init__"
    }
    assert generated == {(tag, name) for name, tag in OPERATION_TAGS.items()}


@pytest.fixture
def resource_id(api: Api, staff_client: Any) -> int:
    """A resource of this test's own, made by the staff user through the client."""
    response = api.op("create_resource").sync_detailed(
        client=staff_client,
        body=api.model("ResourceIn")(name=f"Room {secrets.token_hex(4)}"),
    )
    resource = parsed(response, 201, api.model("ResourceOut"))
    assert resource.description == ""
    return int(resource.id)


def tomorrow(hour: int) -> datetime:
    day = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    return day.replace(hour=hour)


def book(api: Api, user: User, resource_id: int, start: datetime, end: datetime) -> Any:
    body = api.model("BookingIn")(resource_id=resource_id, start=start, end=end)
    return api.op("create_booking").sync_detailed(client=user.client, body=body)


def test_register_log_in_book_read_list_cancel(
    api: Api, live: stack.Stack, new_user: Any, resource_id: int
) -> None:
    alice = new_user("alice")
    me = parsed(
        api.op("get_current_user").sync_detailed(client=alice.client), 200, api.model("MeOut")
    )
    assert (me.id, me.username, me.is_staff) == (alice.id, alice.username, False)

    page = parsed(
        api.op("list_resources").sync_detailed(client=alice.client, limit=100),
        200,
        api.model("PagedResourceOut"),
    )
    assert resource_id in [item.id for item in page.items]
    assert page.count >= 1

    start = tomorrow(9)
    booking = parsed(
        book(api, alice, resource_id, start, start + HOUR), 201, api.model("BookingOut")
    )
    assert (booking.resource_id, booking.user_id) == (resource_id, alice.id)
    assert (booking.start, booking.end) == (start, start + HOUR)
    assert booking.status == api.model("BookingStatus").CONFIRMED
    assert booking.note == ""

    read = api.op("get_booking").sync_detailed(booking.id, client=alice.client)
    assert parsed(read, 200, api.model("BookingOut")).to_dict() == booking.to_dict()

    listed = parsed(
        api.op("list_user_bookings").sync_detailed(alice.id, client=alice.client),
        200,
        api.model("PagedBookingOut"),
    )
    assert [item.id for item in listed.items] == [booking.id]
    assert listed.count == 1

    cancel = api.op("cancel_booking").sync_detailed(booking.id, client=alice.client)
    assert cancel.status_code == HTTPStatus.NO_CONTENT
    assert cancel.content == b""
    after = api.op("get_booking").sync_detailed(booking.id, client=alice.client)
    assert parsed(after, 200, api.model("BookingOut")).status == "cancelled"

    logout = api.op("revoke_token").sync_detailed(client=alice.client)
    assert logout.status_code == HTTPStatus.NO_CONTENT


def test_a_retried_booking_with_its_idempotency_key_books_once(
    api: Api, new_user: Any, resource_id: int
) -> None:
    """The client sends the same Idempotency-Key again, as after a lost answer: the same
    booking comes back, and the user holds one (docs/api.md, Safe retries)."""
    carol = new_user("carol")
    start = tomorrow(13)
    body = api.model("BookingIn")(resource_id=resource_id, start=start, end=start + HOUR)
    key = secrets.token_hex(16)
    answers = [
        api.op("create_booking").sync_detailed(client=carol.client, body=body, idempotency_key=key)
        for _ in range(2)
    ]
    first, again = (parsed(answer, 201, api.model("BookingOut")) for answer in answers)
    assert again.to_dict() == first.to_dict()
    listed = api.op("list_user_bookings").sync_detailed(carol.id, client=carol.client)
    assert parsed(listed, 200, api.model("PagedBookingOut")).count == 1


def test_overlap_is_a_409_with_its_code(api: Api, new_user: Any, resource_id: int) -> None:
    alice, bob = new_user("alice"), new_user("bob")
    start = tomorrow(10)
    parsed(book(api, alice, resource_id, start, start + 2 * HOUR), 201, api.model("BookingOut"))
    overlapping = book(api, bob, resource_id, start + HOUR, start + 3 * HOUR)
    refused(api, overlapping, 409, "booking_overlap")
    # Back to back is not an overlap: [start, end) is half-open.
    adjacent = book(api, bob, resource_id, start + 2 * HOUR, start + 3 * HOUR)
    parsed(adjacent, 201, api.model("BookingOut"))


@pytest.mark.parametrize(
    ("case", "start_offset", "length", "code", "field"),
    [
        ("start in the past", -2 * HOUR, HOUR, "booking_in_past", "start"),
        ("end before start", 3 * HOUR, -HOUR, "booking_end_before_start", "end"),
        ("longer than the maximum (8 h)", 3 * HOUR, 9 * HOUR, "booking_too_long", "end"),
    ],
)
def test_each_rule_is_a_422_with_its_code(
    api: Api,
    new_user: Any,
    resource_id: int,
    case: str,
    start_offset: timedelta,
    length: timedelta,
    code: str,
    field: str,
) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + start_offset
    broke_rule(api, book(api, new_user(), resource_id, start, start + length), code, field)


def test_cap_on_active_bookings_is_a_422_with_its_code(
    api: Api, new_user: Any, resource_id: int
) -> None:
    carol = new_user("carol")
    starts = [tomorrow(8) + n * HOUR for n in range(stack.BOOKING_CAP + 1)]
    for start in starts[:-1]:
        parsed(book(api, carol, resource_id, start, start + HOUR), 201, api.model("BookingOut"))
    over = book(api, carol, resource_id, starts[-1], starts[-1] + HOUR)
    broke_rule(api, over, "booking_cap_reached", field=None)  # the whole request, no field


def test_malformed_body_is_the_validation_list(api: Api, live: stack.Stack, new_user: Any) -> None:
    start = tomorrow(12)
    # resource_id 0 is outside the declared range (minimum 1); the client does not check it.
    response = book(api, new_user(), 0, start, start + HOUR)
    body = refused(api, response, 422, "validation_error")
    assert [issue.loc for issue in body.detail] == [["body", "payload", "resource_id"]]
    assert [issue.type_ for issue in body.detail] == ["greater_than_equal"]


def test_another_users_booking_is_a_404(api: Api, new_user: Any, resource_id: int) -> None:
    alice, mallory = new_user("alice"), new_user("mallory")
    start = tomorrow(14)
    booking = parsed(
        book(api, alice, resource_id, start, start + HOUR), 201, api.model("BookingOut")
    )
    for name in ("get_booking", "cancel_booking"):
        response = api.op(name).sync_detailed(booking.id, client=mallory.client)
        refused(api, response, 404, "booking_not_found")
    still = api.op("get_booking").sync_detailed(booking.id, client=alice.client)
    assert parsed(still, 200, api.model("BookingOut")).status == "confirmed"


def test_bad_token_is_a_401(api: Api, live: stack.Stack) -> None:
    client = api.authenticated(live.base_url, "not-a-token")
    refused(api, api.op("get_current_user").sync_detailed(client=client), 401, "unauthenticated")


def test_repeated_failed_logins_are_throttled(
    api: Api, live: stack.Stack, new_user: Any, document_path: Path
) -> None:
    dave = new_user("dave")
    anonymous = api.anonymous(live.base_url)
    wrong = api.model("TokenIn")(username=dave.username, password="wrong-password")
    for _ in range(stack.LOGIN_MAX_FAILURES):
        response = api.op("issue_token").sync_detailed(client=anonymous, body=wrong)
        refused(api, response, 401, "invalid_credentials")
    # Now even the right password waits, and the answer says for how long.
    right = api.model("TokenIn")(username=dave.username, password=PASSWORD)
    throttled = api.op("issue_token").sync_detailed(client=anonymous, body=right)
    refused(api, throttled, 429, "login_throttled")
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    # The client learns of the header from the document (TypeScript types it from there).
    document = json.loads(document_path.read_text())
    declared = document["paths"]["/api/v1/auth/token/"]["post"]["responses"]["429"]["headers"]
    assert "Retry-After" in declared, f"the 429 declares only {sorted(declared)}"
