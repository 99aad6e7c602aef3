"""scripts/domain_check.py: the domain's words stay in their allowed places.

Each case runs the checker on a git repository in a temporary directory: the real
pyproject.toml's rules, and files planted where they are, or are not, allowed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import domain_check

ROOT = Path(__file__).resolve().parents[2]
# The check is a lint: it lists tracked files with git, as `make lint` runs it on a developer's
# machine or CI. A server running the unit suite (tests/deploy/test_python313.py) has no git.
pytestmark = pytest.mark.skipif(
    shutil.which("git") is None,
    reason="NOT RUN on this machine: the domain check needs git (make lint runs it where git is)",
)
PLANTED = 'LEAK = "/api/v1/bookings/"\n'


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "--all"], cwd=tmp_path, check=True)
    return tmp_path


def test_a_planted_path_in_the_cluster_tests_fails_and_is_named(tmp_path, capsys) -> None:
    root = _tree(tmp_path, {"tests/cluster/planted.py": "import os\n" + PLANTED})
    assert domain_check.main([str(root)]) == 1
    assert "tests/cluster/planted.py:2:" in capsys.readouterr().out


def test_untracked_files_are_not_read(tmp_path) -> None:
    root = _tree(tmp_path, {})
    (root / "tests" / "cluster").mkdir(parents=True)
    (root / "tests" / "cluster" / "untracked.py").write_text(PLANTED)
    assert domain_check.main([str(root)]) == 0


@pytest.mark.parametrize(
    "path",
    [
        "tests/harness/domain.py",
        "example_api/bookings/models.py",
        "tests/unit/test_x.py",
        "load/locustfile.py",
        "docs/api.md",
    ],
)
def test_the_allowed_places_may_name_the_domain(tmp_path, path) -> None:
    assert domain_check.main([str(_tree(tmp_path, {path: PLANTED}))]) == 0


def test_settings_may_list_the_apps_and_routers_but_say_nothing_else(tmp_path, capsys) -> None:
    settings = (
        'PROJECT_APPS = [\n    "example_api.bookings",\n]\n'
        'API_ROUTERS = [\n    "example_api.bookings.api.router",\n]\n'
    )
    root = _tree(tmp_path, {"example_api/settings.py": settings})
    assert domain_check.main([str(root)]) == 0
    (root / "example_api" / "settings.py").write_text(settings + "# a booking rule\n")
    assert domain_check.main([str(root)]) == 1
    assert "example_api/settings.py:7:" in capsys.readouterr().out


def test_the_repository_itself_is_clean() -> None:
    assert domain_check.main([str(ROOT)]) == 0
