"""The production stack on loopback for the client tests: PostgreSQL, Redis, granian.

A database of its own on the server the project's integration layer finds (DATABASE_URL, set
by tests/integration/database.py), an empty Redis db, migrations, collected static files, a
staff user, then the app with DEBUG off. Every process started here is stopped, and the
database dropped, in `finally`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

from tests.harness import launcher
from tests.harness.ports import port_is_free

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PORT = int(os.environ.get("CLIENTS_PORT", "23080"))
REDIS_URL = os.environ.get("CLIENTS_REDIS_URL", "redis://127.0.0.1:6379/6")
STAFF_USERNAME = "clients-staff"
# Small limits so the tests reach them in a few requests.
BOOKING_CAP = 3
LOGIN_MAX_FAILURES = 3


@dataclass(frozen=True)
class Stack:
    base_url: str
    staff_password: str
    static_root: Path
    log_path: Path


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(server_url: str) -> psycopg.Connection:
    """The URL's own database, or `postgres` when it does not exist (as Django does)."""
    try:
        return psycopg.connect(server_url, autocommit=True)
    except psycopg.OperationalError:
        return psycopg.connect(_with_db(server_url, "postgres"), autocommit=True)


@contextmanager
def database(server_url: str) -> Iterator[str]:
    """A fresh database beside the URL's, named like Django's test databases."""
    name = f"test_{urlsplit(server_url).path.lstrip('/') or 'postgres'}_clients"
    with _admin_connection(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(server_url, name)
    finally:
        with _admin_connection(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def empty_redis(url: str) -> Iterator[str]:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
        yield url
    finally:
        client.flushdb()
        client.close()


def app_env(*, database_url: str, redis_url: str, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_api.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "BOOKING_MAX_ACTIVE_PER_USER": str(BOOKING_CAP),
        "LOGIN_MAX_FAILURES_PER_USERNAME": str(LOGIN_MAX_FAILURES),
        "HOST": HOST,
        "PORT": str(PORT),
        "PYTHONUNBUFFERED": "1",
        # No language model here: the assistant answers 503 assistant_disabled.
        "ASSISTANT_API_KEY": "",
    }


def prepare(env: dict[str, str], staff_password: str) -> None:
    """Migrate, collect static files (as a release does; beside the migrations, they do not
    depend on each other) and create a staff user."""
    manage = [sys.executable, "manage.py"]
    collect = subprocess.Popen(
        [*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT
    )
    migrate = subprocess.run(
        [*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=False, timeout=300
    )
    if (migrate.returncode, collect.wait(timeout=300)) != (0, 0):
        raise RuntimeError(
            f"migrate exited {migrate.returncode}, collectstatic {collect.returncode}"
        )
    staff = {
        "DJANGO_SUPERUSER_USERNAME": STAFF_USERNAME,
        "DJANGO_SUPERUSER_EMAIL": f"{STAFF_USERNAME}@example.com",
        "DJANGO_SUPERUSER_PASSWORD": staff_password,
    }
    subprocess.run(
        [*manage, "createsuperuser", "--noinput", "-v", "0"],
        env=env | staff,
        cwd=ROOT,
        check=True,
        timeout=120,
    )


@contextmanager
def server(env: dict[str, str], log_path: Path) -> Iterator[None]:
    """granian with the production options; tests/clients/serve.py adds nginx's /static/."""
    if not port_is_free(PORT, HOST):
        raise RuntimeError(f"{HOST}:{PORT} is in use; set CLIENTS_PORT to a free port")
    command = [sys.executable, "-m", "tests.clients.serve"]
    ready = launcher.http_ok(f"http://{HOST}:{PORT}/readyz")
    with launcher.served(command, env=env, log_path=log_path, ready=ready, grace=25):
        yield


@contextmanager
def running(log_path: Path) -> Iterator[Stack]:
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise RuntimeError("DATABASE_URL must point at PostgreSQL; run `make test-clients`")
    with (
        tempfile.TemporaryDirectory(prefix="slipway-clients-static-") as static_dir,
        database(server_url) as database_url,
        empty_redis(REDIS_URL) as redis_url,
    ):
        static_root = Path(static_dir)
        env = app_env(database_url=database_url, redis_url=redis_url, static_root=static_root)
        staff_password = secrets.token_urlsafe(16)
        prepare(env, staff_password)
        with server(env, log_path):
            yield Stack(f"http://{HOST}:{PORT}", staff_password, static_root, log_path)
