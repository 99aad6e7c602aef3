"""The releases the deploy tests make: new commits in throwaway clones of this repository.

The playbook's app_source_dir points at a clone, so the tests never touch the repository
itself: the `next` release is the same code plus an expand migration (a nullable column and a
new table) that exists only in its clone; the `broken` release's WSGI module raises at import,
so its instance never becomes ready.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.harness import domain
from tests.harness.labhost import REPO

APP = "example_api"
# The `next` release's migration: an expand one (safe for the release before it) unless this
# is set, which makes it a contract one (a NOT NULL column without a database default), to see
# test_the_previous_release_works_on_the_migrated_schema fail as it must.
DESTRUCTIVE = os.environ.get("SLIPWAY_DEPLOYTEST_DESTRUCTIVE_MIGRATION") == "1"
MIGRATION = "9901_deploytest_expand"
EXPAND_COLUMN = "deploytest_expand"
EXPAND_TABLE = f"{domain.APP_LABEL}_deploytestexpand"


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
    """Add a migration of the records' app to the clone only: a nullable column on the
    records and a new table.

    It follows the newest migration there, so the release stays one linear history whatever
    migrations the repository has by now. The model code does not change: the old release's
    code and the new one's both write records without the new column.
    """
    migrations = clone / APP / domain.APP_LABEL / "migrations"
    leaf = max(p.stem for p in migrations.glob("[0-9][0-9][0-9][0-9]_*.py"))
    field = (
        'models.CharField(max_length=20, default="x")'  # NOT NULL, no database default
        if DESTRUCTIVE
        else "models.CharField(max_length=20, null=True)"
    )
    model = f"{domain.APP_LABEL}.{domain.RECORD_MODEL}"
    (migrations / f"{MIGRATION}.py").write_text(
        f"""from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("{domain.APP_LABEL}", "{leaf}")]

    operations = [
        migrations.AddField("{domain.RECORD_MODEL}", "{EXPAND_COLUMN}", {field}),
        migrations.CreateModel(
            "DeployTestExpand",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("record", models.ForeignKey("{model}", on_delete=models.CASCADE)),
            ],
        ),
    ]
"""
    )


def make_releases(base: Path) -> dict[str, tuple[Path, str]]:
    """Two more releases of the deployed commit, cloned under `base`: `next` and `broken`."""
    made: dict[str, tuple[Path, str]] = {}
    for name in ("next", "broken"):
        clone = base / f"src-{name}"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        if name == "next":
            _add_expand_migration(clone)
        if name == "broken":
            wsgi = clone / APP / "wsgi.py"
            wsgi.write_text(wsgi.read_text() + '\nraise RuntimeError("broken on purpose")\n')
        made[name] = (clone, _commit(clone, f"deploy test: {name} release"))
    return made


def make_release(
    base: Path, name: str, edit: Callable[[Path], None] | None = None
) -> tuple[Path, str]:
    """One more release of the deployed commit, cloned under `base`, changed by `edit` (or
    not at all: a new commit of the same code)."""
    clone = base / f"src-{name}"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    if edit:
        edit(clone)
    return clone, _commit(clone, f"deploy test: {name} release")
