"""A Markdown report for a pull-request comment or ``$GITHUB_STEP_SUMMARY`` (GitHub Flavored).

A title, the number of problems by severity and by rule (each rule linked to its documentation),
then one table per file folded in ``<details>``. Table cells escape Markdown punctuation
(pipes and backticks among it) so that a message renders as the text it is; line breaks become
``<br>``. With no diagnostics the body says "No problems found."
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from postlint.model import Diagnostic, Severity
from postlint.report.sarif import relative_path
from postlint.rule import Rule

TITLE = "## postlint"
ORDER: tuple[Severity, ...] = ("error", "warning", "info")
_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~&])")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def escape(text: str) -> str:
    """``text`` for a table cell: Markdown punctuation backslash-escaped, newlines as <br>."""
    return _NEWLINE.sub("<br>", _PUNCTUATION.sub(r"\\\1", text))


def plural(count: int, noun: str) -> str:
    if noun == "info" or count == 1:
        return f"{count} {noun}"
    return f"{count} {noun}s"


def _code(code: str) -> str:
    return f"`{code}`" if code and "`" not in code else escape(code)


def _rule_cell(code: str, name: str, url: str) -> str:
    label = f"{_code(code)} {escape(name)}".strip()
    if not url:
        return label
    return f"[{label}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"


def render(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> str:
    if not diagnostics:
        return f"{TITLE}\n\nNo problems found.\n"
    keyed = sorted(
        ((relative_path(d.path, root), d) for d in diagnostics),
        key=lambda pair: (pair[0], pair[1].sort_key()),
    )
    known = {rule.code: rule for rule in rules}
    files = len({path for path, _ in keyed})
    severities = Counter(d.severity for _, d in keyed)
    by_rule = Counter(d.code for _, d in keyed)
    names: dict[str, str] = {}
    urls: dict[str, str] = {}
    for _, d in keyed:
        rule = known.get(d.code)
        names.setdefault(d.code, rule.name if rule else d.rule)
        urls.setdefault(d.code, rule.url() if rule else d.url)

    parts = [
        f"{TITLE}: {plural(len(keyed), 'problem')} in {plural(files, 'file')}",
        ", ".join(plural(severities[s], s) for s in ORDER if severities[s]) + ".",
        "\n".join(
            ["| Severity | Problems |", "| --- | ---: |"]
            + [f"| {s} | {severities[s]} |" for s in ORDER]
        ),
        "\n".join(
            ["| Rule | Problems |", "| --- | ---: |"]
            + [
                f"| {_rule_cell(code, names[code], urls[code])} | {by_rule[code]} |"
                for code in sorted(by_rule)
            ]
        ),
    ]
    for path, group in groupby(keyed, key=lambda pair: pair[0]):
        members = [d for _, d in group]
        rows = [
            f"| {d.line}:{d.column} | {_code(d.code)} | {escape(d.rule)} | {d.severity}"
            f" | {escape(d.message)} |"
            for d in members
        ]
        parts.append(
            "\n".join(
                [
                    "<details>",
                    f"<summary><code>{html.escape(path)}</code>: "
                    f"{plural(len(members), 'problem')}</summary>",
                    "",
                    "| Line:Col | Code | Rule | Severity | Message |",
                    "| ---: | --- | --- | --- | --- |",
                    *rows,
                    "",
                    "</details>",
                ]
            )
        )
    return "\n\n".join(parts) + "\n"
