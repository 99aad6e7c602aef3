"""The accounts app's settings: bearer tokens and the failed-login throttle. Merged into the
project's settings (example_api/settings.py)."""

from datetime import timedelta

from example_api.env import env_int, env_str

API_TOKEN_TTL = timedelta(seconds=env_int("API_TOKEN_TTL_SECONDS", 7 * 24 * 3600))
# Token lookups are cached (example_api/accounts/tokens.py has the revocation bound): in
# the shared cache for this many seconds (a deactivated user or a staff change is seen
# within this plus the next value)...
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 60)
# ...and in each worker's memory for this many: a logout reaches other workers within it
# (the worker that handles the logout forgets at once). 0 turns this layer off.
API_TOKEN_LOCAL_CACHE_SECONDS = env_int("API_TOKEN_LOCAL_CACHE_SECONDS", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
LOGIN_MAX_FAILURES_PER_USERNAME = env_int("LOGIN_MAX_FAILURES_PER_USERNAME", 5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
# Behind a reverse proxy, the META key that carries the client address (e.g. HTTP_X_REAL_IP).
CLIENT_IP_META_KEY = env_str("CLIENT_IP_META_KEY", "REMOTE_ADDR")
