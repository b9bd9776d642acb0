"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line a finding.

The runner turns each line into an annotation on the file and range, shown in the job and on the
pull request's diff. GitHub shows at most 10 annotations of each severity per step (and 50 per
job): errors come first, then warnings, then notices, each in file order, at most ``limit`` of
each (0: no limit); when some are left out, a last notice says how many and where to see them
all. Data is escaped as the runner's parser expects: ``%``, CR and LF everywhere, and also ``:``
and ``,`` in property values; control characters from posts are shown escaped (see
``report.common``), so that none reaches the log viewer. The runner reads ``col`` and
``endColumn`` only when the finding starts and ends on the same line; the properties are written
either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from postlint.model import Diagnostic, Severity
from postlint.report.common import Paths, visible
from postlint.rule import Rule

COMMANDS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}
ORDER: tuple[Severity, ...] = ("error", "warning", "info")
LIMIT = 10  # annotations of each severity GitHub shows per step
NOUNS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(diagnostic: Diagnostic, root: Path | None = None, file: str | None = None) -> str:
    """The workflow command of one finding (``file``: its path as shown, when known)."""
    properties = {
        "file": Paths(root).shown(diagnostic.path) if file is None else file,
        "line": str(diagnostic.line),
        "col": str(diagnostic.column),
        "endLine": str(diagnostic.end_line),
        "endColumn": str(diagnostic.end_column),
        "title": f"{diagnostic.code} {diagnostic.rule}".strip(),
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = escape_data(visible(diagnostic.message))
    return f"::{COMMANDS[diagnostic.severity]} {joined}::{message}"


def render(
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[type[Rule]],
    root: Path | None = None,
    limit: int = LIMIT,
) -> str:
    """Errors, warnings, then notices, at most ``limit`` of each; "" when there are none."""
    paths = Paths(root)
    ordered = sorted(diagnostics, key=lambda d: (paths.relative(d.path), d.sort_key()))
    by_severity = {s: [d for d in ordered if d.severity == s] for s in ORDER}
    shown = {s: found[:limit] if limit else found for s, found in by_severity.items()}
    if len(shown["info"]) == limit and sum(map(len, shown.values())) < len(ordered):
        shown["info"] = shown["info"][: limit - 1]  # room for the notice that counts the rest
    lines = [command(d, file=paths.shown(d.path)) for s in ORDER for d in shown[s]]
    left = {s: len(by_severity[s]) - len(shown[s]) for s in ORDER}
    if any(left.values()):
        lines.append(_left_out(left, limit))
    return "".join(line + "\n" for line in lines)


def _left_out(left: dict[Severity, int], limit: int) -> str:
    total = sum(left.values())
    counts = ", ".join(
        f"{count} {NOUNS[s]}{'s' if count != 1 else ''}" for s, count in left.items() if count
    )
    return (
        f"::notice title=postlint::{total} more problem{'s' if total != 1 else ''} ({counts}) "
        f"not annotated: GitHub shows {limit} annotations of each severity per step. See them "
        "all in the job summary or the code scanning alerts (the Markdown and SARIF reports), "
        "or raise the limit with --github-annotations."
    )
