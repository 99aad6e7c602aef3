"""The steps of docs/forking.md's "Replace the example domain", applied to a copy by a
program: each function is one step, named after it. The new domain is the library kept in
tests/template/library/ (written with `example_api`, rewritten to the copy's package name)."""

import re
import tomllib
from pathlib import Path

from scripts.parts_derive import derive
from scripts.template_names import read_metadata

from .helpers import git, python_m

KIT = Path(__file__).resolve().parent / "library"
OLD_APP = "bookings"
NEW_APP = "lending"


def package(repo: Path) -> str:
    return read_metadata(repo).names.package


def place(repo: Path, source: Path, target: str) -> None:
    """A kit file in the copy, under the copy's package name."""
    dest = repo / target
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(source.read_text().replace("example_api", package(repo)))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new))


BUILT_ON_THE_EXAMPLE = ("assistant", "clients")


def step_1_remove_the_parts_built_on_the_example(repo: Path) -> None:
    # The assistant proposes bookings; the client tests call the example's endpoints. A fork
    # that removed them already (the minimal fork) has nothing to do here.
    removed = read_metadata(repo).removed
    kept = [name for name in BUILT_ON_THE_EXAMPLE if name not in removed]
    if not kept:
        return
    python_m("scripts.parts", "remove", "--no-derive", *kept, cwd=repo)
    git("commit", "-q", "--no-verify", "-m", f"Remove {' and '.join(kept)}", cwd=repo)


def step_2_delete_the_example_app_and_its_tests(repo: Path) -> list[str]:
    """The app, and every test file that names it (its own and the platform tests written on
    its endpoints): git rm, so the copy says what went."""
    git("rm", "-q", "-r", f"{package(repo)}/{OLD_APP}", cwd=repo)
    named = git(
        "grep", "-il", "booking", "--", "tests/unit", "tests/integration", cwd=repo, check=False
    )
    tests = named.split()
    if tests:
        git("rm", "-q", *tests, cwd=repo)
    # A part that owned one of them no longer does (make lint-parts names them).
    manifest = repo / "scripts" / "parts.toml"
    owned = manifest.read_text().splitlines(keepends=True)
    gone = (f"{{package}}/{OLD_APP}/", f"{package(repo)}/{OLD_APP}/")
    manifest.write_text(
        "".join(
            line
            for line in owned
            if (path := line.strip().strip('",')) not in tests and not path.startswith(gone)
        )
    )
    return tests


def step_3_add_your_app(repo: Path) -> None:
    pkg = package(repo)
    for source in sorted((KIT / NEW_APP).rglob("*.py")):
        place(repo, source, f"{pkg}/{NEW_APP}/{source.relative_to(KIT / NEW_APP)}")
    settings = repo / pkg / "settings.py"
    edit(settings, f'"{pkg}.{OLD_APP}",', f'"{pkg}.{NEW_APP}",')
    edit(settings, f'"{pkg}.{OLD_APP}.api.router",', f'"{pkg}.{NEW_APP}.api.router",')
    # The import contracts that name the example's apps.
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'"{pkg}.{OLD_APP}"', f'"{pkg}.{NEW_APP}"'))


def step_4_rewrite_the_seam(repo: Path) -> None:
    place(repo, KIT / "support" / "domain.py", "tests/harness/domain.py")


def step_5_rewrite_the_test_support_and_write_your_tests(repo: Path) -> list[str]:
    place(repo, KIT / "support" / "domain_support.py", "tests/domain_support.py")
    tests = sorted((KIT / "support").glob("test_*.py"))
    for source in tests:
        place(repo, source, f"tests/unit/{source.name}")
    return [source.name for source in tests]


def step_6_edit_the_domain_vocabulary(repo: Path) -> None:
    """[tool.slipway.domain] and its sub-tables, replaced by the kit's."""
    pyproject = repo / "pyproject.toml"
    lines = pyproject.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "[tool.slipway.domain]")
    end = next(
        (i for i in range(start + 1, len(lines))
         if lines[i].startswith("[") and not lines[i].startswith("[tool.slipway.domain")),
        len(lines),
    )  # fmt: skip
    table = (KIT / "support" / "pyproject-domain.toml").read_text()
    lines[start:end] = (
        [table.replace("example_api", package(repo)), "\n"] if end < len(lines) else [table]
    )
    pyproject.write_text("".join(lines))


def step_7_drop_the_example_settings(repo: Path) -> None:
    env = repo / ".env.example"
    env.write_text(
        "".join(
            line for line in env.read_text().splitlines(keepends=True) if "BOOKING_" not in line
        )
    )


def step_8_rewrite_the_error_table(repo: Path) -> None:
    """docs/api.md's Errors rows: the example's codes out, yours in, by status."""
    api_md = repo / "docs" / "api.md"
    mine = tomllib.loads((KIT / "support" / "api-errors.toml").read_text())
    # The example's codes (the assistant's too, until its markers take its rows out).
    gone = re.compile(
        r"`(?:booking_|resource_|assistant_|unknown_time_zone)\w*`(?: \([^)]*\))?(?:, )?"
    )
    rows = []
    for line in api_md.read_text().splitlines(keepends=True):
        row = re.match(r"\| (\d{3}) \| ([^|]*) \| (.*) \|$", line.rstrip("\n"))
        if row:
            status, body, codes = row.groups()
            codes = gone.sub("", codes).rstrip(", ")
            if not codes and not mine.get(status):
                continue  # a status only the example answered
            if added := "".join(f"`{code}`, " for code in mine.get(status, [])):
                rule = "or a rule: "
                codes = codes.replace(rule, rule + added) if rule in codes else added + codes
            line = f"| {status} | {body} | {codes.rstrip(', ')} |\n"
        rows.append(line)
    api_md.write_text("".join(rows))


def step_9_write_the_api_document_again(repo: Path) -> None:
    # The lock follows pyproject.toml; the removed endpoints never shipped in this fork, so the
    # new document is the release baseline too (what `make remove` does after a removal).
    derive(repo, new_baseline=True)
