"""The OpenAPI document tells generated clients the truth, in a shape they generate cleanly
from: short operation ids, every error with the schema its body has, declared headers, no
schema that no operation uses. docs/openapi.json is this document (make lint checks it)."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest

from example_api.accounts.errors import LoginThrottled, WeakPassword
from example_api.api import DOMAIN_ERROR_STATUS, api
from example_api.bookings.errors import BookingCapReached, BookingInPast, BookingOverlap
from example_api.error_catalog import ErrorCode
from example_api.error_responses import domain_error_body
from example_api.errors import DomainError
from example_api.schemas import ErrorOut, ValidationErrorOut
from tests import domain_support, endpoints
from tests.factories import future, iso

# As clients read it: JSON, where status codes are strings.
DOCUMENT = json.loads(json.dumps(api.get_openapi_schema()))
OPERATIONS = {
    operation["operationId"]: operation
    for operations in DOCUMENT["paths"].values()
    for operation in operations.values()
}
SCHEMA_REF = "#/components/schemas/{}"


def test_operation_ids_are_short_and_stable():
    assert set(OPERATIONS) == {
        "register_user",
        "issue_token",
        "revoke_token",
        "get_current_user",
        "list_resources",
        "create_resource",
        "create_booking",
        "get_booking",
        "cancel_booking",
        "list_user_bookings",
        "submit_assistant_request",  # part: assistant
        "get_assistant_request",  # part: assistant
    }


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_error_response_names_its_schema_and_headers(operation_id):
    for status, response in OPERATIONS[operation_id]["responses"].items():
        assert "X-Request-ID" in response["headers"]
        if status.startswith("2"):
            continue
        schema = response["content"]["application/json"]["schema"]
        expected = "ValidationErrorOut" if status == "422" else "ErrorOut"
        assert schema == {"$ref": SCHEMA_REF.format(expected)}, status
    responses = OPERATIONS[operation_id]["responses"]
    if "429" in responses:
        assert "Retry-After" in responses["429"]["headers"]
    if "401" in responses:
        assert "WWW-Authenticate" in responses["401"]["headers"]


def test_no_content_means_no_body():
    for operation_id in ("cancel_booking", "revoke_token"):
        assert "content" not in OPERATIONS[operation_id]["responses"]["204"]


def test_every_listed_schema_is_used():
    schemas = DOCUMENT["components"]["schemas"]
    text = json.dumps({"paths": DOCUMENT["paths"], "schemas": schemas})
    for name in schemas:
        assert text.count(f'"{SCHEMA_REF.format(name)}"') >= 1, name
    assert "BookingStatus" in schemas
    assert not {"StatusFilter", "BookingFilters", "PageParams"} & set(schemas)


def test_error_codes_are_an_open_set_listing_every_code():
    """A string with the known codes as examples, never an enum: a client generated from an
    enum refuses codes added later (docs/api.md, Errors; tests/clients/test_new_codes.py)."""
    codes = DOCUMENT["components"]["schemas"]["ErrorCode"]
    assert "enum" not in codes
    assert codes["type"] == "string"
    assert codes["examples"] == [c.value for c in ErrorCode]


def test_optional_request_fields_have_no_default_for_generators():
    for name in ("BookingIn", "ResourceIn", "RegisterIn", "TokenIn"):
        schema = DOCUMENT["components"]["schemas"][name]
        assert all("default" not in prop for prop in schema["properties"].values()), name
    assert "note" not in DOCUMENT["components"]["schemas"]["BookingIn"]["required"]


def test_the_email_and_nul_rules_are_in_the_document():
    register = DOCUMENT["components"]["schemas"]["RegisterIn"]["properties"]
    assert register["email"]["format"] == "email"
    assert "pattern" in register["email"]
    assert register["password"]["pattern"] == "^[^\x00]*$"


EXAMPLES: list[DomainError] = [
    BookingInPast(),
    BookingCapReached(3),
    BookingOverlap(),
    WeakPassword(["This password is too short.", "This password is too common."]),
    LoginThrottled(60),
]


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda error: error.code)
def test_domain_error_bodies_parse_as_the_declared_schema(error):
    status = DOMAIN_ERROR_STATUS[type(error)]
    body = domain_error_body(error, status)
    parsed = (ValidationErrorOut if status == 422 else ErrorOut).model_validate(body)
    assert parsed.code == error.code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start_in", "length", "code", "field"),
    [
        (timedelta(days=-3), timedelta(hours=1), "booking_in_past", "start"),
        (timedelta(days=1), timedelta(hours=9), "booking_too_long", "end"),
        (timedelta(days=1), timedelta(0), "booking_end_before_start", "end"),
    ],
)
def test_a_rule_422_is_shaped_like_every_other_422(
    api, alice_token, resource, start_in, length, code, field
):
    start = future() + start_in
    body = {"resource_id": resource.pk, "start": iso(start), "end": iso(start + length)}
    response = api.post(domain_support.BOOKINGS, body, token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    parsed = ValidationErrorOut.model_validate(response.json())
    assert parsed.code == code
    assert [(issue.loc, issue.type) for issue in parsed.detail] == [
        (["body", "payload", field], code)
    ]
    malformed = api.post(domain_support.BOOKINGS, {**body, "start": "soon"}, token=alice_token)
    assert ValidationErrorOut.model_validate(malformed.json()).code == "validation_error"


@pytest.mark.django_db
def test_the_declared_password_length_is_the_validators(api, settings):
    declared = DOCUMENT["components"]["schemas"]["RegisterIn"]["properties"]["password"]
    assert declared["minLength"] == settings.PASSWORD_MIN_LENGTH
    short = "k9#Lm2$x"[: settings.PASSWORD_MIN_LENGTH - 1]
    body = {"username": "carol", "email": "carol@example.com", "password": short}
    response = api.post(endpoints.REGISTER, body)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "validation_error"
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "password"]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["0.5", "1893456000", "2030-01-01T09:00Z", "2030-01-01"])
def test_date_times_are_rfc_3339_as_declared(api, alice, alice_token, moment):
    # Found by an outside schemathesis run: pydantic alone read `0.5` as a Unix time.
    path = domain_support.user_bookings_url(alice.pk, f"?starts_before={moment}")
    response = api.get(path, token=alice_token)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"][0]["loc"] == ["query", "starts_before"]
