"""The one call to a chat-completions API, through the official openai SDK.

Retries are the SDK's own (documented): up to `max_retries` more attempts on timeouts,
connection errors, 408/409/429 and 5xx, honouring the server's Retry-After when it is short
and backing off exponentially otherwise. When they are used up, the SDK's exception becomes
one of failures.py's. Nothing here logs the messages or the key."""

from dataclasses import dataclass

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema

from example_api.llm.failures import LlmRateLimited, LlmTimeout, LlmUnavailable


@dataclass(frozen=True)
class Provider:
    """Where and how to ask: each feature builds one from its own settings."""

    api_key: str
    base_url: str | None  # None: the SDK's default (OpenAI)
    model: str
    timeout_seconds: float  # per attempt
    max_retries: int  # attempts after the first
    max_output_tokens: int


@dataclass(frozen=True)
class Answer:
    content: str | None  # None: no choice, or the model refused
    model: str
    prompt_tokens: int
    completion_tokens: int


def client(provider: Provider) -> openai.OpenAI:
    return openai.OpenAI(
        api_key=provider.api_key,
        base_url=provider.base_url,
        timeout=provider.timeout_seconds,
        max_retries=provider.max_retries,
    )


def ask(
    provider: Provider,
    messages: list[ChatCompletionMessageParam],
    *,
    response_format: ResponseFormatJSONSchema,
) -> Answer:
    """The model's answer at temperature 0, or an LlmFailure once the retries are used up."""
    try:
        completion = client(provider).chat.completions.create(
            model=provider.model,
            messages=messages,
            response_format=response_format,
            max_tokens=provider.max_output_tokens,
            temperature=0,
        )
    except openai.APITimeoutError:
        raise LlmTimeout() from None
    except openai.RateLimitError:
        raise LlmRateLimited() from None
    except (openai.APIConnectionError, openai.APIStatusError):
        raise LlmUnavailable() from None
    usage = completion.usage
    choice = completion.choices[0] if completion.choices else None
    content = choice.message.content if choice else None
    return Answer(
        content=content,
        model=completion.model,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
    )
