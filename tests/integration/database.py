"""Find a PostgreSQL for the integration layer, run a command against it, clean up.

Usage: python -m tests.integration.database -- pytest tests/integration ...

The command gets DATABASE_URL pointing at a server; pytest-django then creates and drops its
own `test_*` database there, so the developer's databases are never touched. The server is,
in this order:
  1. TEST_DATABASE_URL, when set (CI, GitHub Actions' service container, your own server);
  2. a throwaway container from testcontainers, when a Docker engine answers;
  3. a throwaway cluster in a temporary directory, when PostgreSQL's server programs
     (initdb, pg_ctl) are installed;
otherwise it stops with a message naming these options. It never skips silently.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from tests.harness.ports import free_port

HOW_TO_PROVIDE = """\
No PostgreSQL found for the integration tests. Provide one of:
  * TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/postgres  (any server you can reach;
    the tests create and drop their own test_* database there)
  * a running Docker engine (a throwaway postgres container is started via testcontainers)
  * PostgreSQL's server programs (Debian/Ubuntu: apt-get install postgresql; macOS: brew
    install postgresql) so a throwaway cluster can be started in a temporary directory
Run `make test-unit` to run only the unit layer."""


def log(message: str) -> None:
    print(f"[integration-db] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def from_environment() -> Iterator[str]:
    url = os.environ["TEST_DATABASE_URL"]
    log("using TEST_DATABASE_URL")
    yield url


def docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    result = subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=20)
    return result.returncode == 0


@contextlib.contextmanager
def from_testcontainers() -> Iterator[str]:
    from testcontainers.postgres import PostgresContainer

    log("starting a throwaway PostgreSQL container (testcontainers)")
    with PostgresContainer("postgres:16-alpine", driver=None) as container:
        yield container.get_connection_url()


def server_programs() -> str | None:
    """The directory holding initdb and pg_ctl, newest version first."""
    candidates = [os.path.dirname(p) for p in [shutil.which("initdb") or ""] if p]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += sorted(glob.glob("/opt/homebrew/opt/postgresql*/bin"), reverse=True)
    for directory in candidates:
        if all(os.access(os.path.join(directory, p), os.X_OK) for p in ("initdb", "pg_ctl")):
            return directory
    return None


@contextlib.contextmanager
def from_temporary_cluster(bindir: str) -> Iterator[str]:
    # PostgreSQL refuses to run as root; as root, run the cluster as the postgres user.
    as_user: list[str] = []
    workdir = tempfile.mkdtemp(prefix="slipway-pg-")
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    datadir, port = os.path.join(workdir, "data"), free_port()
    log(f"starting a throwaway cluster ({bindir}) on 127.0.0.1:{port}")
    run = [*as_user, os.path.join(bindir, "pg_ctl"), "-D", datadir]
    try:
        subprocess.run(
            [
                *as_user,
                os.path.join(bindir, "initdb"),
                "-D",
                datadir,
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off"
        subprocess.run(
            [*run, "-o", options, "-l", os.path.join(workdir, "log"), "-w", "start"],
            check=True,
            capture_output=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run, "-m", "fast", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(workdir, ignore_errors=True)
        log("throwaway cluster stopped and removed")


def choose() -> contextlib.AbstractContextManager[str] | None:
    if os.environ.get("TEST_DATABASE_URL"):
        return from_environment()
    if docker_answers():
        return from_testcontainers()
    bindir = server_programs()
    if bindir:
        return from_temporary_cluster(bindir)
    return None


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    server = choose()
    if server is None:
        print(HOW_TO_PROVIDE, file=sys.stderr)
        return 3
    with server as url:
        return subprocess.run(
            command, env={**os.environ, "DATABASE_URL": url}, check=False
        ).returncode


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[1:] if args[:1] == ["--"] else args))
