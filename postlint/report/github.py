"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line a finding.

The runner turns each line into an annotation on the file and range, shown in the job and on the
pull request's diff. Data is escaped as the runner's parser expects: ``%``, CR and LF everywhere,
and also ``:`` and ``,`` in property values. The runner reads ``col`` and ``endColumn`` only when
the finding starts and ends on the same line; the properties are written either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from postlint.model import Diagnostic, Severity
from postlint.report.sarif import relative_path
from postlint.rule import Rule

COMMANDS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(diagnostic: Diagnostic, root: Path | None = None) -> str:
    properties = {
        "file": relative_path(diagnostic.path, root),
        "line": str(diagnostic.line),
        "col": str(diagnostic.column),
        "endLine": str(diagnostic.end_line),
        "endColumn": str(diagnostic.end_column),
        "title": f"{diagnostic.code} {diagnostic.rule}".strip(),
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[diagnostic.severity]} {joined}::{escape_data(diagnostic.message)}"


def render(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> str:
    """One line per finding, in file order; the empty string when there are none."""
    ordered = sorted(diagnostics, key=lambda d: (relative_path(d.path, root), d.sort_key()))
    return "".join(command(d, root) + "\n" for d in ordered)
