"""A Markdown report for a pull-request comment or ``$GITHUB_STEP_SUMMARY`` (GitHub Flavored).

A title, the number of problems by severity and by rule (each rule linked to its documentation),
then one table per file folded in ``<details>``, as many rows as fit in a GitHub comment
(65,536 characters); a closing line counts the problems left out. In a message, `code spans`
stay code; the rest escapes Markdown punctuation so that it renders as the text it is, and
mentions and issue references (``@someone``, ``#123``, ``GH-123``) get a zero-width space, so
that a post quoted in a finding pings nobody and links no issue. Control characters show
escaped (see ``report.common``). With no diagnostics the body says "No problems found."
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from postlint.model import Diagnostic, Severity
from postlint.report.common import Paths, visible
from postlint.rule import Rule

TITLE = "## postlint"
MAX_CHARS = 65_536  # GitHub's limit for a comment body (a job summary may hold 1 MiB)
NOTE_RESERVE = 200  # room kept for the line that counts the problems left out
ORDER: tuple[Severity, ...] = ("error", "warning", "info")
_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~&])")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_MENTION = re.compile(r"(?<!\w)@(?=\w)")
_REFERENCE = re.compile(r"(#|\b[Gg][Hh]-)(?=\d)")
ZERO_WIDTH_SPACE = "&#8203;"


def escape(text: str) -> str:
    """``text`` for a table cell, as plain text: Markdown punctuation backslash-escaped,
    mentions and issue references made inert, control characters escaped."""
    text = _PUNCTUATION.sub(r"\\\1", visible(text))
    if "#" in text or "-" in text:
        text = _REFERENCE.sub(rf"\1{ZERO_WIDTH_SPACE}", text)
    if "@" in text:
        text = _MENTION.sub("@" + ZERO_WIDTH_SPACE, text)
    return text


def message(text: str) -> str:
    """A message for a table cell: its `code spans` stay code, the rest is ``escape``d."""
    text = visible(text)
    if "`" not in text:
        return escape(text)
    parts = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(escape(text[position : span.start()]))
        code = span.group(1).replace("|", "\\|")  # a pipe would end the cell
        parts.append(f"`{code}`")
        position = span.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


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
    paths = Paths(root)
    keyed = sorted(
        ((paths.relative(d.path), d) for d in diagnostics),
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
        urls.setdefault(d.code, d.url or (rule.url() if rule else ""))

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
    by_file = [[d for _, d in group] for _, group in groupby(keyed, key=lambda pair: pair[0])]
    return _fit(parts, [(paths.shown(found[0].path), found) for found in by_file])


def _row(d: Diagnostic) -> str:
    return (
        f"| {d.line}:{d.column} | {_code(d.code)} | {escape(d.rule)} | {d.severity}"
        f" | {message(d.message)} |"
    )


def _head(path: str, count: str) -> str:
    return "\n".join(
        [
            "<details>",
            f"<summary><code>{html.escape(path)}</code>: {count}</summary>",
            "",
            "| Line:Col | Code | Rule | Severity | Message |",
            "| ---: | --- | --- | --- | --- |",
        ]
    )


def _fit(parts: list[str], files: list[tuple[str, list[Diagnostic]]]) -> str:
    """Add a folded table per file, as many rows as a GitHub comment can hold (rows that
    cannot fit are never made)."""
    size = len("\n\n".join(parts)) + 1  # the closing newline
    left_out: dict[str, int] = {}
    for path, found in files:
        if left_out:
            left_out[path] = len(found)
            continue
        head = _head(path, plural(len(found), "problem"))
        tail = "\n\n</details>"
        budget = MAX_CHARS - NOTE_RESERVE - size - 2
        used = len(head) + len(tail)
        rows: list[str] = []
        for d in found:
            row = _row(d)
            if used + 1 + len(row) > budget:
                break
            used += 1 + len(row)
            rows.append(row)
        kept = len(rows)
        if kept:
            if kept < len(found):  # a few characters more, within NOTE_RESERVE
                count = f"{plural(len(found), 'problem')}, the first {kept} shown"
                used += len(_head(path, count)) - len(head)
                head = _head(path, count)
            parts.append("\n".join([head, *rows]) + tail)
            size += 2 + used
        if kept < len(found):
            left_out[path] = len(found) - kept
    if left_out:
        problems = sum(left_out.values())
        parts.append(
            f"_{plural(problems, 'more problem')} in {plural(len(left_out), 'file')} not shown:"
            f" a GitHub comment holds at most {MAX_CHARS:,} characters._"
        )
    return "\n\n".join(parts) + "\n"
