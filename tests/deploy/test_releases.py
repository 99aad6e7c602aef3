"""Releases on a deployed host: the deploy lock, a broken release, a redeploy under load, a
config-only deploy under load (a switch, not a restart), rollback (breaking a stale lock), and
the previous release working on the schema the next one migrated.

Runs after test_deploy.py on the same host (the `deployed` fixture). New releases are new
commits in a throwaway clone of this repository (the playbook's app_source_dir), so the tests
never touch the repository itself: the `next` release is the same code plus an expand
migration (a nullable column and a new table) that exists only in its clone; the `broken`
release's WSGI module raises at import, so its instance never becomes ready.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from accounts import Account, book
from labhost import FIGURES, REPO, TIMINGS, LabHost

APP = "example_api"
ROOT = f"/srv/{APP}"
# The `next` release's migration: an expand one (safe for the release before it) unless this
# is set, which makes it a contract one (a NOT NULL column without a database default), to see
# test_the_previous_release_works_on_the_migrated_schema fail as it must.
DESTRUCTIVE = os.environ.get("SLIPWAY_DEPLOYTEST_DESTRUCTIVE_MIGRATION") == "1"
MIGRATION = "9901_deploytest_expand"
EXPAND_COLUMN = "deploytest_expand"
EXPAND_TABLE = "bookings_deploytestexpand"


def _commit(clone: Path, message: str) -> str:
    subprocess.run(["git", "-C", str(clone), "add", "--all"], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(clone),
            "-c",
            "user.name=deploy test",
            "-c",
            "user.email=test@slipway.test",
            "commit",
            "--quiet",
            "--allow-empty",
            "-m",
            message,
        ],
        check=True,
    )
    return subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "--short=12", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _add_expand_migration(clone: Path) -> None:
    """Add a bookings migration to the clone only: a nullable column and a new table.

    It follows the newest migration there, so the release stays one linear history whatever
    migrations the repository has by now. The model code does not change: the old release's
    code and the new one's both write bookings without the new column.
    """
    migrations = clone / APP / "bookings" / "migrations"
    leaf = max(p.stem for p in migrations.glob("[0-9][0-9][0-9][0-9]_*.py"))
    field = (
        'models.CharField(max_length=20, default="x")'  # NOT NULL, no database default
        if DESTRUCTIVE
        else "models.CharField(max_length=20, null=True)"
    )
    (migrations / f"{MIGRATION}.py").write_text(
        f"""from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bookings", "{leaf}")]

    operations = [
        migrations.AddField("booking", "{EXPAND_COLUMN}", {field}),
        migrations.CreateModel(
            "DeployTestExpand",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("booking", models.ForeignKey("bookings.Booking", on_delete=models.CASCADE)),
            ],
        ),
    ]
"""
    )


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Two more releases of the deployed commit: `next` (plus a migration) and `broken`."""
    made: dict[str, tuple[Path, str]] = {}
    for name in ("next", "broken"):
        clone = tmp_path_factory.mktemp(f"src-{name}")
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        if name == "next":
            _add_expand_migration(clone)
        if name == "broken":
            wsgi = clone / APP / "wsgi.py"
            wsgi.write_text(wsgi.read_text() + '\nraise RuntimeError("broken on purpose")\n')
        made[name] = (clone, _commit(clone, f"deploy test: {name} release"))
    return made


def _deploy(host: LabHost, log: Path, clone: Path, *extra: str):
    return host.run_playbook(
        "deploy.yml", log, "-e", f"app_source_dir={clone}", "-e", "app_release_ref=HEAD", *extra
    )


def _version(host: LabHost) -> str:
    status, _, body = host.request("GET", "/healthz")
    assert status == 200, body
    return body["version"]


def _last_log_line(host: LabHost) -> str:
    return host.sudo(f"tail -n 1 {ROOT}/deploys.log").strip()


def test_a_second_deploy_is_refused_while_one_holds_the_lock(
    deployed: LabHost, releases, tmp_path
) -> None:
    deployed.sudo(f"mkdir {ROOT}/deploy.lock")
    deployed.sudo(f"sh -c 'echo deploy by someone-else since earlier > {ROOT}/deploy.lock/owner'")
    try:
        run = _deploy(deployed, tmp_path / "locked.log", releases["next"][0])
    finally:
        deployed.sudo(f"rm -rf {ROOT}/deploy.lock")
    assert run.returncode != 0
    assert "holds the lock" in run.output, run.output[-3000:]
    assert "someone-else" in run.output
    assert _version(deployed) == deployed.release


def test_a_broken_release_is_never_switched_to(deployed: LabHost, releases, tmp_path) -> None:
    clone, broken = releases["broken"]
    live_port = deployed.live_port()
    run = _deploy(
        deployed,
        tmp_path / "broken.log",
        clone,
        "-e",
        "app_readiness_retries=10",
        "-e",
        "app_readiness_delay=1",
    )
    TIMINGS["deploy of a broken release"] = run.seconds
    assert run.returncode != 0, run.output[-3000:]
    assert f"release {broken} was NOT switched to" in run.output, run.output[-3000:]
    assert "keeps serving" in run.output
    # The old release still serves, through nginx over HTTPS, and says so.
    assert _version(deployed) == deployed.release
    status, _, body = deployed.request("GET", "/readyz")
    assert (status, body["version"]) == (200, deployed.release)
    assert deployed.live_port() == live_port
    # The failed release and its instance are gone; the failure is on record.
    assert deployed.ssh("deploy", f"test -e {ROOT}/releases/{broken}").returncode == 1
    other = ({8001, 8002} - {live_port}).pop()
    state = deployed.ssh("deploy", f"systemctl is-active {APP}@{other}").stdout.strip()
    assert state in {"inactive", "failed"}, state
    line = _last_log_line(deployed)
    assert f"release={broken}" in line, line
    assert "result=failed" in line, line


class HealthLoad:
    """Two client threads asking /healthz through nginx until stopped: every answer that is
    not a 200 (or an exception) counts as failed; the versions seen are kept."""

    def __init__(self, host: LabHost) -> None:
        self.host = host
        self.sent = self.failed = 0
        self.errors: list[str] = []
        self.versions: set[str] = set()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(2)]

    def __enter__(self) -> HealthLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        time.sleep(1)  # requests after the switch too
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                status, _, body = self.host.request("GET", "/healthz")
                ok = status == 200
                if ok:
                    self.versions.add(body["version"])
                else:
                    detail = f"HTTP {status}: {str(body)[:200]}"
            except Exception as error:  # every failure counts
                ok, detail = False, repr(error)
            with self._lock:
                self.sent += 1
                if not ok:
                    self.failed += 1
                    self.errors.append(detail)
            time.sleep(0.01)


def _active_instances(host: LabHost) -> list[str]:
    units = host.sudo(f"systemctl list-units --state=active --no-legend '{APP}@*'")
    return [word for word in units.split() if word.startswith(f"{APP}@")]


def test_redeploy_under_load_drops_no_request(deployed: LabHost, releases, tmp_path) -> None:
    clone, new = releases["next"]
    with HealthLoad(deployed) as load:
        run = _deploy(deployed, tmp_path / "redeploy.log", clone)
    TIMINGS["redeploy (deploy.yml) under load"] = run.seconds
    FIGURES["requests during the redeploy"] = load.sent
    FIGURES["  of which failed"] = load.failed
    print(
        f"\nredeploy under load: {run.seconds:.1f} s, {load.sent} requests sent, "
        f"{load.failed} failed"
    )
    assert run.returncode == 0, run.output[-4000:]
    # The release's migration ran before nginx was pointed at it, while the old one served.
    changed = [name.removeprefix("app : ") for name in run.changed_tasks()]
    assert "Apply the migrations" in changed, changed
    assert changed.index("Apply the migrations") < changed.index(
        "Reload nginx gracefully (old workers finish their requests)"
    ), changed
    assert load.sent > 100
    assert load.failed == 0, load.errors[:10]
    assert load.versions == {deployed.release, new}
    assert _version(deployed) == new
    line = _last_log_line(deployed)
    assert "deploy user=" + getpass.getuser() in line, line
    assert f"release={new} from={deployed.release}" in line, line
    assert "result=ok" in line, line
    # Only the live instance runs; the old one stopped after draining.
    assert len(_active_instances(deployed)) == 1


def test_a_config_change_switches_instances_instead_of_restarting(
    deployed: LabHost, releases, tmp_path
) -> None:
    """Same release, new environment (one more allowed host): a second instance starts and
    takes over like a new release; the live one is never restarted in place."""
    clone, new = releases["next"]
    before = _active_instances(deployed)
    previous = deployed.sudo(f"readlink {ROOT}/previous").strip()
    with HealthLoad(deployed) as load:
        run = _deploy(
            deployed, tmp_path / "config.log", clone, "-e", '{"app_extra_hosts": ["alt.test"]}'
        )
    TIMINGS["config-only deploy under load"] = run.seconds
    FIGURES["requests during the config deploy"] = load.sent
    FIGURES["  of which failed (config deploy)"] = load.failed
    assert run.returncode == 0, run.output[-4000:]
    assert load.failed == 0, load.errors[:10]
    assert load.sent > 50
    assert load.versions == {new}
    after = _active_instances(deployed)
    assert len(after) == 1, after
    assert after != before, (before, after)
    assert "alt.test" in deployed.sudo(f"grep ^ALLOWED_HOSTS= /etc/{APP}/env")
    # The release did not change, so `previous` (what make rollback returns to) did not either.
    assert deployed.sudo(f"readlink {ROOT}/previous").strip() == previous
    assert f"release={new} from={new}" in _last_log_line(deployed)


def test_rollback_breaks_a_stale_lock_and_returns_the_previous_release(
    deployed: LabHost, releases, tmp_path
) -> None:
    _, new = releases["next"]
    assert _version(deployed) == new
    # A lock left by a run killed two hours ago: older than app_deploy_lock_max_age (1 h).
    deployed.sudo(f"mkdir {ROOT}/deploy.lock")
    deployed.sudo(f"sh -c 'echo deploy by killed-run since long ago > {ROOT}/deploy.lock/owner'")
    deployed.sudo(f"touch -d '2 hours ago' {ROOT}/deploy.lock")
    run = deployed.run_playbook("rollback.yml", tmp_path / "rollback.log")
    TIMINGS["rollback (rollback.yml)"] = run.seconds
    print(f"\nrollback (breaking a stale lock): {run.seconds:.1f} s")
    assert run.returncode == 0, run.output[-4000:]
    assert "BROKE THE DEPLOY LOCK" in run.output, run.output[-4000:]
    assert "killed-run" in run.output
    assert deployed.ssh("deploy", f"test -e {ROOT}/deploy.lock").returncode == 1
    assert _version(deployed) == deployed.release
    status, _, body = deployed.request("GET", "/readyz")
    assert (status, body["version"]) == (200, deployed.release)
    unlock, line = deployed.sudo(f"tail -n 2 {ROOT}/deploys.log").strip().splitlines()
    assert f"unlock user={getpass.getuser()} by=rollback reason=stale" in unlock, unlock
    assert "killed-run" in unlock, unlock
    assert f"rollback user={getpass.getuser()} release={deployed.release} from={new}" in line, line
    # The release rolled back from stays on disk: rolling back again would return to it.
    assert deployed.sudo(f"readlink {ROOT}/previous").strip() == f"{ROOT}/releases/{new}"


def _psql(host: LabHost, query: str) -> str:
    """A query on the live database (the tests' own constants and ids only)."""
    return host.sudo(f"-u postgres psql -tA -d {APP} -c {_quote(query)}").strip()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def test_the_previous_release_works_on_the_migrated_schema(
    deployed: LabHost, releases, account: Account
) -> None:
    """After the rollback the previous release runs on the schema `next` migrated: it must
    still read and write (expand/contract, docs/deploy.md)."""
    assert _version(deployed) == deployed.release
    # The schema really is the migrated one: the migration is recorded, column and table exist.
    recorded = f"SELECT count(*) FROM django_migrations WHERE name = '{MIGRATION}'"  # noqa: S608
    assert _psql(deployed, recorded) == "1"
    columns = _psql(
        deployed,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'bookings_booking'",
    ).split()
    assert EXPAND_COLUMN in columns, columns
    assert _psql(deployed, f"SELECT to_regclass('{EXPAND_TABLE}') IS NOT NULL") == "t"

    # The old code, through nginx: create, read, list, cancel, read again, cancel again.
    token = account.token
    created = book(deployed, account, days_ahead=2, note="on the migrated schema")
    path = f"/api/v1/bookings/{created['id']}/"
    status, _, fetched = deployed.request("GET", path, token=token)
    assert (status, fetched) == (200, created)
    status, _, page = deployed.request("GET", "/api/v1/users/me/", token=token)
    assert status == 200, page
    status, _, listed = deployed.request(
        "GET", f"/api/v1/users/{page['id']}/bookings/", token=token
    )
    assert status == 200, listed
    assert created["id"] in [item["id"] for item in listed["items"]]
    status, _, _ = deployed.request("DELETE", path, token=token)
    assert status == 204
    status, _, fetched = deployed.request("GET", path, token=token)
    assert (status, fetched["status"]) == (200, "cancelled")
    status, _, _ = deployed.request("DELETE", path, token=token)
    assert status == 204
    # The row went into the migrated table, leaving the new column to its default (NULL).
    query = f"SELECT {EXPAND_COLUMN} IS NULL, status FROM bookings_booking WHERE id = %d"  # noqa: S608
    row = _psql(deployed, query % created["id"])
    assert row == "t|cancelled", row
    print(
        f"\nprevious release {deployed.release} on the schema with {MIGRATION}: "
        "create 201, read 200, list 200, cancel 204, read 200 cancelled, cancel again 204"
    )
