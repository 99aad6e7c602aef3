"""make remove's rules on small trees: markers, the manifest, declared needs, the record, and
template-update skipping a removed part's upstream changes."""

from pathlib import Path

import pytest

from scripts.parts import (
    PartsError,
    apply_removal,
    check_request,
    check_tree,
    read_manifest,
    strip_markers,
)
from scripts.parts import main as parts_main
from scripts.template_names import read_metadata
from scripts.template_update import main as update_main

from .helpers import git

MANIFEST = """\
[parts.alpha]
what = "a part"
paths = ["{package}/alpha", "docs/alpha.md"]

[parts.beta]
what = "needs alpha"
needs = ["alpha"]
paths = ["{package}/beta"]
"""

SETTINGS = """\
APPS = [
    "core",
    "example_api.alpha",  # part: alpha
    "example_api.beta",  # part: alpha, beta
]
# >>> part alpha
ALPHA_TIMEOUT = 5
# >>> part beta
BETA = True
# <<< part beta
# <<< part alpha
LAST = 1
"""


def small_tree(root: Path, files: dict[str, str]) -> Path:
    base = {
        "scripts/parts.toml": MANIFEST,
        "example_api/__init__.py": "",
        "example_api/alpha/__init__.py": "A = 1\n",
        "example_api/beta/__init__.py": "B = 1\n",
        "example_api/settings.py": SETTINGS,
        "docs/alpha.md": "# Alpha\n",
        "docs/index.md": (
            "Intro.\n<!-- >>> part alpha -->\nAlpha's section.\n<!-- <<< part alpha -->\nEnd.\n"
        ),
    }
    for rel, text in {**base, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "--no-verify", "-m", "template", cwd=root)
    return root


def test_markers_remove_lines_and_nested_blocks():
    assert strip_markers(SETTINGS, {"beta"}) == SETTINGS.replace(
        '    "example_api.beta",  # part: alpha, beta\n', ""
    ).replace("# >>> part beta\nBETA = True\n# <<< part beta\n", "")
    assert strip_markers(SETTINGS, {"alpha"}) == 'APPS = [\n    "core",\n]\nLAST = 1\n'
    assert strip_markers(SETTINGS, set()) == SETTINGS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# >>> part alpha\nx\n", "never closed"),
        ("x\n# <<< part alpha\n", "closes no open block"),
        ("# >>> part alpha\n# >>> part beta\n# <<< part alpha\n# <<< part beta\n", "closes no"),
    ],
)
def test_unbalanced_blocks_are_refused(text, message):
    with pytest.raises(PartsError, match=message):
        strip_markers(text, {"alpha"}, "f.py")


def test_needs_are_declared_and_enforced(tmp_path):
    parts = read_manifest(small_tree(tmp_path, {}))
    check_request(parts, {"beta"})
    check_request(parts, {"alpha", "beta"})
    with pytest.raises(PartsError, match=r'beta needs alpha: remove it too \(PARTS="alpha beta"\)'):
        check_request(parts, {"alpha"})
    with pytest.raises(PartsError, match="unknown part"):
        check_request(parts, {"gamma"})


def test_the_check_finds_planted_mistakes(tmp_path):
    """The lint make lint runs: a typo'd part name, an unclosed block, a path that is gone."""
    root = small_tree(
        tmp_path,
        {
            "example_api/typo.py": "X = 1  # part: alhpa\n",
            "example_api/open.py": "# >>> part beta\nY = 2\n",
            "site.conf.j2": "    # public {# part: alpha #}\n    location / {}\n",
            "scripts/parts.toml": MANIFEST.replace('"docs/alpha.md"', '"docs/gone.md"'),
        },
    )
    files = git("ls-files", cwd=root).split()
    problems = "\n".join(check_tree(root, files))
    assert "example_api/typo.py: marker names unknown part alhpa" in problems
    assert "example_api/open.py: '>>> part beta' is never closed" in problems
    assert "alpha owns docs/gone.md, which is not in the tree" in problems
    assert "site.conf.j2:1: a Jinja comment ending a line takes its newline" in problems
    clean = small_tree(tmp_path / "clean", {})
    assert check_tree(clean, git("ls-files", cwd=clean).split()) == []


def test_remove_deletes_edits_stages_and_records(tmp_path, capsys):
    root = small_tree(tmp_path, {})
    assert parts_main(["--root", str(root), "remove", "alpha", "--no-derive"]) == 2
    assert "beta needs alpha" in capsys.readouterr().err
    assert parts_main(["--root", str(root), "remove", "alpha,beta", "--no-derive"]) == 0
    assert not (root / "example_api/alpha").exists()
    assert not (root / "docs/alpha.md").exists()
    assert (root / "example_api/settings.py").read_text() == 'APPS = [\n    "core",\n]\nLAST = 1\n'
    assert (root / "docs/index.md").read_text() == "Intro.\nEnd.\n"
    assert read_metadata(root).removed == ("alpha", "beta")
    assert git("status", "--porcelain", "--untracked-files=all", cwd=root).splitlines() == [
        "A  .template.toml",
        "D  docs/alpha.md",
        "M  docs/index.md",
        "D  example_api/alpha/__init__.py",
        "D  example_api/beta/__init__.py",
        "M  example_api/settings.py",
    ]
    git("commit", "-q", "--no-verify", "-m", "remove", cwd=root)
    assert parts_main(["--root", str(root), "remove", "alpha", "--no-derive"]) == 2
    assert "already removed" in capsys.readouterr().err


def test_removal_follows_the_renamed_package(tmp_path):
    root = small_tree(tmp_path, {".template.toml": '[names]\npackage = "billing_api"\n'})
    git("mv", "example_api", "billing_api", cwd=root)
    files = git("ls-files", cwd=root).split()
    deleted, _, _ = apply_removal(root, files, {"beta"})
    assert deleted == ["billing_api/beta/__init__.py"]


def test_template_update_skips_a_removed_parts_changes(tmp_path, monkeypatch, capsys):
    """The fork removed beta; upstream edits beta and settings' beta block, and adds a line
    elsewhere: only that line arrives, with no conflict."""
    template = small_tree(tmp_path / "template", {})
    base = git("rev-parse", "HEAD", cwd=template).strip()
    fork = tmp_path / "fork"
    git("clone", "-q", str(template), str(fork), cwd=tmp_path)
    (fork / ".template.toml").write_text(
        f'[template]\nurl = "{template}"\nref = "main"\ncommit = "{base}"\n'
    )
    git("add", ".template.toml", cwd=fork)
    git("commit", "-q", "--no-verify", "-m", "record", cwd=fork)
    assert parts_main(["--root", str(fork), "remove", "beta", "--no-derive"]) == 0
    git("commit", "-q", "--no-verify", "-m", "remove beta", cwd=fork)
    (template / "example_api/beta/__init__.py").write_text("B = 2\n")
    settings = (template / "example_api/settings.py").read_text()
    settings = settings.replace("BETA = True", "BETA = False").replace("LAST = 1", "LAST = 2")
    (template / "example_api/settings.py").write_text(settings)
    git("commit", "-q", "--no-verify", "-am", "upstream", cwd=template)
    monkeypatch.chdir(fork)
    monkeypatch.setattr("scripts.template_update.derive", lambda root, new_baseline: None)
    assert update_main([]) == 0, capsys.readouterr().err
    assert not (fork / "example_api/beta").exists()
    text = (fork / "example_api/settings.py").read_text()
    assert "LAST = 2" in text
    assert "BETA" not in text
    assert "beta" not in text
    assert read_metadata(fork).removed == ("beta",)
