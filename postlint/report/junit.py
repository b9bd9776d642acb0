"""JUnit XML, as CI systems (GitLab, Jenkins, Azure Pipelines, test reporters) read it.

``<testsuites>`` holds one ``<testsuite>`` per file with findings, named after the file; each
finding is a failing ``<testcase>`` named ``CODE rule line:col`` with ``classname`` the file, whose
``<failure>`` carries the message, the severity as ``type`` and a short text body. Files with no
findings are not known to a report, so they do not appear. Paths and messages show control
characters and undecodable bytes escaped (see ``report.common``); the two characters XML 1.0
cannot hold that are left, U+FFFE and U+FFFF, are replaced with U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from postlint.model import Diagnostic
from postlint.report.common import Paths, visible
from postlint.rule import Rule

_NOT_XML = re.compile("[\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` as XML 1.0 can hold it: controls escaped, U+FFFE and U+FFFF replaced."""
    return _NOT_XML.sub("\ufffd", visible(text))


def _testcase(suite: ET.Element, diagnostic: Diagnostic, path: str) -> None:
    """A failing test case; ``path`` is already clean."""
    position = f"{diagnostic.line}:{diagnostic.column}"
    case = ET.SubElement(
        suite,
        "testcase",
        name=clean(f"{diagnostic.code} {diagnostic.rule} {position}"),
        classname=path,
    )
    message = clean(diagnostic.message)
    failure = ET.SubElement(case, "failure", message=message, type=diagnostic.severity)
    body = f"{path}:{position}: {diagnostic.code} [{diagnostic.severity}] {message}"
    if diagnostic.url:
        body += f"\nSee {clean(diagnostic.url)}"
    failure.text = body


def render(
    diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]], root: Path | None = None
) -> str:
    paths = Paths(root)
    keyed = sorted(
        ((paths.relative(d.path), d) for d in diagnostics),
        key=lambda pair: (pair[0], pair[1].sort_key()),
    )
    total = str(len(keyed))
    suites = ET.Element("testsuites", name="postlint", tests=total, failures=total, errors="0")
    for _, group in groupby(keyed, key=lambda pair: pair[0]):
        members = [d for _, d in group]
        count = str(len(members))
        path = _NOT_XML.sub("\ufffd", paths.shown(members[0].path))
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=path,
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
