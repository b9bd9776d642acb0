"""The JSON contract: ``{"version": 1, "diagnostics": [...], "summary": {...}}``.

Other tools build on it: field names and meanings only ever gain, never change. Paths and
messages show control characters and undecodable bytes escaped (see ``report.common``), so the
document is always valid UTF-8; a fix's ``replacement`` is data and stays exact. One diagnostic
takes one line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from postlint.model import Diagnostic, Edit
from postlint.report.common import dumps, visible

VERSION = 1


def edit_data(edit: Edit) -> dict[str, Any]:
    span = edit.span
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "replacement": edit.replacement,
    }


def diagnostic_data(d: Diagnostic, path: str | None = None) -> dict[str, Any]:
    return {
        "path": visible(d.path) if path is None else path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "code": d.code,
        "rule": d.rule,
        "severity": d.severity,
        "message": visible(d.message),
        "fix": None if d.fix is None else [edit_data(e) for e in d.fix],
        "fix_safe": d.fix_safe,
        "url": d.url,
    }


def render(diagnostics: Sequence[Diagnostic], files: int) -> str:
    severities = Counter(d.severity for d in diagnostics)
    shown = {path: visible(path) for path in {d.path for d in diagnostics}}
    document = {
        "version": VERSION,
        "diagnostics": [diagnostic_data(d, shown[d.path]) for d in diagnostics],
        "summary": {
            "files": files,
            "files_with_problems": len({d.path for d in diagnostics}),
            "total": len(diagnostics),
            "error": severities["error"],
            "warning": severities["warning"],
            "info": severities["info"],
            "fixable": sum(1 for d in diagnostics if d.fix),
            "by_rule": dict(sorted(Counter(d.rule for d in diagnostics).items())),
        },
    }
    return dumps(document, flat={"diagnostics"}) + "\n"
