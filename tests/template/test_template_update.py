"""make template-update: template changes reach a renamed fork through the rename, the fork's
own edits stay, conflicts stop with markers and a clear message, and nothing is recorded
until they are resolved."""

from pathlib import Path

import pytest

from scripts.template_names import read_metadata

from .helpers import copy_repo, current_package, git, python_m, target_package

OLD, NEW = current_package(), target_package()
RULES = "bookings/rules.py"
DELETED = "load/bench.lua"


@pytest.fixture(scope="module")
def template_source(tmp_path_factory) -> Path:
    """A throwaway template repository made from this repository's files."""
    return copy_repo(tmp_path_factory.mktemp("source") / "template")


@pytest.fixture
def template(template_source, tmp_path) -> Path:
    """A fresh clone per test, so each test changes its own template."""
    repo = tmp_path / "template"
    git("clone", "-q", str(template_source), str(repo), cwd=tmp_path)
    return repo


@pytest.fixture
def fork(template, tmp_path) -> Path:
    """A fork of the template, renamed, with one change of its own (a line at the end of
    rules.py)."""
    repo = tmp_path / "fork"
    git("clone", "-q", str(template), str(repo), cwd=tmp_path)
    python_m("scripts.rename", "--name", NEW, "--template", str(template), cwd=repo)
    git("commit", "-q", "--no-verify", "-m", "rename", cwd=repo)
    with (repo / NEW / RULES).open("a") as f:
        f.write("\n\nFORK_ONLY = True  # a change of the fork's own\n")
    git("commit", "-q", "--no-verify", "-am", "fork change", cwd=repo)
    return repo


def replace_first_line(path: Path, line: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(line + "\n" + "".join(lines[1:]))


def change_template(template: Path, first_line: str) -> str:
    """A template release: edit a line, add a file naming the package, delete a file."""
    replace_first_line(template / OLD / RULES, first_line)
    with (template / "manage.py").open("a") as f:
        f.write(f"# Served in production by {OLD}.wsgi:application.\n")
    (template / OLD / "bookings" / "calendar.py").write_text(
        f'"""New in the template."""\n\nfrom {OLD}.bookings.rules import overlaps\n\n'
        "__all__ = ['overlaps']\n"
    )
    git("rm", "-q", DELETED, cwd=template)
    git("add", "-A", cwd=template)
    git("commit", "-q", "--no-verify", "-m", "template release", cwd=template)
    return git("rev-parse", "HEAD", cwd=template).strip()


def update(fork: Path, *args: str, check: bool = True):
    return python_m("scripts.template_update", *args, cwd=fork, check=check)


def test_changes_arrive_renamed_and_the_fork_keeps_its_own(template, fork):
    base = read_metadata(fork).commit
    assert base == git("rev-parse", "HEAD", cwd=template).strip()
    new = change_template(template, '"""Pure booking rules (template v2)."""')

    result = update(fork)
    assert "updated to template" in result.stdout

    rules = (fork / NEW / RULES).read_text()
    assert rules.startswith('"""Pure booking rules (template v2)."""\n')
    assert "FORK_ONLY = True" in rules
    assert (
        f"# Served in production by {NEW}.wsgi:application.\n" in (fork / "manage.py").read_text()
    )
    calendar = (fork / NEW / "bookings" / "calendar.py").read_text()
    assert f"from {NEW}.bookings.rules import overlaps" in calendar
    assert not (fork / OLD).exists()
    assert not (fork / DELETED).exists()
    meta = read_metadata(fork)
    assert meta.commit == new
    assert meta.names.package == NEW

    # Staged, not committed; only the template's changes and the metadata; no git state left.
    assert git("rev-parse", "HEAD~1", cwd=fork)  # the fork's own history is untouched
    staged = set(git("diff", "--cached", "--name-only", cwd=fork).split())
    assert staged == {
        f"{NEW}/{RULES}",
        f"{NEW}/bookings/calendar.py",
        "manage.py",
        DELETED,
        ".template.toml",
    }
    assert not (fork / ".git" / "CHERRY_PICK_HEAD").exists()
    git("commit", "-q", "--no-verify", "-m", "update", cwd=fork)
    log = git("log", "-1", "--format=%an", cwd=fork).strip()
    assert log == "Test"  # the fork's author, not the tool's

    # Again: nothing new.
    assert "already up to date" in update(fork).stdout


def test_a_conflict_stops_with_markers_and_records_nothing(template, fork):
    replace_first_line(fork / NEW / RULES, '"""Rules, as this fork words them."""')
    git("commit", "-q", "--no-verify", "-am", "fork rewords the docstring", cwd=fork)
    base = read_metadata(fork).commit
    new = change_template(template, '"""Rules, as the template words them now."""')

    result = update(fork, check=False)
    assert result.returncode == 1
    assert "CONFLICT" in result.stderr
    assert f"{NEW}/{RULES}" in result.stderr
    assert "make template-update CONTINUE=1" in result.stderr
    rules = (fork / NEW / RULES).read_text()
    assert "<<<<<<<" in rules
    assert "as this fork words them" in rules
    assert "as the template words them now" in rules
    # The non-conflicting changes are staged; the metadata is not half-recorded.
    assert (fork / NEW / "bookings" / "calendar.py").exists()
    assert read_metadata(fork).commit == base
    assert git("diff", "HEAD", "--", ".template.toml", cwd=fork) == ""

    # A second update, or a premature CONTINUE, is refused.
    again = update(fork, check=False)
    assert again.returncode == 2
    assert "waiting for its conflicts" in again.stderr
    early = update(fork, "--continue", check=False)
    assert early.returncode == 2
    assert "still unresolved" in early.stderr

    # Resolve, add, continue: now the new template commit is recorded.
    replace_first_line(fork / NEW / RULES, '"""Rules, worded by both."""')
    text = (fork / NEW / RULES).read_text()
    lines = [
        ln for ln in text.splitlines(keepends=True) if not ln.startswith(("<<<", "===", ">>>"))
    ]
    cleaned = [ln for ln in lines if "words them" not in ln]
    (fork / NEW / RULES).write_text("".join(cleaned))
    git("add", f"{NEW}/{RULES}", cwd=fork)
    done = update(fork, "--continue")
    assert "recorded template" in done.stdout
    assert read_metadata(fork).commit == new
    assert not (fork / ".git" / "CHERRY_PICK_HEAD").exists()
    git("commit", "-q", "--no-verify", "-m", "update", cwd=fork)
    assert git("status", "--porcelain", cwd=fork) == ""


def test_abort_restores_the_work_tree(template, fork):
    replace_first_line(fork / NEW / RULES, '"""Fork."""')
    git("commit", "-q", "--no-verify", "-am", "fork", cwd=fork)
    head = git("rev-parse", "HEAD", cwd=fork)
    change_template(template, '"""Template."""')
    assert update(fork, check=False).returncode == 1
    update(fork, "--abort")
    assert git("status", "--porcelain", cwd=fork) == ""
    assert git("rev-parse", "HEAD", cwd=fork) == head
    assert update(fork, check=False).returncode == 1  # and it can be tried again


def test_refuses_a_dirty_tree_and_a_missing_base(fork):
    (fork / "manage.py").write_text("# dirty\n")
    result = update(fork, check=False)
    assert result.returncode == 2
    assert "uncommitted changes" in result.stderr
    git("checkout", "--", "manage.py", cwd=fork)

    meta = (fork / ".template.toml").read_text()
    (fork / ".template.toml").write_text(meta.replace(read_metadata(fork).commit, ""))
    git("commit", "-q", "--no-verify", "-am", "lose the base", cwd=fork)
    result = update(fork, check=False)
    assert result.returncode == 2
    assert "records no template commit" in result.stderr
