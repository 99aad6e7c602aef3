"""Start and stop the production stack on loopback for load tests and benchmarks.

PostgreSQL (a dedicated database, created and dropped here), Redis (a dedicated db number,
flushed before and after), the app served as in production (`python -m example_api.serve`)
with DEBUG off. Everything listens on 127.0.0.1 only; every process started here is stopped in
`finally`, also when a run fails or is interrupted.
"""
# ruff: noqa: S603 - commands are built from fixed argument lists, never from a shell string

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

from example_api.serve import ServeConfig
from tests.harness import domain, launcher
from tests.harness.ports import port_is_free

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

PG_ADMIN_URL = os.environ.get("LOAD_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BASE_URL = PG_ADMIN_URL.rsplit("/", 1)[0]
REDIS_BASE_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379")


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


def app_env(*, db_name: str, redis_db: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a production run (DEBUG off) pointed at the dedicated services."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "example_api.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"{PG_BASE_URL}/{db_name}",
            "REDIS_URL": f"{REDIS_BASE_URL}/{redis_db}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            # Load users write all the time; a per-user cap is not what is measured here.
            **domain.UNCAPPED,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def _check_name(db_name: str) -> None:
    if not db_name.replace("_", "").isalnum() or not ("load" in db_name or "bench" in db_name):
        raise SystemExit(f"refusing database name {db_name!r}: use a name with load or bench")


def create_database(db_name: str) -> None:
    _check_name(db_name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')


def drop_database(db_name: str) -> None:
    _check_name(db_name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def flush_redis(redis_db: int) -> None:
    client = redis.Redis.from_url(f"{REDIS_BASE_URL}/{redis_db}")
    try:
        client.flushdb()
    finally:
        client.close()


def run(cmd: Sequence[str], env: dict[str, str], timeout: float = 300) -> None:
    subprocess.run(list(cmd), env=env, cwd=ROOT, check=True, timeout=timeout)


@dataclass
class Process:
    """A process group started by us (its own session); stop() ends exactly that group."""

    name: str
    cmd: list[str]
    log_path: Path
    env: dict[str, str] = field(repr=False)
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def launch(self) -> subprocess.Popen[bytes]:
        self.proc = launcher.launch(self.cmd, env=self.env, log_path=self.log_path)
        return self.proc

    def cpu_seconds(self) -> float:
        """CPU time used so far by every process of the group (master and workers).

        Unlike requests per second, this barely moves when other work shares the machine,
        so it compares two servers' cost per request even on a busy box."""
        if self.proc is None:
            return 0.0
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The command name may hold spaces; the fields after its ')' do not.
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended while we looked
            if int(fields[2]) == self.proc.pid:  # process group id (we started a session)
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc is not None:
            launcher.stop(self.proc, grace=15)


class Worker(Process):
    """A process that serves no HTTP (a job worker)."""

    def start(self, settle: float = 2.0) -> None:
        proc = self.launch()
        time.sleep(settle)  # a worker that cannot start (settings, database) exits at once
        if proc.poll() is not None:
            raise SystemExit(f"{self.name} exited with {proc.returncode}; see {self.log_path}")


@dataclass(kw_only=True)
class Server(Process):
    """A process that serves HTTP on HOST:port."""

    port: int

    def start(self, ready_path: str = "/healthz", timeout: float = 60) -> None:
        if not port_is_free(self.port, HOST):
            raise SystemExit(f"port {self.port} on {HOST} is in use; set another with --port")
        proc = self.launch()
        url = f"http://{HOST}:{self.port}{ready_path}"
        try:
            launcher.wait_ready(proc, launcher.http_ok(url), timeout, self.name)
        except launcher.NotReady as error:
            self.stop()
            raise SystemExit(f"{error} ({url}); see {self.log_path}") from None


def serve(module: str, *, port: int, log_path: Path, env: dict[str, str]) -> Server:
    """`python -m <module>`, which serves like example_api.serve: HOST/PORT from here, the
    sizes (WEB_CONCURRENCY, BLOCKING_THREADS) from `env` or example_api.serve's defaults."""
    config = ServeConfig.from_env(env)
    name = f"{module} (granian wsgi {config.workers}x{config.threads})"
    cmd = [sys.executable, "-m", module]
    return Server(
        name=name,
        cmd=cmd,
        port=port,
        log_path=log_path,
        env=env | {"HOST": HOST, "PORT": str(port)},
    )


@contextmanager
def services(*, db_name: str, redis_db: int, keep_db: bool = False) -> Iterator[None]:
    """A fresh database and an empty Redis db for the duration of the block."""
    log(f"creating database {db_name}, flushing redis db {redis_db}")
    create_database(db_name)
    flush_redis(redis_db)
    try:
        yield
    finally:
        flush_redis(redis_db)
        if keep_db:
            log(f"kept database {db_name}")
        else:
            drop_database(db_name)
            log(f"dropped database {db_name}")


def prepare(env: dict[str, str], seed_out: Path, password: str) -> None:
    """Migrate, seed and vacuum the dedicated database."""
    log("migrating")
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    log("seeding")
    run(
        [sys.executable, "-m", "load.seed", "--out", str(seed_out)],
        env | {"LOAD_PASSWORD": password},
    )
    # A freshly seeded table is what autovacuum and autoanalyze get to first: do it now, so
    # they do not run during the first seconds of measurement.
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
