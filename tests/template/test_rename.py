"""make rename: the name checks, what it rewrites and leaves, and a renamed copy of this
repository passing lint, types (mypy), migrations-in-sync and the unit tests."""

import shutil
import time
from pathlib import Path

import pytest

from scripts.rename import RESERVED, RenameError, validate
from scripts.template_names import DEFAULT_NAMES, Metadata, Names, read_metadata, render_metadata

from .helpers import ROOT, copy_repo, current_package, git, python_m, run, target_package

MACHINERY_PATHSPEC = [":!scripts", ":!tests/template", ":!docs/forking.md"]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Billing", "lowercase Python identifier"),
        ("billing-api", "lowercase Python identifier"),
        ("1api", "lowercase Python identifier"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("json", "shadow"),
        ("django", "shadow"),
        ("tests", "shadow"),
        ("example_api_v2", "contains the current name"),
    ],
)
def test_bad_names_are_refused(name, why):
    new = Names(package=name, slug="billing-api", title="Billing")
    with pytest.raises(RenameError, match=why):
        validate(DEFAULT_NAMES, new)


def test_the_apps_and_top_level_directories_are_reserved():
    """A new app or directory must join RESERVED, or a fork could take its name."""
    apps = {path.parent.name for path in (ROOT / current_package()).glob("*/apps.py")}
    directories = {
        path.name for path in ROOT.iterdir() if path.is_dir() and not path.name.startswith(".")
    }
    taken = apps | (directories - {current_package()})
    assert taken - RESERVED == set()


def test_renaming_to_the_same_names_is_refused():
    with pytest.raises(RenameError, match="nothing to do"):
        validate(DEFAULT_NAMES, DEFAULT_NAMES)


def test_bad_slug_and_title_are_refused():
    with pytest.raises(RenameError, match="SLUG"):
        validate(DEFAULT_NAMES, Names("billing_api", "Billing_API", "Billing"))
    with pytest.raises(RenameError, match="TITLE"):
        validate(DEFAULT_NAMES, Names("billing_api", "billing-api", 'Bad "title"'))


def small_repo(tmp_path: Path) -> Path:
    """A miniature of the template with one file for each rule the rename has."""
    repo = tmp_path / "small"
    files = {
        "example_api/__init__.py": "",
        "example_api/settings.py": 'ROOT_URLCONF = "example_api.urls"\n',
        "example_api/conf/example_api_extra.py": "from example_api import settings\n",
        "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_api.settings")\n',
        "pyproject.toml": '[project]\nname = "slipway"\ndescription = "Slipway"\n',
        "uv.lock": '[[package]]\nname = "slipway"\nsource = { virtual = "." }\n',
        "docker/image.mk": "IMAGE ?= localhost/slipway:dev\nCTR := slipway-smoke\n",
        ".github/workflows/ci.yml": (
            "IMAGE: slipway:ci\nDB: postgres://slipway:slipway@127.0.0.1/slipway\n"
            "ENV: EXAMPLE_API_DEBUG\n"
        ),
        "ansible/vars.yml": "app_name: example_api\n",
        "lab/lab.mk": "SLIPWAY_CACHE ?= $(HOME)/.cache/slipway\n",
        "ansible/roles/hardening/templates/sshd-slipway.conf.j2": "# Slipway sshd\n",
        "README.md": "# Slipway\n\nThe `example_api/` package. Slipway's promise.\n",
        "docs/forking.md": "Rename example_api.\n",
        # As in the template: compiled modules (written by the rename's own run) are ignored.
        ".gitignore": "__pycache__/\n",
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    (repo / "example_api/logo.bin").write_bytes(b"\0example_api\0")
    shutil.copytree(
        ROOT / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__")
    )
    (repo / ".template.toml").write_text(render_metadata(Metadata(names=DEFAULT_NAMES)))
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "--no-verify", "-m", "template", cwd=repo)
    return repo


def test_rename_rules_on_a_small_tree(tmp_path):
    repo = small_repo(tmp_path)
    head = git("rev-parse", "HEAD", cwd=repo).strip()
    out = python_m("scripts.rename", "--name", "billing_api", "--title", "Billing", cwd=repo).stdout
    assert "moved    example_api -> billing_api" in out
    assert "staged" in out
    read = lambda rel: (repo / rel).read_text()  # noqa: E731

    # The package: paths (nested ones too) and every mention.
    assert not (repo / "example_api").exists()
    assert read("billing_api/conf/billing_api_extra.py") == "from billing_api import settings\n"
    assert read("billing_api/settings.py") == 'ROOT_URLCONF = "billing_api.urls"\n'
    assert "billing_api.settings" in read("manage.py")
    assert read("ansible/vars.yml") == "app_name: billing_api\n"
    assert "BILLING_API_DEBUG" in read(".github/workflows/ci.yml")
    # The slug: the distribution and image names only.
    assert 'name = "billing-api"' in read("pyproject.toml")
    assert 'name = "billing-api"' in read("uv.lock")
    assert read("docker/image.mk") == "IMAGE ?= localhost/billing-api:dev\nCTR := slipway-smoke\n"
    ci = read(".github/workflows/ci.yml")
    assert "IMAGE: billing-api:ci" in ci
    assert "postgres://slipway:slipway@127.0.0.1/slipway" in ci
    # The title, as a word.
    assert read("README.md") == "# Billing\n\nThe `billing_api/` package. Billing's promise.\n"
    # Left alone: the tooling namespace, server file names, binaries, the machinery itself.
    assert read("lab/lab.mk") == "SLIPWAY_CACHE ?= $(HOME)/.cache/slipway\n"
    assert (repo / "ansible/roles/hardening/templates/sshd-slipway.conf.j2").exists()
    assert (repo / "billing_api/logo.bin").read_bytes() == b"\0example_api\0"
    assert read("scripts/rename.py") == (ROOT / "scripts/rename.py").read_text()
    assert read("docs/forking.md") == "Rename example_api.\n"

    meta = read_metadata(repo)
    assert meta.names == Names("billing_api", "billing-api", "Billing")
    assert meta.commit == head
    # Everything is staged (git mv: the unchanged file shows as a move).
    status = git("status", "--porcelain", cwd=repo)
    assert all(line[1] == " " for line in status.splitlines()), status
    assert "R  example_api/__init__.py -> billing_api/__init__.py" in status

    # A second rename starts from the recorded names and keeps the template commit.
    git("commit", "-q", "--no-verify", "-m", "rename", cwd=repo)
    python_m("scripts.rename", "--name", "ledger", "--slug", "ledger", cwd=repo)
    assert read("ledger/conf/ledger_extra.py") == "from ledger import settings\n"
    assert 'name = "ledger"' in read("pyproject.toml")
    assert read("README.md").startswith("# Billing\n")
    assert read_metadata(repo).commit == head


def test_rename_refuses_a_dirty_tree_and_a_name_in_use(tmp_path):
    repo = small_repo(tmp_path)
    (repo / "manage.py").write_text("# local change\n")
    result = python_m("scripts.rename", "--name", "billing_api", cwd=repo, check=False)
    assert result.returncode == 2
    assert "uncommitted changes" in result.stderr
    git("checkout", "--", "manage.py", cwd=repo)

    # "urls" is in example_api.urls: a later rename could not tell the two apart.
    result = python_m("scripts.rename", "--name", "urls", cwd=repo, check=False)
    assert result.returncode == 2
    assert "already occurs" in result.stderr


def make_template(*targets: str, cwd: Path):
    """`make` with scripts/template.mk, whether or not the Makefile includes it yet."""
    included = "scripts/template.mk" in (cwd / "Makefile").read_text()
    extra = () if included else ("-f", "Makefile", "-f", "scripts/template.mk")
    return run("make", *extra, *targets, cwd=cwd, check=False)


def test_make_rename_without_name_says_how():
    result = make_template("rename", cwd=ROOT)
    assert result.returncode != 0
    assert "usage: make rename NAME=" in result.stderr


def test_renamed_copy_passes_lint_types_and_unit_tests(tmp_path):
    """The end-to-end proof, on a copy of this repository as it is on disk."""
    started = time.monotonic()
    old, new = current_package(), target_package()
    repo = copy_repo(tmp_path / "fork")
    python_m("scripts.rename", "--name", new, cwd=repo)

    leftover = run("git", "grep", "-n", "-I", old, "--", ".", *MACHINERY_PATHSPEC, cwd=repo,
                   check=False)  # fmt: skip
    assert leftover.returncode == 1, f"{old} left in tracked files:\n{leftover.stdout}"
    assert not (repo / old).exists()
    assert (repo / new / "settings.py").exists()
    # Migrations name the apps by label (accounts, bookings), so they load unchanged.
    assert (repo / new / "bookings" / "migrations" / "0001_initial.py").exists()

    git("commit", "-q", "--no-verify", "-m", f"Rename {old} to {new}", cwd=repo)
    # Reuse mypy's cache of the third-party stubs (a cache only: mypy checks it is fresh).
    if (ROOT / ".mypy_cache").is_dir():
        shutil.copytree(ROOT / ".mypy_cache", repo / ".mypy_cache")
    # lint-python includes `makemigrations --check` and `check --deploy`; test-unit migrates
    # a fresh database through every migration.
    run("make", "lint-python", "typecheck", "test-unit", cwd=repo)
    print(f"  renamed copy checked in {time.monotonic() - started:.0f}s")
