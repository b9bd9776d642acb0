"""The human format: ``path:line:col: CODE message [name]``, grouped by file, with a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from postlint.model import Diagnostic
from postlint.report.common import visible

_COLOURS = {"error": "31", "warning": "33", "info": "36"}


def render(diagnostics: Sequence[Diagnostic], files: int, colour: bool = False) -> str:
    """Paths and messages show control characters escaped: a post cannot drive the terminal."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    lines: list[str] = []
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        if lines:
            lines.append("")
        shown = visible(path)
        for d in group:
            where = paint(f"{shown}:{d.line}:{d.column}:", "1")
            code = paint(d.code, _COLOURS[d.severity] + ";1")
            lines.append(f"{where} {code} {visible(d.message)} {paint(f'[{d.rule}]', '2')}")
    if lines:
        lines.append("")
    lines.append(summary(diagnostics, files))
    return "\n".join(lines) + "\n"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """What was checked and where the findings are: ``files`` counts the Markdown files checked;
    findings about other files (an unused image under ``static/``) are counted apart."""
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not diagnostics:
        return f"All clear: {checked}, no problems found."
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    total = len(diagnostics)
    found = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})"
    posts = [d for d in diagnostics if d.path.lower().endswith(_MARKDOWN)]
    others = {d.path for d in diagnostics} - {d.path for d in posts}
    affected = len({d.path for d in posts})
    if not others:
        return f"{found} in {affected} of {checked}."
    elsewhere = (
        f"{total - len(posts)} in {len(others)} other file{'s' if len(others) != 1 else ''} "
        "(not posts)"
    )
    if not posts:
        return f"{found}, all in files that are not posts ({checked}): {elsewhere}."
    return f"{found}: {len(posts)} in {affected} of {checked}, {elsewhere}."


_MARKDOWN = (".md", ".markdown")
