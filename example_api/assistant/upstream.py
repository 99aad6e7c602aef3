"""The assistant's use of the model (example_api/llm): its provider from the ASSISTANT_*
settings, its prompt's response format, and each way the call fails as the assistant's own
failure code (docs/assistant.md)."""

from django.conf import settings
from openai.types.chat import ChatCompletionMessageParam

from example_api.assistant import prompt
from example_api.assistant.errors import (
    AssistantUpstreamError,
    AssistantUpstreamRateLimited,
    AssistantUpstreamTimeout,
)
from example_api.llm import client
from example_api.llm.failures import LlmRateLimited, LlmTimeout, LlmUnavailable


def provider() -> client.Provider:
    # Read at each call: settings may change under tests, and the job process is long-lived.
    return client.Provider(
        api_key=settings.ASSISTANT_API_KEY,
        base_url=settings.ASSISTANT_BASE_URL,
        model=settings.ASSISTANT_MODEL,
        timeout_seconds=settings.ASSISTANT_TIMEOUT_SECONDS,
        max_retries=settings.ASSISTANT_MAX_RETRIES,
        max_output_tokens=settings.ASSISTANT_MAX_OUTPUT_TOKENS,
    )


def ask(messages: list[ChatCompletionMessageParam]) -> client.Answer:
    try:
        return client.ask(provider(), messages, response_format=prompt.RESPONSE_FORMAT)
    except LlmTimeout:
        raise AssistantUpstreamTimeout() from None
    except LlmRateLimited:
        raise AssistantUpstreamRateLimited() from None
    except LlmUnavailable:
        raise AssistantUpstreamError() from None
