"""Bring later template changes into a renamed fork: `make template-update [TEMPLATE=] [REF=]`.

A plain `git merge` of the template conflicts on every line the rename touched. Instead:

1. fetch the template at REF into this repository's object database;
2. check out the template commit recorded in .template.toml (the fork's base) and the new one
   into two temporary trees and apply this fork's rename (.template.toml [names]) to both;
3. turn them into two commits with a temporary index (`git write-tree`, `git commit-tree`),
   the new one a child of the old one;
4. `git cherry-pick --no-commit <new>`: a three-way merge whose base is the *renamed* old
   template, so only the real template changes arrive, under the fork's names, and lines the
   fork changed too get ordinary conflict markers;
5. record the new template commit in .template.toml (only once nothing is left in conflict).

The result is staged, not committed: review it, run the tests, commit.
On a conflict: resolve, `git add`, then `make template-update CONTINUE=1`;
or give up with `make template-update ABORT=1`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.parts import PartsError, apply_removal
from scripts.parts_derive import DERIVED, derive
from scripts.rename import GIT, RenameError, apply_rename, moved_path
from scripts.template_names import METADATA, Metadata, read_metadata, render_metadata

PENDING = "template-update-pending"  # in .git/: the update waiting for conflicts to be resolved
IDENTITY = {
    "GIT_AUTHOR_NAME": "template-update",
    "GIT_AUTHOR_EMAIL": "template-update@localhost",
    "GIT_COMMITTER_NAME": "template-update",
    "GIT_COMMITTER_EMAIL": "template-update@localhost",
}


class UpdateError(Exception):
    """A refusal or failure with a message for the user."""


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(  # noqa: S603
        [GIT, *args], cwd=cwd, env=full_env, text=True, capture_output=True, check=False
    )
    if check and result.returncode != 0:
        raise UpdateError(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result


def out(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return run(*args, cwd=cwd, env=env).stdout.strip()


def pending_path(root: Path) -> Path:
    return root / out("rev-parse", "--git-path", PENDING, cwd=root)


def require_clean(root: Path) -> None:
    for marker in ("CHERRY_PICK_HEAD", "MERGE_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply"):
        if (root / out("rev-parse", "--git-path", marker, cwd=root)).exists():
            raise UpdateError(f"a git operation is in progress ({marker}); finish or abort it")
    if pending_path(root).exists():
        raise UpdateError(
            "a template update is waiting for its conflicts to be resolved: resolve them,"
            " `git add` the files, then `make template-update CONTINUE=1` (or ABORT=1)"
        )
    status = out("status", "--porcelain", cwd=root)
    if status:
        raise UpdateError(f"the work tree has uncommitted changes; commit or stash them:\n{status}")


def ensure_commit(root: Path, url: str, commit: str) -> None:
    if run("cat-file", "-e", f"{commit}^{{commit}}", cwd=root, check=False).returncode == 0:
        return
    if url:
        run("fetch", "--quiet", "--no-tags", url, commit, cwd=root, check=False)
    if run("cat-file", "-e", f"{commit}^{{commit}}", cwd=root, check=False).returncode != 0:
        raise UpdateError(f"template commit {commit} (from {METADATA}) is not available")


def regenerate(root: Path, commit: str, meta: Metadata, fork_metadata: bytes, work: Path) -> str:
    """The tree of template `commit` with the fork's rename applied; returns its tree id."""
    tree_dir = work / f"tree-{commit[:12]}"
    tree_dir.mkdir()
    index = {"GIT_INDEX_FILE": str(work / f"index-{commit[:12]}")}
    run("read-tree", commit, cwd=root, env=index)
    run("checkout-index", "--all", f"--prefix={tree_dir}/", cwd=root, env=index)
    files = out("ls-files", cwd=root, env=index).splitlines()
    # Rename from the names that template tree carries to the fork's names.
    template_names = read_metadata(tree_dir).names
    if template_names != meta.names:
        _, moves = apply_rename(tree_dir, files, template_names, meta.names)
        files = [moved_path(f, moves) for f in files]
    # Both trees carry the fork's own metadata, so the update never touches it.
    (tree_dir / METADATA).write_bytes(fork_metadata)
    if meta.removed:
        # The parts the fork removed go from both trees, so their changes are skipped; the
        # derived files are the fork's own and written again after the merge (derive()).
        apply_removal(tree_dir, files, set(meta.removed))
        for rel in DERIVED:
            if (root / rel).exists():
                (tree_dir / rel).write_bytes((root / rel).read_bytes())
    fresh = {"GIT_INDEX_FILE": str(work / f"index-{commit[:12]}-renamed")}
    git_dir = out("rev-parse", "--absolute-git-dir", cwd=root)
    worktree = (f"--git-dir={git_dir}", f"--work-tree={tree_dir}")
    run(*worktree, "add", "--all", "--force", ".", cwd=tree_dir, env=fresh)
    return out(*worktree, "write-tree", cwd=tree_dir, env=fresh)


def conflicted(root: Path) -> list[str]:
    return out("diff", "--name-only", "--diff-filter=U", cwd=root).splitlines()


def record(root: Path, meta: Metadata, url: str, ref: str, commit: str) -> None:
    new_meta = Metadata(meta.names, url, ref, commit, meta.removed)
    (root / METADATA).write_text(render_metadata(new_meta), encoding="utf-8")
    run("add", "--", METADATA, cwd=root)
    # The default message of the next `git commit`.
    message = f"Update from template {commit[:12]} ({ref})\n\nTemplate: {url}\n"
    (root / out("rev-parse", "--git-path", "MERGE_MSG", cwd=root)).write_text(message)


def update(root: Path, template: str, ref: str) -> int:
    require_clean(root)
    meta = read_metadata(root)
    url = template or meta.url
    ref = ref or meta.ref or "main"
    if not url:
        raise UpdateError(f"no template URL: pass TEMPLATE=<git url or path> (kept in {METADATA})")
    if not meta.commit:
        raise UpdateError(
            f"{METADATA} records no template commit; run `make rename` first, or set"
            " [template] commit to the template commit this fork started from"
        )
    ensure_commit(root, url, meta.commit)
    print(f"fetching {ref} from {url}")
    run("fetch", "--quiet", "--no-tags", url, ref, cwd=root)
    new = out("rev-parse", "FETCH_HEAD^{commit}", cwd=root)
    old = out("rev-parse", f"{meta.commit}^{{commit}}", cwd=root)
    if new == old:
        print(f"already up to date with {ref} ({new[:12]})")
        return 0
    fork_metadata = (root / METADATA).read_bytes()
    with tempfile.TemporaryDirectory(prefix="template-update-") as tmp:
        work = Path(tmp)
        print(f"renaming template {old[:12]} and {new[:12]} to {meta.names.package}")
        old_tree = regenerate(root, old, meta, fork_metadata, work)
        new_tree = regenerate(root, new, meta, fork_metadata, work)
    base = out("commit-tree", old_tree, "-m", f"template {old} renamed", cwd=root, env=IDENTITY)
    change = out(
        "commit-tree", new_tree, "-p", base, "-m", f"template {new} renamed", cwd=root, env=IDENTITY
    )
    summary = run("diff", "--stat", base, change, cwd=root).stdout.rstrip()
    print(summary or "(the template changes nothing in this fork's files)")
    if old_tree != new_tree:
        picked = run("cherry-pick", "--no-commit", change, cwd=root, env=IDENTITY, check=False)
        if picked.returncode != 0:
            files = conflicted(root)
            if not files:  # not a conflict: undo and report git's own message
                run("reset", "--merge", cwd=root, check=False)
                raise UpdateError(f"git cherry-pick failed:\n{picked.stderr.strip()}")
            pending_path(root).write_text(f"{url}\n{ref}\n{new}\n", encoding="utf-8")
            print(
                "\nCONFLICT: the template changed lines this fork changed too, in:\n"
                + "".join(f"  {f}\n" for f in files)
                + f"\nThe other changes are staged; {METADATA} still records {old[:12]}.\n"
                "Resolve the <<<<<<< ======= >>>>>>> markers (ours = this fork, theirs = the"
                " template),\n`git add` each file, then run `make template-update CONTINUE=1`.\n"
                "To give up and restore the work tree: `make template-update ABORT=1`.",
                file=sys.stderr,
            )
            return 1
    if meta.removed and old_tree != new_tree:
        derive(root, new_baseline=False)
    record(root, meta, url, ref, new)
    print(
        f"\nupdated to template {new[:12]} ({ref}); the changes and {METADATA} are staged.\n"
        "Next: review `git diff --cached`, run `make test`, then\n"
        f"      git commit -m 'Update from template {new[:12]}'"
    )
    return 0


def finish(root: Path) -> int:
    pending = pending_path(root)
    if not pending.exists():
        raise UpdateError("no template update is waiting to be continued")
    if files := conflicted(root):
        raise UpdateError("still unresolved (fix, then `git add`): " + ", ".join(files))
    markers = run("diff", "--cached", "--check", cwd=root, check=False).stdout
    if "conflict marker" in markers:
        raise UpdateError(f"conflict markers are still staged:\n{markers.strip()}")
    url, ref, new = pending.read_text(encoding="utf-8").split()
    meta = read_metadata(root)
    if meta.removed:
        derive(root, new_baseline=False)
    record(root, meta, url, ref, new)
    run("cherry-pick", "--quit", cwd=root, check=False)
    pending.unlink()
    print(f"recorded template {new[:12]} in {METADATA}; review `git diff --cached`, then commit")
    return 0


def abort(root: Path) -> int:
    pending = pending_path(root)
    if not pending.exists():
        raise UpdateError("no template update is waiting to be aborted")
    run("cherry-pick", "--quit", cwd=root, check=False)
    run("reset", "--merge", cwd=root)
    pending.unlink()
    print("template update aborted; the work tree is back at HEAD")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--template", default="", help="template git URL or path")
    parser.add_argument("--ref", default="", help="template branch, tag or commit (default main)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--continue", dest="cont", action="store_true", help="after resolving")
    group.add_argument("--abort", action="store_true", help="drop a conflicted update")
    args = parser.parse_args(argv)
    try:
        root = Path(out("rev-parse", "--show-toplevel", cwd=Path.cwd()))
        if args.cont:
            return finish(root)
        if args.abort:
            return abort(root)
        return update(root, args.template, args.ref)
    except (UpdateError, RenameError, PartsError) as exc:
        print(f"template-update: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
