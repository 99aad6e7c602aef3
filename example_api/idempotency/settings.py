"""The idempotency app's settings, merged into the project's (example_api/settings.py)."""

from example_api.env import env_int

# How long a key is kept: a retry with it within this time gets the first answer; after it,
# the key is free again and the row is deleted by the next prune (tasks.py, cleanup.py).
IDEMPOTENCY_KEY_TTL_SECONDS = env_int("IDEMPOTENCY_KEY_TTL_SECONDS", 24 * 3600)
