"""Settings for the test suite: the production settings module with test-only values.

DEBUG stays off, so the tests run the same security settings as production."""

import os

os.environ.setdefault(
    "SECRET_KEY", "tests-only-not-secret-" + "abcdefghijklmnopqrstuvwxyz0123456789"
)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # keep test output readable
# The race tests run 9 threads at once, each with its own connection.
os.environ.setdefault("DB_POOL_MAX_SIZE", "16")

from example_api.settings import *  # noqa: F403

# Hashing with Django's production PBKDF2 costs ~0.5 s per password; tests need no such cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
