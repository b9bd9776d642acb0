"""Which lines changed since a git ref (or in the index), for pull-request mode.

Findings are kept when they touch a changed line or sit in a file added since the ref, so a
pull request is judged on what it changes while site-wide checks still see the whole site.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from postlint.model import Diagnostic

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitError(Exception):
    """git is missing, the folder is not a repository, or the ref does not exist."""


@dataclass
class ChangedLines:
    """Changed line numbers per file (absolute paths); added files count as wholly changed."""

    lines: dict[Path, set[int]] = field(default_factory=dict)
    added: set[Path] = field(default_factory=set)

    def touches(self, diagnostic: Diagnostic) -> bool:
        path = Path(diagnostic.path).resolve()
        if path in self.added:
            return True
        changed = self.lines.get(path)
        if not changed:
            return False
        return any(line in changed for line in range(diagnostic.line, diagnostic.end_line + 1))


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed, but --diff and --staged need it") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def is_revision(ref: str, cwd: Path) -> bool:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except GitError:
        return False
    return True


def changed_lines(cwd: Path, ref: str | None = None, staged: bool = False) -> ChangedLines:
    """Lines added or changed since ``ref`` (working tree) or, with ``staged``, in the index."""
    folder = cwd if cwd.is_dir() else cwd.parent
    top = Path(_git(["rev-parse", "--show-toplevel"], folder).strip())
    if ref is not None and not is_revision(ref, top):
        raise GitError(f"--diff: `{ref}` is not a commit git knows")
    args = ["diff", "--unified=0", "--no-color", "--no-ext-diff", "-M"]
    args += ["--cached"] if staged else [ref or "HEAD"]
    result = ChangedLines()
    current: Path | None = None
    for line in _git([*args, "--", "."], top).splitlines():
        if line.startswith("--- "):
            was_new = line == "--- /dev/null"
        elif line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else (top / name[2:]).resolve()
            if current is not None and was_new:
                result.added.add(current)
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start = int(match.group(1))
                count = int(match.group(2) or 1)
                result.lines.setdefault(current, set()).update(range(start, start + count))
    if not staged:
        untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
        result.added.update((top / name).resolve() for name in untracked.split("\0") if name)
    return result
