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
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not diagnostics:
        return f"All clear: {checked}, no problems found."
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    affected = len({d.path for d in diagnostics})
    total = len(diagnostics)
    return (
        f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
        f"in {affected} of {checked}."
    )
