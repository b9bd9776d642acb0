"""Report formats, one module each, all rendered from the same diagnostics.

``text`` is for people, ``json`` the contract for programs, ``sarif`` for code scanning,
``github`` for pull-request annotations, ``gitlab`` for merge-request code quality, ``junit``
for CI dashboards and ``markdown`` for a pull-request comment or job summary. ``common`` holds
what they share: paths and messages shown with control characters escaped, and fast JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from postlint.model import Diagnostic
from postlint.rule import Rule

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")


def render(
    fmt: str,
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[type[Rule]],
    files: int,
    root: Path | None = None,
    colour: bool = False,
    annotations: int = 10,
) -> str:
    """The report in format ``fmt`` (one of FORMATS); ``annotations`` is the most GitHub
    annotations of each severity (0: no limit)."""
    from postlint.report import github, gitlab, json, junit, markdown, sarif, text

    if fmt == "text":
        return text.render(diagnostics, files, colour)
    if fmt == "json":
        return json.render(diagnostics, files)
    if fmt == "sarif":
        return sarif.render(diagnostics, rules, root)
    if fmt == "github":
        return github.render(diagnostics, rules, root, annotations)
    if fmt == "gitlab":
        return gitlab.render(diagnostics, rules, root)
    if fmt == "junit":
        return junit.render(diagnostics, rules, root)
    return markdown.render(diagnostics, rules, root)
