"""The domain-swap rehearsal: docs/forking.md's "Replace the example domain" on a copy of this
repository, with the library kept in tests/template/library/ as the new domain. The result
must pass `make lint typecheck test-unit` (the domain check with the library's vocabulary
included), name the example nowhere but in prose and template machinery, run the library's
own tests, and serve the library's endpoints in its regenerated API document.

Slow (the copy installs its .venv from uv's cache, locks again and lints everything), so
`make test-template` runs it and `make test` does not.
"""

import json
import re
import time
from pathlib import Path

import pytest

from scripts.template_names import read_metadata

from . import domain_swap as swap
from .helpers import ROOT, copy_repo, git, run
from .test_part_rehearsals import lines_of, seed_caches

# Where the example may still be named after the swap: prose the fork rewrites in its own
# time, the template machinery (it names the template's example on purpose), and load/'s
# scenarios, which this rehearsal does not rewrite (the steps tell a fork to).
STILL_NAMING_THE_EXAMPLE = (
    "docs/",
    "CHANGELOG.md",
    "README.md",
    "load/",
    "scripts/",
    "tests/template/",
)


# The library kit sends its loan confirmations as jobs (tests/template/library/): a fork that
# removed the jobs part swaps its domain without them, which this kit does not show.
KIT_NEEDS = "jobs"


@pytest.mark.skipif(
    KIT_NEEDS in read_metadata(ROOT).removed,
    reason=f"NOT RUN: the library kit needs the {KIT_NEEDS} part, which this fork removed",
)
def test_the_library_replaces_the_example_domain(tmp_path: Path) -> None:
    started = time.monotonic()
    repo = copy_repo(tmp_path / "fork")
    lines_before = list(lines_of(repo))
    seed_caches(repo)

    swap.step_1_remove_the_parts_built_on_the_example(repo)
    deleted_tests = swap.step_2_delete_the_example_app_and_its_tests(repo)
    swap.step_3_add_your_app(repo)
    swap.step_4_rewrite_the_seam(repo)
    lending_tests = swap.step_5_rewrite_the_test_support_and_write_your_tests(repo)
    swap.step_6_edit_the_domain_vocabulary(repo)
    swap.step_7_drop_the_example_settings(repo)
    swap.step_8_rewrite_the_error_table(repo)
    swap.step_9_write_the_api_document_again(repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "--no-verify", "-m", "swap the example for the library", cwd=repo)

    checked = run("make", "lint", "typecheck", "test-unit", "PYTEST_ARGS=-rA", cwd=repo)

    named = git("grep", "-il", "booking", cwd=repo, check=False).split()
    assert [path for path in named if not path.startswith(STILL_NAMING_THE_EXAMPLE)] == []
    passed = re.findall(r"^PASSED (tests/unit/test_lending\w*\.py)::", checked.stdout, re.M)
    expected = sum(
        (swap.KIT / "support" / name).read_text().count("\ndef test_") for name in lending_tests
    )
    assert len(passed) == expected > 0, checked.stdout[-3000:]
    paths = json.loads((repo / "docs" / "openapi.json").read_text())["paths"]
    assert {"/api/v1/titles/", "/api/v1/loans/"} <= set(paths)
    assert not [path for path in paths if "booking" in path or "resources" in path]

    stat = git("diff", "--shortstat", "HEAD~1", "HEAD", cwd=repo).strip()
    total = re.findall(r"(\d+) passed", checked.stdout)
    print(
        f"  domain swap: {stat} (since the copy: {len(lines_before)} lines before,"
        f" {sum(1 for _ in lines_of(repo))} after); {len(deleted_tests)} example test files"
        f" deleted; lint, types and {total[-1] if total else '?'} unit tests passed"
        f" ({len(passed)} of the library's) in {time.monotonic() - started:.0f} s"
    )
