"""The docs point at things that exist: every relative link (and its #anchor) in README.md,
CONTRIBUTING.md, CHANGELOG.md and docs/*.md names an existing file or heading, and every
`make <target>` they show in code is a target of the Makefile or a fragment it includes;
and docs/api.md's table of error codes is the one the apps' api.py and
example_api/error_responses.py declare.

Plain text, no network and no subprocess, so the whole check takes milliseconds. Targets are
read only from code (`make test` in backticks or a fenced block): in prose, "make" is a verb.
"""

import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from example_api.api import DOMAIN_ERROR_STATUS
from example_api.error_responses import STATUS_CODES

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *ROOT.glob("docs/*.md")]
)

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_ANCHOR = re.compile(r"<a\s[^>]*(?:id|name)=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
SHELL_SEPARATOR = re.compile(r"[;&|()]")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
TARGET_WORD = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
RULE = re.compile(r"^([^\s:#=][^:#=]*?)\s*::?(?!=)")
INCLUDE = re.compile(r"^-?include\s+(.+)$")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    in_code_block: bool


@cache  # each file is read once per run, however many links point into it
def lines_of(path: Path) -> list[Line]:
    result: list[Line] = []
    in_block = False
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(text):
            in_block = not in_block
            continue
        result.append(Line(number, text, in_block))
    return result


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lowercase, punctuation removed (but
    `-` and `_`), each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = text.replace("`", "").replace("*", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in lines_of(path):
        if line.in_code_block:
            continue
        found.update(HTML_ANCHOR.findall(line.text))
        heading = HEADING.match(line.text)
        if heading:
            base = slug(heading.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")  # GitHub numbers repeats
    return found


def link_targets(line: Line) -> list[str]:
    if line.in_code_block:
        return []
    prose = CODE_SPAN.sub(lambda span: " " * len(span.group(0)), line.text)
    return INLINE_LINK.findall(prose) + REFERENCE_LINK.findall(prose)


def broken_links(path: Path) -> list[str]:
    problems: list[str] = []
    for line in lines_of(path):
        for target in link_targets(line):
            if EXTERNAL.match(target):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.relative_to(ROOT)}:{line.number}: link {target!r}"
            if not linked.exists():
                problems.append(f"{where}: no file {linked.relative_to(ROOT)}")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                problems.append(f"{where}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    return problems


def makefiles(path: Path = ROOT / "Makefile") -> list[Path]:
    """The Makefile and, recursively, the fragments it includes (paths relative to the root,
    where make runs)."""
    found = [path]
    for text in path.read_text(encoding="utf-8").splitlines():
        included = INCLUDE.match(text)
        if included:
            for name in included.group(1).split("#", 1)[0].split():  # `# part: x` is no file
                assert "$" not in name, f"{path.name}: cannot follow `include {name}`"
                found += makefiles(ROOT / name)
    return found


def make_targets() -> set[str]:
    targets: set[str] = set()
    for makefile in makefiles():
        for text in makefile.read_text(encoding="utf-8").splitlines():
            rule = RULE.match(text)
            if rule and not text.startswith("\t"):
                targets.update(rule.group(1).split())
    return targets


def code_of(line: Line) -> list[str]:
    if line.in_code_block:
        return [line.text.split("#", 1)[0]]  # a shell comment is prose
    return [span.group(2) for span in CODE_SPAN.finditer(line.text)]


def shell_words(command: str) -> list[str]:
    try:
        return shlex.split(command)  # VAR="a b" is one word
    except ValueError:  # an unbalanced quote: a fragment, not a command
        return command.split()


def named_targets(code: str) -> list[str]:
    """`make lint typecheck NAME=x` names lint and typecheck; options and variables are not
    targets, and anything else (a pipe, a bracket, a comment) ends the command."""
    names = []
    for command in SHELL_SEPARATOR.split(code):
        if "make" not in command.split():  # cheap first: most code is not a make command
            continue
        words = shell_words(command)
        if "make" not in words:  # it was inside quotes
            continue
        for word in words[words.index("make") + 1 :]:
            if ASSIGNMENT.match(word) or word.startswith("-"):
                continue
            if not TARGET_WORD.match(word):
                break
            names.append(word)
    return names


def unknown_targets(path: Path, targets: set[str]) -> list[str]:
    problems = []
    for line in lines_of(path):
        for code in code_of(line):
            for name in named_targets(code):
                if name not in targets:
                    problems.append(
                        f"{path.relative_to(ROOT)}:{line.number}: `make {name}`: no such target "
                        f"in {', '.join(str(m.relative_to(ROOT)) for m in makefiles())}"
                    )
    return problems


def test_every_relative_link_points_at_an_existing_file_and_heading():
    problems = [problem for doc in DOCS for problem in broken_links(doc)]
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_every_make_target_the_docs_name_exists():
    targets = make_targets()
    problems = [problem for doc in DOCS for problem in unknown_targets(doc, targets)]
    assert not problems, "unknown make targets:\n" + "\n".join(problems)


def error_table(path: Path) -> dict[str, set[int]]:
    """Codes named in the table of the page's "## Errors" section, with the statuses of the
    rows that name them. A row may end in a part's marker (`<!-- part: NAME -->`,
    scripts/parts.toml), which goes with the part."""
    statuses: dict[str, set[int]] = {}
    section = ""
    for line in lines_of(path):
        if line.text.startswith("## "):
            section = line.text
        row = re.match(r"^\|\s*(\d{3})\s*\|(.*)\|\s*(?:<!--.*-->\s*)?$", line.text)
        if section == "## Errors" and row:
            for span in CODE_SPAN.finditer(row.group(2)):
                if re.fullmatch(r"[a-z]+(_[a-z]+)*", span.group(2)):
                    statuses.setdefault(span.group(2), set()).add(int(row.group(1)))
    return statuses


MAPPING = "the apps' api.py and example_api/error_responses.py"


def test_the_contract_lists_every_error_code_with_its_status():
    """docs/api.md's error table says what the code declares, no more."""
    documented = error_table(ROOT / "docs" / "api.md")
    actual = {error.code: status for error, status in DOMAIN_ERROR_STATUS.items()}
    actual |= {code: status for status, code in STATUS_CODES.items()}
    problems = [
        f"`{code}`: {status} in {MAPPING}, {sorted(documented.get(code, []))} here"
        for code, status in actual.items()
        if documented.get(code) != {status}
    ] + [
        f"`{code}`: in docs/api.md, not a code of {MAPPING}" for code in documented.keys() - actual
    ]
    assert not problems, "docs/api.md's error table:\n" + "\n".join(problems)


def test_the_checks_see_what_they_check():
    """Guards against a parser that silently finds nothing: the docs do link to each other,
    name make targets, and the Makefile's own targets are found."""
    assert {"test", "test-unit", "lint", "help", "deploy", "rename"} <= make_targets()
    assert sum(len(link_targets(line)) for doc in DOCS for line in lines_of(doc)) > 20
    assert sum(len(named_targets(c)) for d in DOCS for ln in lines_of(d) for c in code_of(ln)) > 20


def test_the_parsers_on_known_input():
    assert slug("Releases: the health-gated switch, rollback, the lock") == (
        "releases-the-health-gated-switch-rollback-the-lock"
    )
    assert slug("1. Fork") == "1-fork"
    assert slug("Unit tests (`tests/unit/`)") == "unit-tests-testsunit"
    assert named_targets("make deploy INVENTORY=next ANSIBLE_ARGS=--check") == ["deploy"]
    assert named_targets("make lint typecheck && make test-unit | tee log") == [
        "lint",
        "typecheck",
        "test-unit",
    ]
    assert named_targets("cmake build; sudo make -j2 install") == ["install"]
    assert named_targets('make bench BENCH_ARGS="--runs 5" test') == ["bench", "test"]
    assert link_targets(Line(1, "[a](x.md#b) `[no](code.md)` [c]: ref.md", False)) == ["x.md#b"]
    assert link_targets(Line(1, "[c]: docs/ref.md", False)) == ["docs/ref.md"]
