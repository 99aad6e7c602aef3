"""The booking assistant's settings (docs/assistant.md): any OpenAI-compatible
chat-completions API. Merged into the project's settings (example_api/settings.py).

No key, no assistant: its endpoint answers 503 assistant_disabled and nothing else changes."""

from example_api.env import env_int, env_str

ASSISTANT_API_KEY = env_str("ASSISTANT_API_KEY")
ASSISTANT_BASE_URL = env_str("ASSISTANT_BASE_URL") or None  # None: the SDK's default (OpenAI)
ASSISTANT_MODEL = env_str("ASSISTANT_MODEL", "gpt-4o-mini")
ASSISTANT_TIMEOUT_SECONDS = float(env_str("ASSISTANT_TIMEOUT_SECONDS", "20"))
ASSISTANT_MAX_RETRIES = env_int("ASSISTANT_MAX_RETRIES", 2)
ASSISTANT_MAX_INPUT_CHARS = env_int("ASSISTANT_MAX_INPUT_CHARS", 300)
ASSISTANT_MAX_OUTPUT_TOKENS = env_int("ASSISTANT_MAX_OUTPUT_TOKENS", 300)
ASSISTANT_DAILY_QUOTA = env_int("ASSISTANT_DAILY_QUOTA", 20)
