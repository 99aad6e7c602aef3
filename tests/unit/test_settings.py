"""Settings come from the environment, and production refuses to start on unsafe ones."""

import os
import subprocess
import sys

import pytest

from example_api.env import env_bool, env_int, env_list

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import example_api.settings as s; print(s.DEBUG)"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


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
def test_production_refuses_a_missing_or_placeholder_secret(secret):
    env = {"DEBUG": "false"} if secret is None else {"DEBUG": "false", "SECRET_KEY": secret}
    result = load_settings(**env)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or a placeholder" in result.stderr


def test_production_starts_with_a_real_secret():
    result = load_settings(
        DEBUG="false", SECRET_KEY="k3J9-vQ2xZ8_mN4pL7rT1wY6sA0dF5gH2jK8lP3oI9uE7-Rb6Wc1Xe4Zf"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_runs_without_a_secret():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_debug_is_off_unless_asked_for():
    result = load_settings(SECRET_KEY="k3J9-vQ2xZ8_mN4pL7rT1wY6sA0dF5gH2jK8lP3oI9uE7-Rb6Wc1Xe4Zf")
    assert result.stdout.strip() == "False"


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


def test_postgres_url_options_are_kept_next_to_the_pool():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import example_api.settings as s; o = s.DATABASES['default']['OPTIONS']; "
            "print(o['sslmode'], o['pool']['max_size'])",
        ],
        env={
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": "postgres://u:p@db.example:5432/app?sslmode=require",
            "DB_POOL_MAX_SIZE": "6",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["require", "6"]
