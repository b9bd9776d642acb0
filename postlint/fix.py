"""``--fix``: apply the edits that findings carry, re-lint, repeat until stable, write atomically.

Pure functions first (``apply_edits``, ``fix_text``), then the file side (``fix_file``,
``write_atomic``) and ``apply_fixes``, which the command line calls for a whole run. A file is
rewritten only when its bytes change: its encoding (UTF-8, with its BOM unless the BOM fix removed
it), its line endings (a CRLF file stays CRLF) and its permissions are kept.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from postlint.frontmatter import split_front_matter
from postlint.model import Diagnostic, Edit, LineIndex
from postlint.rule import Site

if TYPE_CHECKING:
    from postlint.engine import Linter

Lint = Callable[[str], list[Diagnostic]]
TEMP_SUFFIX = ".postlint-tmp"


def apply_edits(text: str, edits: Iterable[Edit], newline: str = "\n") -> tuple[str, int]:
    """Apply non-overlapping edits together; on overlap the first (by position) wins and the
    rest wait for the next round. ``newline`` ("\\r\\n" in a CRLF file) replaces ``\\n`` in
    replacements. Returns the new text and how many edits were applied."""
    new, applied = _apply_groups(text, [(edit,) for edit in edits], newline)
    return new, len(applied)


def _apply_groups(
    text: str, groups: Sequence[tuple[Edit, ...]], newline: str = "\n"
) -> tuple[str, list[int]]:
    """Apply whole fixes (groups of edits) that overlap no earlier one; the indexes applied."""
    taken: list[tuple[int, int]] = []
    chosen: list[int] = []
    order = sorted(
        range(len(groups)),
        key=lambda i: (min((e.span.start for e in groups[i]), default=0), i),
    )
    for i in order:
        ranges = [(e.span.start, e.span.end) for e in groups[i]]
        if not ranges or any(_overlaps(r, t) for r in ranges for t in taken):
            continue
        if any(_overlaps(a, b) for n, a in enumerate(ranges) for b in ranges[n + 1 :]):
            continue  # a fix that contradicts itself
        taken.extend(ranges)
        chosen.append(i)
    edits = sorted((e for i in chosen for e in groups[i]), key=lambda e: (e.span.start, e.span.end))
    out: list[str] = []
    pos = 0
    for edit in edits:
        out.append(text[pos : edit.span.start])
        replacement = edit.replacement
        if newline != "\n":
            replacement = replacement.replace("\r\n", "\n").replace("\n", newline)
        out.append(replacement)
        pos = edit.span.end
    out.append(text[pos:])
    return "".join(out), chosen


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions clash at the same point or strictly inside
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class FixResult:
    """What fixing one file did."""

    path: Path
    original: str
    fixed: str
    applied: int  # fixes applied, over every round
    remaining_diagnostics: list[Diagnostic]
    dropped_warnings: list[str] = field(default_factory=list)
    original_bytes: bytes = b""
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def applicable(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    """The diagnostics whose fixes may be applied: safe ones, and unsafe ones when allowed."""
    return [d for d in diagnostics if d.fix and (d.fix_safe is not False or unsafe)]


def fix_text(
    text: str, lint: Lint, unsafe: bool = False, max_rounds: int = 10
) -> tuple[str, int, list[Diagnostic], list[str]]:
    """Fix ``text`` until no applicable fix is left (at most ``max_rounds`` rounds).

    Returns the fixed text, the number of fixes applied, the diagnostics of the fixed text and
    warnings about fixes dropped because their result no longer parses.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    applied = 0
    warnings: list[str] = []
    seen = {text}
    rejected: set[tuple[str, int, int, tuple[str, ...]]] = set()
    diagnostics = lint(text)
    for _ in range(max_rounds):
        todo = [d for d in applicable(diagnostics, unsafe) if _key(d) not in rejected]
        if not todo:
            break
        new, chosen = _apply_groups(text, [d.fix or () for d in todo], newline)
        if _breaks(text, new):
            new, chosen = _apply_one_by_one(text, todo, chosen, newline, rejected, warnings)
        if not chosen or new in seen:
            break
        seen.add(new)
        text = new
        applied += len(chosen)
        diagnostics = lint(text)
    return text, applied, diagnostics, warnings


def _apply_one_by_one(
    text: str,
    todo: list[Diagnostic],
    chosen: list[int],
    newline: str,
    rejected: set[tuple[str, int, int, tuple[str, ...]]],
    warnings: list[str],
) -> tuple[str, list[int]]:
    """Apply the round's fixes from the last to the first (offsets stay valid), dropping each
    one that leaves front matter that no longer parses."""
    kept: list[int] = []
    for i in sorted(chosen, key=lambda i: -min(e.span.start for e in todo[i].fix or ())):
        candidate, done = _apply_groups(text, [todo[i].fix or ()], newline)
        if done and _breaks(text, candidate):
            d = todo[i]
            rejected.add(_key(d))
            warnings.append(
                f"{d.path}:{d.line}:{d.column}: not applying the fix for {d.code} ({d.rule}): "
                "the front matter would no longer parse."
            )
            continue
        text = candidate
        kept.append(i)
    return text, kept


def _key(d: Diagnostic) -> tuple[str, int, int, tuple[str, ...]]:
    return (d.code, d.line, d.column, tuple(e.replacement for e in d.fix or ()))


def _front_matter_state(text: str) -> tuple[bool, bool]:
    """(has front matter, it parses)."""
    fm, _ = split_front_matter(text, LineIndex(text))
    return fm is not None, fm is not None and fm.error is None


def _breaks(before: str, after: str) -> bool:
    had, parsed = _front_matter_state(before)
    has, parses = _front_matter_state(after)
    return (had and not has) or (parsed and not parses)


def fix_file(path: Path, lint: Lint, unsafe: bool = False, max_rounds: int = 10) -> FixResult:
    """Fix one file's text (nothing is written: see ``write_atomic``)."""
    data = Path(path).read_bytes()
    try:
        original = data.decode("utf-8")
    except UnicodeDecodeError:
        return FixResult(Path(path), "", "", 0, [], ["not UTF-8: nothing fixed"], data)
    fixed, applied, remaining, warnings = fix_text(original, lint, unsafe, max_rounds)
    return FixResult(Path(path), original, fixed, applied, remaining, warnings, data)


def write_atomic(path: Path, text: str, original_bytes: bytes) -> bool:
    """Write ``text`` as UTF-8 through a temporary file in the same folder and ``os.replace``,
    keeping the permissions. Returns False (and leaves the file untouched) when nothing changes.
    ``text`` carries its own BOM and line endings (the decoded file, as edited)."""
    data = text.encode("utf-8")
    if data == original_bytes:
        return False
    target = Path(os.path.realpath(path))  # write through a symbolic link, not over it
    mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return True


def unified_diff(path: str | Path, original: str, fixed: str) -> str:
    """A unified diff of the fix, as ``--diff`` prints it ("" when nothing changes)."""
    if original == fixed:
        return ""
    name = Path(path).as_posix()
    lines = difflib.unified_diff(
        original.splitlines(keepends=True),
        fixed.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def post_lint(linter: Linter, path: Path, site: Site | None = None) -> Lint:
    """Lint ``path``'s text as it is being fixed: its own checks and, given the site index of
    the run, the site-wide ones with this post's new facts in place (suppressions applied)."""
    from postlint.engine import display_path

    shown = display_path(path)

    def lint(text: str) -> list[Diagnostic]:
        result = linter.lint_post(linter.parse(text, shown), path)
        diagnostics = list(result.diagnostics)
        if site is not None and result.summary is not None:
            facts = {rule: dict(paths) for rule, paths in site.facts.items()}
            for paths in facts.values():
                paths.pop(shown, None)
            for rule, fact in result.facts.items():
                facts.setdefault(rule, {})[shown] = fact
            posts = {**site.posts, shown: result.summary}
            current = replace(site, posts=posts, facts=facts)
            found = linter.site_phase(current, [])
            diagnostics.extend(d for d in found if d.path == shown)
        return linter.filter(diagnostics, {shown: result})

    return lint


def _keeping(lint: Lint, only: Callable[[str, str, list[Diagnostic]], list[Diagnostic]]) -> Lint:
    def kept(text: str) -> list[Diagnostic]:
        found = lint(text)
        return only(found[0].path, text, found) if found else found

    return kept


def apply_fixes(
    files: Sequence[Path],
    linter: Linter,
    unsafe: bool = False,
    write: bool = True,
    max_rounds: int = 10,
    site: Site | None = None,
    only: Callable[[str, str, list[Diagnostic]], list[Diagnostic]] | None = None,
) -> list[FixResult]:
    """Fix every file (``write=False`` for ``--fix --dry-run``): the command line's ``--fix`` is
    this call, then a report of ``remaining_diagnostics``. Files that are not readable posts are
    skipped. ``only(path, text, diagnostics)`` keeps the findings to fix (those on changed lines,
    not in the baseline), so that ``--fix`` fixes what the run reports."""
    results = []
    for path in files:
        lint = post_lint(linter, path, site)
        if only is not None:
            lint = _keeping(lint, only)
        try:
            result = fix_file(path, lint, unsafe, max_rounds)
        except OSError:
            continue
        if write and result.changed:
            result.written = write_atomic(path, result.fixed, result.original_bytes)
        results.append(result)
    return results
