"""Releases on a deployed host: the deploy lock, a broken release, a redeploy under load, a
config-only deploy under load (a switch, not a restart), rollback under load (breaking a stale
lock), and the previous release working on the schema the next one migrated. The load is two
clients at once (loadclients.py): one opening a connection per request, one keeping its
connections to nginx alive with GETs and POSTs; neither may see a single failed request.

Runs after test_deploy.py on the same host (the `deployed` fixture); the releases are made in
throwaway clones (releases.py).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from loadclients import HealthLoad, KeepAliveLoad

from tests.harness import domain
from tests.harness.accounts import make_staff, user_id
from tests.harness.domain import Actor
from tests.harness.labhost import FIGURES, TIMINGS, LabHost
from tests.harness.releases import EXPAND_COLUMN, EXPAND_TABLE, MIGRATION, make_releases

APP = "example_api"
ROOT = f"/srv/{APP}"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Two more releases of the deployed commit: `next` (plus a migration) and `broken`."""
    return make_releases(tmp_path_factory.mktemp("releases"))


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
    live = deployed.live_instance()
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
    assert deployed.live_instance() == live
    # The failed release and its instance are gone; the failure is on record.
    assert deployed.ssh("deploy", f"test -e {ROOT}/releases/{broken}").returncode == 1
    other = ({"blue", "green"} - {live}).pop()
    state = deployed.ssh("deploy", f"systemctl is-active {APP}@{other}").stdout.strip()
    assert state in {"inactive", "failed"}, state
    line = _last_log_line(deployed)
    assert f"release={broken}" in line, line
    assert "result=failed" in line, line


def _active_instances(host: LabHost) -> list[str]:
    units = host.sudo(f"systemctl list-units --state=active --no-legend '{APP}@*'")
    return [word for word in units.split() if word.startswith(f"{APP}@")]


@pytest.fixture(scope="module")
def staff_token(deployed: LabHost) -> str:
    """The keep-alive load's POSTs create items, which takes a staff member."""
    return make_staff(deployed)


@contextmanager
def _under_load(host: LabHost, staff: str) -> Iterator[tuple[HealthLoad, KeepAliveLoad]]:
    """Both clients at once: a new connection per request, and kept-alive connections."""
    with HealthLoad(host) as fresh, KeepAliveLoad(host, staff) as kept:
        yield fresh, kept


def _nothing_lost(what: str, fresh: HealthLoad, kept: KeepAliveLoad) -> None:
    FIGURES[f"{what}: requests, a connection each"] = fresh.sent
    FIGURES[f"{what}:   of which failed"] = fresh.failed
    FIGURES[f"{what}: keep-alive requests"] = kept.sent
    FIGURES[f"{what}:   POSTs among them"] = kept.posts
    FIGURES[f"{what}:   connections they used"] = kept.connections
    FIGURES[f"{what}:   of which failed (keep-alive)"] = kept.failed
    print(
        f"\n{what}: {fresh.sent} requests (a connection each), {fresh.failed} failed; "
        f"{kept.sent} keep-alive ({kept.posts} POSTs, {kept.connections} connections), "
        f"{kept.failed} failed"
    )
    assert fresh.failed == 0, fresh.errors[:10]
    assert kept.failed == 0, kept.errors[:10]
    assert fresh.sent > 50
    assert kept.posts > 20
    # Kept alive indeed: a hundred requests or more per connection.
    assert kept.connections * 100 < kept.sent, (kept.connections, kept.sent)


def _nginx_workers(host: LabHost) -> set[str]:
    # [n]: the pattern must not match the command line of the shell that runs pgrep.
    return set(host.sudo("pgrep -f '[n]ginx: worker process'").split())


def test_redeploy_under_load_drops_no_request(
    deployed: LabHost, releases, staff_token: str, tmp_path
) -> None:
    clone, new = releases["next"]
    workers = _nginx_workers(deployed)
    with _under_load(deployed, staff_token) as (fresh, kept):
        run = _deploy(deployed, tmp_path / "redeploy.log", clone)
    TIMINGS["redeploy (deploy.yml) under load"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    _nothing_lost("redeploy", fresh, kept)
    # The release's migration ran before nginx was pointed at it, while the old one served.
    changed = [name.removeprefix("app : ") for name in run.changed_tasks()]
    assert "Apply the migrations" in changed, changed
    switch = "Point nginx's socket link at the new instance"
    assert changed.index("Apply the migrations") < changed.index(switch), changed
    # nginx was not reloaded: the same worker processes serve.
    assert _nginx_workers(deployed) == workers
    assert fresh.versions == kept.versions == {deployed.release, new}
    assert _version(deployed) == new
    line = _last_log_line(deployed)
    assert "deploy user=" + getpass.getuser() in line, line
    assert f"release={new} from={deployed.release}" in line, line
    assert "result=ok" in line, line
    # Only the live instance runs; the old one stopped after draining.
    assert _active_instances(deployed) == [f"{APP}@{deployed.live_instance()}.service"]


def test_a_config_change_switches_instances_instead_of_restarting(
    deployed: LabHost, releases, staff_token: str, tmp_path
) -> None:
    """Same release, new environment (one more allowed host): a second instance starts and
    takes over like a new release; the live one is never restarted in place. The bare
    switch: nothing to install or migrate."""
    clone, new = releases["next"]
    before = _active_instances(deployed)
    previous = deployed.sudo(f"readlink {ROOT}/previous").strip()
    with _under_load(deployed, staff_token) as (fresh, kept):
        run = _deploy(
            deployed, tmp_path / "config.log", clone, "-e", '{"app_extra_hosts": ["alt.test"]}'
        )
    TIMINGS["config-only deploy under load"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    _nothing_lost("config-only deploy", fresh, kept)
    assert fresh.versions == kept.versions == {new}
    after = _active_instances(deployed)
    assert len(after) == 1, after
    assert after != before, (before, after)
    assert "alt.test" in deployed.sudo(f"grep ^ALLOWED_HOSTS= /etc/{APP}/env")
    # The release did not change, so `previous` (what make rollback returns to) did not either.
    assert deployed.sudo(f"readlink {ROOT}/previous").strip() == previous
    assert f"release={new} from={new}" in _last_log_line(deployed)


def test_rollback_breaks_a_stale_lock_and_returns_the_previous_release(
    deployed: LabHost, releases, staff_token: str, tmp_path
) -> None:
    _, new = releases["next"]
    assert _version(deployed) == new
    # A lock left by a run killed two hours ago: older than app_deploy_lock_max_age (1 h).
    deployed.sudo(f"mkdir {ROOT}/deploy.lock")
    deployed.sudo(f"sh -c 'echo deploy by killed-run since long ago > {ROOT}/deploy.lock/owner'")
    deployed.sudo(f"touch -d '2 hours ago' {ROOT}/deploy.lock")
    with _under_load(deployed, staff_token) as (fresh, kept):
        run = deployed.run_playbook("rollback.yml", tmp_path / "rollback.log")
    TIMINGS["rollback (rollback.yml) under load"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    _nothing_lost("rollback", fresh, kept)
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
    deployed: LabHost, releases, account: Actor
) -> None:
    """After the rollback the previous release runs on the schema `next` migrated: it must
    still read and write (expand/contract, docs/deploy.md)."""
    assert _version(deployed) == deployed.release
    # The schema really is the migrated one: the migration is recorded, column and table exist.
    recorded = f"SELECT count(*) FROM django_migrations WHERE name = '{MIGRATION}'"  # noqa: S608
    assert _psql(deployed, recorded) == "1"
    columns = _psql(
        deployed,
        "SELECT column_name FROM information_schema.columns "  # noqa: S608
        f"WHERE table_name = '{domain.RECORDS_TABLE}'",
    ).split()
    assert EXPAND_COLUMN in columns, columns
    assert _psql(deployed, f"SELECT to_regclass('{EXPAND_TABLE}') IS NOT NULL") == "t"

    # The old code, through nginx: create, read, list, cancel, read again, cancel again.
    token = account.token
    created = domain.write(deployed, account, days_ahead=2, note="on the migrated schema")
    path = domain.record_path(created["id"])
    status, _, fetched = deployed.request("GET", path, token=token)
    assert (status, fetched) == (200, created)
    owner = user_id(deployed, token)
    status, _, listed = deployed.request("GET", domain.owner_records_path(owner, 100), token=token)
    assert status == 200, listed
    assert created["id"] in [item["id"] for item in listed["items"]]
    status, _, _ = deployed.request("DELETE", path, token=token)
    assert status == 204
    status, _, fetched = deployed.request("GET", path, token=token)
    assert (status, fetched["status"]) == (200, "cancelled")
    status, _, _ = deployed.request("DELETE", path, token=token)
    assert status == 204
    # The row went into the migrated table, leaving the new column to its default (NULL).
    query = f"SELECT {EXPAND_COLUMN} IS NULL, status FROM {domain.RECORDS_TABLE} WHERE id = %d"  # noqa: S608
    row = _psql(deployed, query % created["id"])
    assert row == "t|cancelled", row
    print(
        f"\nprevious release {deployed.release} on the schema with {MIGRATION}: "
        "create 201, read 200, list 200, cancel 204, read 200 cancelled, cancel again 204"
    )
