"""Settings come from the environment, and production refuses to start on unsafe ones."""

import socket
import time

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django_redis.cache import RedisCache
from redis.exceptions import TimeoutError as RedisTimeout

from example_api.env import env_bool, env_int, env_list

REAL_SECRET = "k3J9-vQ2xZ8_mN4pL7rT1wY6sA0dF5gH2jK8lP3oI9uE7-Rb6Wc1Xe4Zf"


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "",
        "changeme",
        "django-insecure-abc" + "x" * 50,
        "short-but-random-9f8e",
        "a" * 60,
        "please-change-me-to-a-long-random-string-in-production-ok",
    ],
)
def test_production_refuses_a_missing_or_placeholder_secret(load_settings, secret):
    env = {"DEBUG": "false"} if secret is None else {"DEBUG": "false", "SECRET_KEY": secret}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is missing or a placeholder"):
        load_settings(**env)


def test_production_starts_with_a_real_secret(load_settings):
    assert load_settings(DEBUG="false", SECRET_KEY=REAL_SECRET)["DEBUG"] is False


def test_debug_runs_without_a_secret(load_settings):
    assert load_settings(DEBUG="true")["DEBUG"] is True


def test_debug_is_off_unless_asked_for(load_settings):
    assert load_settings(SECRET_KEY=REAL_SECRET)["DEBUG"] is False


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("True", True), ("off", False), ("", False)]
)
def test_env_bool(monkeypatch, raw, value):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is value


def test_env_readers_reject_garbage(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ValueError, match="FLAG must be a boolean"):
        env_bool("FLAG")
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ValueError, match="NUMBER must be an integer"):
        env_int("NUMBER", 1)


def test_env_defaults_and_lists(monkeypatch):
    monkeypatch.delenv("MISSING", raising=False)
    assert env_bool("MISSING", default=True) is True
    assert env_int("MISSING", 7) == 7
    assert env_list("MISSING", ["a"]) == ["a"]
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_postgres_url_options_are_kept_next_to_the_pool(load_settings):
    options = load_settings(
        DEBUG="true",
        DATABASE_URL="postgres://u:p@db.example:5432/app?sslmode=require",
        DB_POOL_MAX_SIZE="6",
    )["DATABASES"]["default"]["OPTIONS"]
    assert (options["sslmode"], options["pool"]["max_size"]) == ("require", 6)


def test_a_database_url_keeps_its_own_connect_timeout(load_settings):
    options = load_settings(
        DEBUG="true", DATABASE_URL="postgres://u:p@db.example:5432/app?connect_timeout=2"
    )["DATABASES"]["default"]["OPTIONS"]
    assert int(options["connect_timeout"]) == 2


def test_a_database_that_never_answers_fails_the_connection_within_seconds(load_settings):
    """connect_timeout: a server that takes the TCP connection and then says nothing (a
    primary that lost power behind a proxy) costs seconds, not psycopg's default 130 s."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        database = load_settings(
            SECRET_KEY=REAL_SECRET,
            DATABASE_URL=f"postgres://u:p@127.0.0.1:{port}/app?sslmode=disable",
            DB_CONNECT_TIMEOUT_SECONDS="1",
        )["DATABASES"]["default"]
        options = {key: value for key, value in database["OPTIONS"].items() if key != "pool"}
        assert database["OPTIONS"]["pool"]["reconnect_timeout"] == 10
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError, match="timeout"):
            psycopg.connect(
                host=database["HOST"],
                port=database["PORT"],
                user=database["USER"],
                password=database["PASSWORD"],
                dbname=database["NAME"],
                **options,
            )
        assert time.monotonic() - started < 5


def test_a_redis_that_never_answers_fails_the_cache_within_seconds(load_settings):
    """The socket timeouts of CACHES: a hung Redis costs a request seconds, not its thread
    (1 s per try; redis-py retries a timed-out command, by default up to 3 tries in all)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        config = load_settings(
            SECRET_KEY=REAL_SECRET, REDIS_URL=f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        )["CACHES"]["default"]
        backend = RedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})
        started = time.monotonic()
        with pytest.raises(RedisTimeout):
            backend.get("token:any")
        assert time.monotonic() - started < 6
