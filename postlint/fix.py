"""``--fix``: apply the edits that findings carry, re-lint, repeat until stable, write atomically.

Pure functions first (``apply_edits``, ``fix_text``), then the file side (``fix_file``,
``write_atomic``) and ``apply_fixes``, which the command line calls for a whole run. A file is
rewritten only when its bytes change: its encoding (UTF-8, with its BOM unless the BOM fix removed
it), its line endings (a CRLF file stays CRLF) and its permissions are kept. A read-only file, or
one that changed on disk while it was being fixed (an editor saved it), is left alone with a note.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
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
    from postlint.engine import FileResult, Linter
    from postlint.index import PostSummary

Lint = Callable[[str], list[Diagnostic]]
Only = Callable[[str, str, list[Diagnostic]], list[Diagnostic]]  # keeps the findings to fix
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

    A round applies every fix that overlaps no other, then lints the result. A fix after which
    the front matter no longer parses, or the text has an error it did not have before (see
    ``added``), is dropped with a warning, and the rest of the round is kept (see
    ``_Rejections.settle``). Dropped fixes are tried again, together, once nothing else is left:
    the fixes applied since may have changed their outcome (a quote fixed with its pair).
    Findings of lower severity that a fix reveals are kept: a bare URL made a link is then
    judged as a link, and its ``http://`` was there before the fix.

    Returns the fixed text, the number of fixes applied, the diagnostics of the fixed text and
    the warnings about dropped fixes.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    applied = 0
    seen = {text}
    state = _Rejections()
    diagnostics = lint(text)
    for _ in range(max_rounds):
        fixable = applicable(diagnostics, unsafe)
        todo = [d for d in fixable if not state.rejected(d, text)]
        if not todo and state.forgive(text):
            todo = fixable
        if not todo:
            break
        fixes = [d.fix or () for d in todo]
        new, chosen = _apply_groups(text, fixes, newline)
        after = None if _breaks(text, new) else lint(new)
        edits = [e for i in chosen for e in fixes[i]]
        errors = [] if after is None else _new_errors(diagnostics, text, after, new, edits, newline)
        if after is None or errors:
            dropped = len(state.dropped)
            round_ = (text, diagnostics, todo, chosen, errors, newline, lint)
            new, chosen, after = state.settle(*round_)
            if not chosen and len(state.dropped) > dropped:
                continue  # the fixes left out of this round may still apply
        if not chosen or new in seen:
            break
        seen.add(new)
        text = new
        applied += len(chosen)
        diagnostics = after
    return text, applied, diagnostics, state.warnings(applicable(diagnostics, unsafe), text)


def added(
    before: Sequence[Diagnostic],
    before_text: str,
    after: Sequence[Diagnostic],
    after_text: str,
    edits: Sequence[Edit] = (),
    newline: str = "\n",
) -> list[Diagnostic]:
    """The findings of ``after`` (the lint of ``before_text`` once ``edits`` are applied) that
    ``before`` did not have. A finding is the same as one before it of the same code that
    covered the same text (lines moved) or the same range with the edits accounted for (an
    edit inside it, as a fix inside a long sentence)."""
    move = _mover(edits, newline)
    by_text: dict[tuple[str, str], list[int]] = {}
    by_range: dict[tuple[str, int, int], list[int]] = {}
    for i, d in enumerate(before):
        by_text.setdefault((d.code, _covered(d, before_text)), []).append(i)
        by_range.setdefault((d.code, move(d.start, False), move(d.end, True)), []).append(i)
    used: set[int] = set()

    def take(candidates: list[int] | None) -> bool:
        while candidates:
            i = candidates.pop()
            if i not in used:
                used.add(i)
                return True
        return False

    return [
        d
        for d in after
        if not take(by_range.get((d.code, d.start, d.end)))
        and not take(by_text.get((d.code, _covered(d, after_text))))
    ]


def _new_errors(
    before: Sequence[Diagnostic],
    before_text: str,
    after: Sequence[Diagnostic],
    after_text: str,
    edits: Sequence[Edit],
    newline: str,
) -> list[Diagnostic]:
    found = added(before, before_text, after, after_text, edits, newline)
    return [d for d in found if d.severity == "error"]


def _covered(d: Diagnostic, text: str) -> str:
    return " ".join(text[d.start : d.end].split())


def _mover(edits: Sequence[Edit], newline: str) -> Callable[[int, bool], int]:
    """Maps an offset before ``edits`` to the text after them; an offset inside an edited range
    maps to the start of its replacement, or to its end for the end of a range."""
    moves = []
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        replacement = edit.replacement
        if newline != "\n":
            replacement = replacement.replace("\r\n", "\n").replace("\n", newline)
        moves.append((edit.span.start, edit.span.end, len(replacement)))

    def move(offset: int, end: bool) -> int:
        delta = 0
        for start, stop, size in moves:
            if offset <= start:
                break
            if offset < stop:
                return start + delta + (size if end else 0)
            delta += size - (stop - start)
        return offset + delta

    return move


# A fix's identity across rounds: its code, its replacements and the text around it.
_Identity = tuple[str, str, tuple[str, ...]]


def _identity(d: Diagnostic, text: str) -> _Identity:
    around = text[max(0, d.start - 20) : d.end + 20]
    return (d.code, around, tuple(e.replacement for e in d.fix or ()))


def _note_key(d: Diagnostic, text: str) -> tuple[str, str, tuple[str, ...]]:
    return (d.code, _covered(d, text), tuple(e.replacement for e in d.fix or ()))


@dataclass
class _Rejections:
    """The fixes dropped so far, each with the text it was dropped from, and why."""

    dropped: dict[_Identity, str] = field(default_factory=dict)
    notes: dict[tuple[str, str, tuple[str, ...]], str] = field(default_factory=dict)

    def warnings(self, left: list[Diagnostic], text: str) -> list[str]:
        """The notes about the dropped fixes that ``left`` (the fixes not applied) still has."""
        keys = {_note_key(d, text) for d in left}
        return [note for key, note in self.notes.items() if key in keys]

    def rejected(self, d: Diagnostic, text: str) -> bool:
        return _identity(d, text) in self.dropped

    def forgive(self, text: str) -> bool:
        """Forget the fixes dropped from another text than ``text``; whether there were any."""
        stale = [identity for identity, where in self.dropped.items() if where != text]
        for identity in stale:
            del self.dropped[identity]
        return bool(stale)

    def reject(self, d: Diagnostic, text: str, why: str) -> None:
        self.dropped[_identity(d, text)] = text
        self.notes[_note_key(d, text)] = (
            f"{d.path}:{d.line}:{d.column}: not applying the fix for {d.code} ({d.rule}): {why}"
        )

    def settle(
        self,
        text: str,
        diagnostics: list[Diagnostic],
        todo: list[Diagnostic],
        chosen: list[int],
        errors: list[Diagnostic],
        newline: str,
        lint: Lint,
    ) -> tuple[str, list[int], list[Diagnostic]]:
        """What can be kept of a round that broke the front matter or added ``errors``.

        Usually a new error sits where a fix edited (a quote turned the wrong way, a bracket
        left out of a link): the fixes that touch each new error are dropped, once the round
        without them is shown to add none. Otherwise the round is sifted."""
        fixes = [todo[i].fix or () for i in chosen]
        blamed = _blame(errors, fixes, newline)
        if blamed:
            rest = [i for n, i in enumerate(chosen) if n not in blamed]
            outcome = _try((text, diagnostics), [todo[i].fix or () for i in rest], newline, lint)
            if not isinstance(outcome, str):
                for n, error in blamed.items():
                    self.reject(todo[chosen[n]], text, _adds(error))
                return outcome[0], rest, outcome[1]
        return self.sift(text, diagnostics, todo, chosen, newline, lint)

    def sift(
        self,
        text: str,
        diagnostics: list[Diagnostic],
        todo: list[Diagnostic],
        chosen: list[int],
        newline: str,
        lint: Lint,
    ) -> tuple[str, list[int], list[Diagnostic]]:
        """The round again in parts: the fixes of a part after which the front matter parses
        and no new error shows are kept together, a part that fails is split in two, down to
        the fixes to drop (a few lints for a bad fix among many, not one lint a fix). Later
        parts go first, so that the offsets of earlier fixes stay valid."""
        kept: list[int] = []
        state = (text, diagnostics)

        def attempt(part: list[int], failed: bool) -> None:
            nonlocal state
            if not failed:
                outcome = _try(state, [todo[i].fix or () for i in part], newline, lint)
                if not isinstance(outcome, str):
                    state = outcome
                    kept.extend(part)
                    return
                if len(part) == 1:
                    self.reject(todo[part[0]], state[0], outcome)
                    return
            middle = len(part) // 2
            attempt(part[middle:], False)
            attempt(part[:middle], False)

        order = sorted(chosen, key=lambda i: min(e.span.start for e in todo[i].fix or ()))
        attempt(order, failed=len(order) > 1)  # the whole round has failed already
        return state[0], kept, state[1]


def _blame(
    errors: list[Diagnostic], fixes: list[tuple[Edit, ...]], newline: str
) -> dict[int, Diagnostic]:
    """For each new error, the fixes whose edits overlap it, else those that touch it (by index
    in ``fixes``, with the error); empty when some error touches no edit."""
    move = _mover([e for fix in fixes for e in fix], newline)
    ranges = [[(move(e.span.start, False), move(e.span.end, True)) for e in fix] for fix in fixes]
    blamed: dict[int, Diagnostic] = {}
    for error in errors:
        inside = [
            n
            for n, edits in enumerate(ranges)
            if any(start < error.end and error.start < end for start, end in edits)
        ]
        touching = inside or [
            n
            for n, edits in enumerate(ranges)
            if any(start <= error.end and error.start <= end for start, end in edits)
        ]
        if not touching:
            return {}
        for n in touching:
            blamed.setdefault(n, error)
    return blamed


def _adds(error: Diagnostic) -> str:
    return f"it would add an error ({error.code} {error.rule})."


def _try(
    state: tuple[str, list[Diagnostic]],
    fixes: list[tuple[Edit, ...]],
    newline: str,
    lint: Lint,
) -> tuple[str, list[Diagnostic]] | str:
    """The text and its diagnostics once ``fixes`` are applied, or why they must not be."""
    text, diagnostics = state
    candidate, _ = _apply_groups(text, fixes, newline)
    if _breaks(text, candidate):
        return "the front matter would no longer parse."
    found = lint(candidate)
    edits = [e for fix in fixes for e in fix]
    new = _new_errors(diagnostics, text, found, candidate, edits, newline)
    return _adds(new[0]) if new else (candidate, found)


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


class NotWritten(Exception):
    """Why a fixed file was left as it is."""


def write_atomic(path: Path, text: str, original_bytes: bytes) -> bool:
    """Write ``text`` as UTF-8 through a temporary file in the same folder and ``os.replace``,
    keeping the permissions. Returns False (and leaves the file untouched) when nothing changes.
    ``text`` carries its own BOM and line endings (the decoded file, as edited).

    Raises ``NotWritten`` for a read-only file (``os.replace`` would replace it all the same),
    and for a file whose bytes are no longer ``original_bytes`` just before it would be
    replaced: an edit saved since it was read is never overwritten."""
    data = text.encode("utf-8")
    if data == original_bytes:
        return False
    target = Path(os.path.realpath(path))  # write through a symbolic link, not over it
    mode = stat.S_IMODE(os.stat(target).st_mode)
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise NotWritten("the file is read-only")
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if _changed(target, original_bytes):
            raise NotWritten("it changed while it was being fixed (saved by an editor?)")
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return True


def _changed(path: Path, original: bytes) -> bool:
    """Whether ``path`` no longer holds ``original`` (the size first, then the bytes)."""
    try:
        if os.stat(path).st_size != len(original):
            return True
        return path.read_bytes() != original
    except OSError:
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


def post_lint(
    linter: Linter,
    path: Path,
    site: Site | None = None,
    seen: dict[str, FileResult] | None = None,
    first: list[Diagnostic] | None = None,
) -> Lint:
    """Lint ``path``'s text as it is being fixed: its own checks and, given the site index of
    the run, the site-wide ones with this post's new facts in place (suppressions applied).

    ``seen`` keeps each linted text's result (the fixed text's facts update the index). With
    ``first``, the site-wide findings judged beforehand on the whole index, the first text
    linted gets those (when the index holds that very text's summary and facts) and later texts
    their own findings only: ``--fix`` judges the whole site once per pass instead of once per
    post and step."""
    from postlint.engine import display_path

    shown = display_path(path)
    premade = [first]

    def lint(text: str) -> list[Diagnostic]:
        result = linter.lint_text_source(text, shown, path)
        if seen is not None:
            seen[text] = result
        diagnostics = list(result.diagnostics)
        known, premade[0] = premade[0], None
        judge = site is not None and (known is not None or first is None)  # later texts: no
        if site is not None and known is not None and _indexed(site, shown, result):
            diagnostics.extend(known)
        elif judge and site is not None and result.summary is not None:
            diagnostics.extend(_site_findings(linter, site, shown, result, result.summary))
        return linter.filter(diagnostics, {shown: result})

    return lint


def _indexed(site: Site, shown: str, result: FileResult) -> bool:
    """Whether the index holds the post as ``result`` has it (then its site-wide findings are
    those the index gives it)."""
    if site.posts.get(shown) != result.summary:
        return False
    return all(
        site.facts.get(rule, {}).get(shown) == result.facts.get(rule)
        for rule in {*site.facts, *result.facts}
    )


def _site_findings(
    linter: Linter, site: Site, shown: str, result: FileResult, summary: PostSummary
) -> list[Diagnostic]:
    """The site-wide findings on one post, with its summary and facts as ``result`` has them."""
    current = site.with_post(shown, summary, result.facts, site.reported)
    return [d for d in linter.site_phase(current, []) if d.path == shown]


def _keeping(lint: Lint, only: Only) -> Lint:
    def kept(text: str) -> list[Diagnostic]:
        found = lint(text)
        return only(found[0].path, text, found) if found else found

    return kept


MAX_PASSES = 4  # passes over the site: a fix in one post can change what another is judged by


def apply_fixes(
    files: Sequence[Path],
    linter: Linter,
    unsafe: bool = False,
    write: bool = True,
    max_rounds: int = 10,
    site: Site | None = None,
    only: Only | None = None,
) -> list[FixResult]:
    """Fix every file (``write=False`` for ``--fix --dry-run``): the command line's ``--fix`` is
    this call, then a report of ``remaining_diagnostics``. Files that are not readable posts are
    skipped. ``only(path, text, diagnostics)`` keeps the findings to fix (those on changed lines,
    not in the baseline), so that ``--fix`` fixes what the run reports.

    Given the run's site index, fixing goes in passes, each linear in the size of the site: the
    site phase judges the whole site once; each post is fixed with its own findings and those
    site-wide ones; the fixed posts' summaries and facts replace their old ones in the index and
    the site phase judges it again. A post whose fixes gave it a site-wide error goes back to its
    text before the pass and is fixed again judged against the whole site at every step (the
    slow, careful way); a post the site phase still gives a fix to (a word that another post's
    fix made rare) gets another pass, until nothing is left to fix (at most ``MAX_PASSES``)."""
    gc.freeze()  # the site index lives through the fixing: no collection rescans it
    try:
        fixer = _Fixer(linter, _working_copy(site), unsafe, max_rounds, only)
        todo = list(files)
        for _ in range(MAX_PASSES):
            todo = fixer.run_pass(todo)
            if not todo:
                break
        fixer.finish()
    finally:
        gc.unfreeze()  # a long-lived caller (an editor's server) still collects its cycles
    out = [fixer.results[path] for path in files if path in fixer.results]
    if write:
        for result in out:
            write_result(result)
    return out


class _Fixer:
    """The state of ``apply_fixes`` between passes."""

    def __init__(
        self, linter: Linter, site: Site | None, unsafe: bool, max_rounds: int, only: Only | None
    ) -> None:
        self.linter = linter
        self.site = site
        self.unsafe = unsafe
        self.max_rounds = max_rounds
        self.only = only
        self.results: dict[Path, FixResult] = {}
        self.linted: dict[Path, FileResult] = {}  # each post's fixed text, as linted
        self.careful: set[Path] = set()
        self.judged = self._judge()

    def _judge(self) -> dict[str, list[Diagnostic]]:
        """The site phase over the index as fixed so far, by file: one run for every post."""
        by_path: dict[str, list[Diagnostic]] = {}
        if self.site is not None:
            for diagnostic in self.linter.site_phase(self.site, []):
                by_path.setdefault(diagnostic.path, []).append(diagnostic)
        return by_path

    def run_pass(self, todo: list[Path]) -> list[Path]:
        """Fix ``todo`` once; the posts left to fix (again) afterwards."""
        from postlint.engine import display_path

        linter = self.linter
        changed: dict[Path, tuple[FixResult | None, str, FileResult]] = {}
        refreshed = False
        for path in todo:
            shown = display_path(path)
            seen: dict[str, FileResult] = {}
            if self.site is None or path in self.careful:
                lint = post_lint(linter, path, self.site, seen)
            else:
                lint = post_lint(linter, path, self.site, seen, self.judged.get(shown, []))
            if self.only is not None:
                lint = _keeping(lint, self.only)
            before = self.results.get(path)
            try:
                if before is not None:
                    result = _fix_again(before, lint, self.unsafe, self.max_rounds)
                else:
                    result = fix_file(path, lint, self.unsafe, self.max_rounds)
            except OSError:
                continue
            start = before.fixed if before is not None else result.original
            self.results[path] = result
            fixed = seen.get(result.fixed)
            if fixed is None:
                continue
            self.linted[path] = fixed
            if self.site is None:
                continue
            if result.fixed != start and start in seen:
                changed[path] = (before, start, seen[start])
                _update(self.site, shown, fixed)
            elif not _indexed(self.site, shown, fixed):  # the index was older than the file
                refreshed = True
                _update(self.site, shown, fixed)
        if self.site is None or not (changed or refreshed):
            return []
        before_judged, self.judged = self.judged, self._judge()
        back = self._undo_site_errors(changed, before_judged)
        if back:
            self.judged = self._judge()
        return back + [p for p in self._left_to_fix() if p not in back]

    def _undo_site_errors(
        self,
        changed: dict[Path, tuple[FixResult | None, str, FileResult]],
        before_judged: dict[str, list[Diagnostic]],
    ) -> list[Path]:
        """Put back the posts whose fixes in this pass gave them a site-wide error."""
        from postlint.engine import display_path

        assert self.site is not None
        back = []
        for path, (before, start, start_lint) in changed.items():
            if path in self.careful:
                continue
            shown = display_path(path)
            was = self.linter.filter(before_judged.get(shown, []), {shown: start_lint})
            now = self.linter.filter(self.judged.get(shown, []), {shown: self.linted[path]})
            fixed = self.results[path].fixed
            if not any(d.severity == "error" for d in added(was, start, now, fixed)):
                continue
            if before is None:
                del self.results[path]
            else:
                self.results[path] = before
            self.linted[path] = start_lint
            _update(self.site, shown, start_lint)
            self.careful.add(path)
            back.append(path)
        return back

    def _left_to_fix(self) -> list[Path]:
        """The posts to which the site phase, judging the whole site as fixed so far, gives a
        fix (their own fixes were all tried in the pass)."""
        from postlint.engine import display_path

        todo = []
        for path in self.results:
            site_wide = {id(d) for d in self.judged.get(display_path(path), ())}
            found = [d for d in self._found(path) if id(d) in site_wide]
            if applicable(found, self.unsafe):
                todo.append(path)
        return todo

    def _found(self, path: Path) -> list[Diagnostic]:
        """A fixed post's findings with the site-wide ones of the site as fixed so far."""
        from postlint.engine import display_path

        shown = display_path(path)
        post = self.linted.get(path)
        if post is None:
            return []
        found = self.linter.filter(post.diagnostics + self.judged.get(shown, []), {shown: post})
        if self.only is not None and found:
            found = self.only(shown, self.results[path].fixed, found)
        return found

    def finish(self) -> None:
        """Each post's remaining findings, judged with the whole site as fixed."""
        if self.site is None:
            return
        for path, result in self.results.items():
            if path in self.linted:
                result.remaining_diagnostics = sorted(self._found(path), key=lambda d: d.sort_key())


def _fix_again(before: FixResult, lint: Lint, unsafe: bool, max_rounds: int) -> FixResult:
    """Another pass over a post fixed before: it goes on from its fixed text."""
    fixed, applied, remaining, warnings = fix_text(before.fixed, lint, unsafe, max_rounds)
    new = [w for w in warnings if w not in before.dropped_warnings]
    return replace(
        before,
        fixed=fixed,
        applied=before.applied + applied,
        remaining_diagnostics=remaining,
        dropped_warnings=before.dropped_warnings + new,
    )


def _working_copy(site: Site | None) -> Site | None:
    """A copy of the index that the fixed posts update (the run's own stays as judged)."""
    if site is None:
        return None
    facts = {rule: dict(paths) for rule, paths in site.facts.items()}
    return replace(site, posts=dict(site.posts), facts=facts)


def _update(site: Site, shown: str, result: FileResult) -> None:
    """Put a fixed post's summary and facts in the index in place of its old ones."""
    if result.summary is not None:
        site.update_post(shown, result.summary, result.facts)


def write_result(result: FixResult) -> None:
    """Write a fixed file; one that cannot be written keeps its bytes, counts no fix applied,
    and says why in its warnings."""
    if not result.changed:
        return
    try:
        result.written = write_atomic(result.path, result.fixed, result.original_bytes)
    except (NotWritten, OSError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        result.dropped_warnings.append(f"{result.path}: not fixed: {why}; nothing was written.")
        result.applied = 0
