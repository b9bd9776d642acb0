"""GitLab code quality: the Code Climate JSON subset that merge requests show inline.

GitLab reads ``description``, ``check_name``, ``fingerprint`` (unique per finding, stable across
runs), ``severity`` (info, minor, major, critical, blocker) and ``location.path`` with
``location.lines.begin``. Paths are relative to the repository root, as GitLab expects; paths
and descriptions show control characters and undecodable bytes escaped (see ``report.common``).
One issue takes one line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from postlint.model import Diagnostic, Severity
from postlint.report.common import Paths, dumps, visible
from postlint.report.sarif import fingerprint
from postlint.rule import Rule

SEVERITY: dict[Severity, str] = {"error": "major", "warning": "minor", "info": "info"}


def render(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> str:
    paths = Paths(root)
    occurrences: Counter[tuple[str, str, str]] = Counter()
    issues: list[dict[str, Any]] = []
    for d in sorted(diagnostics, key=lambda d: (paths.relative(d.path), d.sort_key())):
        path = paths.shown(d.path)
        occurrences[(d.code, path, d.message)] += 1
        issues.append(
            {
                "type": "issue",
                "description": visible(d.message),
                "check_name": f"{d.code} {d.rule}",
                "categories": ["Style"],
                "fingerprint": fingerprint(d, path, occurrences[(d.code, path, d.message)]),
                "severity": SEVERITY[d.severity],
                "location": {
                    "path": path,
                    "lines": {"begin": d.line, "end": d.end_line},
                },
            }
        )
    return dumps(issues, flat={None}) + "\n"
