"""JUnit XML, as CI systems (GitLab, Jenkins, Azure Pipelines, test reporters) read it.

``<testsuites>`` holds one ``<testsuite>`` per file with findings, named after the file; each
finding is a failing ``<testcase>`` named ``CODE rule line:col`` with ``classname`` the file, whose
``<failure>`` carries the message, the severity as ``type`` and a short text body. Files with no
findings are not known to a report, so they do not appear. Characters XML 1.0 cannot hold
(control characters other than tab, LF and CR) are replaced with U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from postlint.model import Diagnostic
from postlint.report.sarif import relative_path
from postlint.rule import Rule

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot contain."""
    return _NOT_XML.sub("\ufffd", text)


def _testcase(suite: ET.Element, diagnostic: Diagnostic, path: str) -> None:
    position = f"{diagnostic.line}:{diagnostic.column}"
    case = ET.SubElement(
        suite,
        "testcase",
        name=clean(f"{diagnostic.code} {diagnostic.rule} {position}"),
        classname=clean(path),
    )
    failure = ET.SubElement(
        case, "failure", message=clean(diagnostic.message), type=diagnostic.severity
    )
    body = f"{path}:{position}: {diagnostic.code} [{diagnostic.severity}] {diagnostic.message}"
    if diagnostic.url:
        body += f"\nSee {diagnostic.url}"
    failure.text = clean(body)


def render(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> str:
    keyed = sorted(
        ((relative_path(d.path, root), d) for d in diagnostics),
        key=lambda pair: (pair[0], pair[1].sort_key()),
    )
    total = str(len(keyed))
    suites = ET.Element("testsuites", name="postlint", tests=total, failures=total, errors="0")
    for path, group in groupby(keyed, key=lambda pair: pair[0]):
        members = [d for _, d in group]
        count = str(len(members))
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=clean(path),
            tests=count,
            failures=count,
            errors="0",
            skipped="0",
        )
        for diagnostic in members:
            _testcase(suite, diagnostic, path)
    ET.indent(suites)
    xml = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
