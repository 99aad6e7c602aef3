"""CORS for browser front ends on other origins: the origins come from CORS_ALLOWED_ORIGINS
(none by default); a browser's preflight is answered before authentication, and only an
allowed origin gets the Access-Control-Allow-* headers that let its page read the answer."""

from http import HTTPStatus

import pytest

from tests import endpoints

pytestmark = pytest.mark.django_db

APP = "https://app.example.com"
POSTED = endpoints.TOKEN  # any path under /api/ that takes a POST


@pytest.fixture
def allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP, "http://localhost:5173"]


def preflight(api, origin: str, path: str = POSTED, method: str = "POST"):
    return api.client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_preflight_from_an_allowed_origin_may_post_with_a_token(api, allowed):
    response = preflight(api, APP)
    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == APP
    assert "POST" in response["Access-Control-Allow-Methods"].split(", ")
    allowed_headers = response["Access-Control-Allow-Headers"].split(", ")
    assert {"authorization", "content-type"} <= set(allowed_headers)
    assert response["Access-Control-Max-Age"] == "3600"
    # Bearer tokens, not cookies: a browser must not send credentials cross-origin.
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "https://app.example.com.evil.example", "http://app.example.com"],
)
def test_preflight_from_another_origin_gets_no_allow_headers(api, allowed, origin):
    response = preflight(api, origin)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_no_origin_is_allowed_by_default(api):
    response = preflight(api, APP)
    assert "Access-Control-Allow-Origin" not in response


def test_an_allowed_origin_may_read_the_answer_and_its_headers(api, allowed, alice_token):
    headers = {"Origin": APP, "Authorization": f"Bearer {alice_token}"}
    response = api.client.get(endpoints.ME, headers=headers)
    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == APP
    exposed = {name.lower() for name in response["Access-Control-Expose-Headers"].split(", ")}
    assert {"x-request-id", "retry-after"} <= exposed


def test_errors_carry_the_headers_too(api, allowed):
    # Without them a page could not read a 401's code, only that the request failed.
    response = api.client.get(endpoints.ME, headers={"Origin": APP})
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Access-Control-Allow-Origin"] == APP


def test_only_the_api_answers_cross_origin(api, allowed):
    response = api.client.get(endpoints.HEALTHZ, headers={"Origin": APP})
    assert "Access-Control-Allow-Origin" not in response


def test_origins_come_from_the_environment(load_settings):
    settings = load_settings(DEBUG="true", CORS_ALLOWED_ORIGINS=f"{APP}, http://localhost:5173")
    assert settings["CORS_ALLOWED_ORIGINS"] == [APP, "http://localhost:5173"]
