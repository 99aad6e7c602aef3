"""The one call to the chat-completions API, through the official openai SDK.

Retries are the SDK's own (documented): up to ASSISTANT_MAX_RETRIES more attempts on
timeouts, connection errors, 408/409/429 and 5xx, honouring the server's Retry-After when it
is short and backing off exponentially otherwise. When they are used up, the SDK's
exception becomes one of our failure codes. Nothing here logs the messages or the key."""

from dataclasses import dataclass

import openai
from django.conf import settings
from openai.types.chat import ChatCompletionMessageParam

from example_api.assistant import prompt
from example_api.assistant.errors import (
    AssistantUpstreamError,
    AssistantUpstreamRateLimited,
    AssistantUpstreamTimeout,
)


@dataclass(frozen=True)
class Answer:
    content: str | None  # None: no choice, or the model refused
    model: str
    prompt_tokens: int
    completion_tokens: int


def client() -> openai.OpenAI:
    return openai.OpenAI(
        api_key=settings.ASSISTANT_API_KEY,
        base_url=settings.ASSISTANT_BASE_URL,
        timeout=settings.ASSISTANT_TIMEOUT_SECONDS,
        max_retries=settings.ASSISTANT_MAX_RETRIES,
    )


def ask(messages: list[ChatCompletionMessageParam]) -> Answer:
    try:
        completion = client().chat.completions.create(
            model=settings.ASSISTANT_MODEL,
            messages=messages,
            response_format=prompt.RESPONSE_FORMAT,
            max_tokens=settings.ASSISTANT_MAX_OUTPUT_TOKENS,
            temperature=0,
        )
    except openai.APITimeoutError:
        raise AssistantUpstreamTimeout() from None
    except openai.RateLimitError:
        raise AssistantUpstreamRateLimited() from None
    except (openai.APIConnectionError, openai.APIStatusError):
        raise AssistantUpstreamError() from None
    usage = completion.usage
    choice = completion.choices[0] if completion.choices else None
    content = choice.message.content if choice else None
    return Answer(
        content=content,
        model=completion.model,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
    )
