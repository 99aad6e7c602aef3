"""The model call any feature uses (example_api/llm), against a fake OpenAI-compatible server
on loopback: an answer with its token usage, the SDK's retries as configured, and each way
the provider fails as one failure type once the retries are used up."""

import pytest
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema

from example_api.llm.client import Provider, ask
from example_api.llm.failures import LlmRateLimited, LlmTimeout, LlmUnavailable
from tests.fakes.openai_server import FakeOpenAI, Reply, completion, error
from tests.fakes.smtp_server import free_port

pytestmark = pytest.mark.integration

FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "anything", "strict": True, "schema": {"type": "object"}},
}
MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def provider(server: FakeOpenAI, *, retries: int = 1) -> Provider:
    return Provider(
        api_key="sk-test-only",
        base_url=server.base_url,
        model="some-model",
        timeout_seconds=1.0,
        max_retries=retries,
        max_output_tokens=42,
    )


def test_an_answer_carries_its_text_and_usage(fake):
    fake.script(completion('{"a": 1}', prompt_tokens=11, completion_tokens=3))
    answer = ask(provider(fake), MESSAGES, response_format=FORMAT)
    assert (answer.content, answer.model) == ('{"a": 1}', "fake-model")
    assert (answer.prompt_tokens, answer.completion_tokens) == (11, 3)
    (request,) = fake.requests
    assert request.authorization == "Bearer sk-test-only"
    sent = request.body
    assert (sent["model"], sent["max_tokens"], sent["temperature"]) == ("some-model", 42, 0)
    assert (sent["messages"], sent["response_format"]) == (MESSAGES, FORMAT)


@pytest.mark.parametrize(
    ("reply", "failure"),
    [
        (error(429, "slow down", retry_after="0"), LlmRateLimited),
        (error(500, "oops"), LlmUnavailable),
        (error(401, "bad key"), LlmUnavailable),
        (Reply(delay=3, body="{}"), LlmTimeout),
    ],
)
def test_each_failure_is_retried_then_named(fake, reply, failure):
    fake.script(reply, reply)
    with pytest.raises(failure):
        ask(provider(fake, retries=1), MESSAGES, response_format=FORMAT)
    # The SDK does not retry what a retry cannot fix (401); the rest twice, as configured.
    assert len(fake.requests) == (1 if reply.status == 401 else 2)


def test_nothing_listening_is_unavailable():
    nobody = Provider(
        api_key="sk-test-only",
        base_url=f"http://127.0.0.1:{free_port()}/v1",
        model="some-model",
        timeout_seconds=1.0,
        max_retries=0,
        max_output_tokens=42,
    )
    with pytest.raises(LlmUnavailable):
        ask(nobody, MESSAGES, response_format=FORMAT)
