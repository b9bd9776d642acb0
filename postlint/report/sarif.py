"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

One run. The driver lists every known rule (code scanning prefers the full list: it then knows
the rules that ran and found nothing), plus a plain descriptor for any code a diagnostic carries
that no known rule declares, so that every ``ruleIndex`` is valid. A rule's full documentation is
its ``help`` (text and Markdown, which code scanning shows beside an alert); ``fullDescription``
is that text without the example and heading marks, cut to the 1024 characters code scanning
allows there.

Locations are relative POSIX URIs, percent-encoded from the file name's bytes (a name that is not
UTF-8 keeps its bytes: ``bad%FF.md``), against ``uriBaseId`` ``%SRCROOT%``;
``originalUriBaseIds`` gives the root as a ``file:`` URI when ``root`` is known. Columns count
Unicode code points (``columnKind`` says so), 1-based with exclusive ends, as ours do.

Messages show control characters escaped (see ``report.common``). The log is written one result
a line.

``partialFingerprints["postlint/v1"]`` is a SHA-256 of rule code, path and message, followed by
the occurrence number of that triple in the file (``…:1``, ``…:2``). It does not move when lines
are added above a finding, but does change when a message quotes changed text. The source text
itself is not available to a report, so it cannot be hashed. GitHub code scanning itself reads
only ``primaryLocationLineHash``, which ``github/codeql-action/upload-sarif`` computes from the
checked-out files when it is missing; this key is for other consumers and for comparing logs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from postlint.model import Diagnostic, Edit, Severity
from postlint.report.common import Paths, dumps, relative_path, uri_path, visible
from postlint.rule import Rule
from postlint.version import __version__

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/postlint/postlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "postlint/v1"
LEVELS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning: shown by default when high enough, like its own non-security queries.
PROBLEM_SEVERITY: dict[Severity, str] = {
    "error": "error",
    "warning": "warning",
    "info": "recommendation",
}
# GitHub code scanning truncates or rejects longer rule names and descriptions.
NAME_LIMIT = 255
DESCRIPTION_LIMIT = 1024
EXAMPLE_HEADING = "## Example"


__all__ = ["artifact_location", "build", "fingerprint", "relative_path", "render"]


def artifact_location(path: str, root: Path | None) -> dict[str, Any]:
    """A relative, percent-encoded URI against %SRCROOT%, or an absolute ``file:`` URI."""
    posix = relative_path(path, root)
    if PurePath(posix).is_absolute():
        return {"uri": Path(posix).as_uri()}
    return {"uri": uri_path(posix), "uriBaseId": SRCROOT}


def fingerprint(diagnostic: Diagnostic, path: str, occurrence: int) -> str:
    """Of the code, the shown path and the shown message (both free of undecodable bytes)."""
    data = "\0".join((diagnostic.code, path, visible(diagnostic.message))).encode("utf-8")
    return f"{hashlib.sha256(data).hexdigest()[:32]}:{occurrence}"


def _limit(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _description(docs: str) -> str:
    """The documentation as plain text without its example: headings lose their ``#`` marks."""
    docs = docs.split(EXAMPLE_HEADING, 1)[0]
    lines = [
        line.lstrip("#").strip() if line.startswith("#") else line for line in docs.splitlines()
    ]
    return "\n".join(lines).strip()


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    summary = rule.summary or rule.name or rule.code
    docs = rule.docs() or summary
    return {
        "id": rule.code,
        "name": _limit(rule.name or rule.code, NAME_LIMIT),
        "shortDescription": {"text": _limit(summary, DESCRIPTION_LIMIT)},
        "fullDescription": {"text": _limit(_description(docs) or summary, DESCRIPTION_LIMIT)},
        "help": {"text": docs, "markdown": docs},
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"problem.severity": PROBLEM_SEVERITY[rule.severity]},
    }


def _unknown_descriptor(diagnostic: Diagnostic) -> dict[str, Any]:
    text = f"{diagnostic.code} {diagnostic.rule}".strip()
    descriptor: dict[str, Any] = {
        "id": diagnostic.code,
        "name": _limit(diagnostic.rule or diagnostic.code, NAME_LIMIT),
        "shortDescription": {"text": _limit(text, DESCRIPTION_LIMIT)},
        "fullDescription": {"text": _limit(text, DESCRIPTION_LIMIT)},
        "help": {"text": text},
        "defaultConfiguration": {"level": LEVELS[diagnostic.severity]},
        "properties": {"problem.severity": PROBLEM_SEVERITY[diagnostic.severity]},
    }
    if diagnostic.url:
        descriptor["helpUri"] = diagnostic.url
    return descriptor


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    """A text region; SARIF numbers start at 1, so a 0 (no position known) becomes 1."""
    line, column = max(line, 1), max(column, 1)
    end_line = max(end_line, line)
    end_column = max(end_column, 1) if end_line > line else max(end_column, column)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _replacement(edit: Edit) -> dict[str, Any]:
    span = edit.span
    return {
        "deletedRegion": _region(span.line, span.column, span.end_line, span.end_column),
        "insertedContent": {"text": edit.replacement},
    }


def _fix(diagnostic: Diagnostic, location: dict[str, Any]) -> dict[str, Any]:
    assert diagnostic.fix is not None
    safe = diagnostic.fix_safe is not False
    what = "Fix" if safe else "Unsafe fix (changes the wording)"
    return {
        "description": {"text": f"{what}: {diagnostic.code} {diagnostic.rule}"},
        "artifactChanges": [
            {
                "artifactLocation": dict(location),
                "replacements": [_replacement(edit) for edit in diagnostic.fix],
            }
        ],
        "properties": {"safe": safe},
    }


def build(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    paths = Paths(root)
    ordered = sorted(diagnostics, key=lambda d: (paths.relative(d.path), d.sort_key()))
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in sorted(rules, key=lambda r: r.code):
        if rule.code not in index:
            index[rule.code] = len(descriptors)
            descriptors.append(_descriptor(rule))
    for diagnostic in ordered:
        if diagnostic.code not in index:
            index[diagnostic.code] = len(descriptors)
            descriptors.append(_unknown_descriptor(diagnostic))
        elif diagnostic.url:  # the page the configuration's docs-url gives
            descriptors[index[diagnostic.code]]["helpUri"] = diagnostic.url

    occurrences: dict[tuple[str, str, str], int] = {}
    locations: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for diagnostic in ordered:
        location = locations.get(diagnostic.path)
        if location is None:
            location = locations[diagnostic.path] = artifact_location(diagnostic.path, root)
        path = paths.shown(diagnostic.path)
        triple = (diagnostic.code, path, diagnostic.message)
        occurrences[triple] = occurrences.get(triple, 0) + 1
        result: dict[str, Any] = {
            "ruleId": diagnostic.code,
            "ruleIndex": index[diagnostic.code],
            "level": LEVELS[diagnostic.severity],
            "message": {"text": visible(diagnostic.message)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": _region(
                            diagnostic.line,
                            diagnostic.column,
                            diagnostic.end_line,
                            diagnostic.end_column,
                        ),
                    }
                }
            ],
            "partialFingerprints": {
                FINGERPRINT_KEY: fingerprint(diagnostic, path, occurrences[triple])
            },
        }
        if diagnostic.fix:
            result["fixes"] = [_fix(diagnostic, location)]
        results.append(result)

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "postlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {SRCROOT: _srcroot(root)},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _srcroot(root: Path | None) -> dict[str, Any]:
    if root is None:
        return {"description": {"text": "The directory the reported paths are relative to."}}
    uri = root.absolute().as_uri()
    return {"uri": uri if uri.endswith("/") else uri + "/"}


def render(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> str:
    return dumps(build(diagnostics, rules, root), flat={"results"}) + "\n"
