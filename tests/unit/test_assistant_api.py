"""The assistant's endpoints without a model: switched off, input limits, the daily quota,
ownership. (Answering is tested against a fake provider in tests/integration.)"""

import pytest

from example_api.assistant.models import AssistantRequest
from tests import domain_support, endpoints

URL = endpoints.ASSISTANT_REQUESTS
SENTENCE = "Room Ada tomorrow 10 to 11 for the design review"


@pytest.fixture
def enabled(settings):
    settings.ASSISTANT_API_KEY = "sk-test-only"
    settings.ASSISTANT_BASE_URL = "http://127.0.0.1:9/v1"  # never called: jobs do not run here


def test_without_a_key_it_answers_503_and_the_rest_works(settings, api, make_user, token_for):
    settings.ASSISTANT_API_KEY = ""
    token = token_for(make_user())
    response = api.post(URL, {"text": SENTENCE}, token=token)
    assert response.status_code == 503
    assert response.json() == {
        "detail": "the booking assistant is not configured on this server",
        "code": "assistant_disabled",
    }
    assert AssistantRequest.objects.count() == 0
    assert api.get(domain_support.RESOURCES, token=token).status_code == 200


def test_a_sentence_is_accepted_at_once(enabled, api, make_user, token_for):
    token = token_for(make_user())
    response = api.post(URL, {"text": SENTENCE, "time_zone": "Europe/Berlin"}, token=token)
    assert response.status_code == 202
    body = response.json()
    assert (body["state"], body["code"], body["proposal"]) == ("pending", None, None)
    assert body["usage"] == {"prompt_tokens": 0, "completion_tokens": 0}
    read = api.get(f"{URL}{body['id']}/", token=token)
    assert (read.status_code, read.json()) == (200, body)
    stored = AssistantRequest.objects.get()
    assert (stored.text, stored.time_zone) == (SENTENCE, "Europe/Berlin")


@pytest.mark.parametrize(
    "body",
    [
        {"text": "x" * 301},
        {"text": "   "},
        {"text": "bad\x00byte"},
        {"text": SENTENCE, "time_zone": "Mars/Olympus"},
        {"text": SENTENCE, "time_zone": "../../etc/passwd"},
        {"text": SENTENCE, "resource_id": 1},
        {},
    ],
)
def test_bad_input_is_422(enabled, api, make_user, token_for, body):
    response = api.post(URL, body, token=token_for(make_user()))
    assert response.status_code == 422, response.content
    assert AssistantRequest.objects.count() == 0


def test_the_longest_sentence_allowed_is_accepted(enabled, api, make_user, token_for):
    response = api.post(URL, {"text": "x" * 300}, token=token_for(make_user()))
    assert response.status_code == 202


def test_past_the_daily_quota_it_is_429_with_retry_after(
    enabled, settings, api, make_user, token_for
):
    settings.ASSISTANT_DAILY_QUOTA = 2
    token = token_for(make_user())
    assert [api.post(URL, {"text": SENTENCE}, token=token).status_code for _ in range(2)] == [
        202,
        202,
    ]
    refused = api.post(URL, {"text": SENTENCE}, token=token)
    assert refused.status_code == 429
    assert refused.json()["code"] == "assistant_quota_exceeded"
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600 + 1
    # Another user's quota is their own.
    assert api.post(URL, {"text": SENTENCE}, token=token_for(make_user())).status_code == 202


def test_only_the_owner_sees_a_request(enabled, api, make_user, token_for):
    owner_token = token_for(make_user())
    created = api.post(URL, {"text": SENTENCE}, token=owner_token).json()
    other = api.get(f"{URL}{created['id']}/", token=token_for(make_user()))
    staff = api.get(f"{URL}{created['id']}/", token=token_for(make_user(staff=True)))
    missing = api.get(f"{URL}{created['id'] + 1}/", token=owner_token)
    for response in (other, staff, missing):
        assert response.status_code == 404
        assert response.json()["code"] == "assistant_request_not_found"
    assert api.get(f"{URL}{created['id']}/").status_code == 401
    assert api.post(URL, {"text": SENTENCE}).status_code == 401


def test_an_unknown_time_zone_is_the_rules_422_pointing_at_it(enabled, api, make_user, token_for):
    body = {"text": SENTENCE, "time_zone": "Mars/Olympus"}
    response = api.post(URL, body, token=token_for(make_user()))
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_time_zone"
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "payload", "time_zone"]]
