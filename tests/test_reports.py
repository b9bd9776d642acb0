"""The CI report formats: exact output for github and markdown, structure for JUnit, schema for
SARIF, and agreement of counts and positions across all four."""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote

import jsonschema
import pytest
from jsonschema.validators import validator_for

import postlint
from postlint import baseline, report
from postlint.model import Diagnostic, Edit, Severity, Span
from postlint.report import github, junit, markdown, sarif
from postlint.rule import Rule
from tests.conftest import postlint_command, run_cli, write_site

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
ROOT = Path("/srv/blog")


class BrokenLink(Rule):
    """
    ## What it does
    Flags internal links whose target does not exist.

    ## Why is this bad?
    Readers land on a 404 page.

    ## Example
    Bad: `[about](/abuot/)`. Good: `[about](/about/)`.
    """

    code: ClassVar[str] = "LNK001"
    name: ClassVar[str] = "broken-link"
    summary: ClassVar[str] = "Internal links resolve"
    severity: ClassVar[Severity] = "error"


class Spelling(Rule):
    """Flags misspelled words."""

    code: ClassVar[str] = "SPL001"
    name: ClassVar[str] = "spelling"
    summary: ClassVar[str] = "Words are spelled correctly"
    severity: ClassVar[Severity] = "warning"
    fixable: ClassVar[bool] = True


class LongSentence(Rule):
    """Flags sentences that are hard to read."""

    code: ClassVar[str] = "RDB001"
    name: ClassVar[str] = "long-sentence"
    summary: ClassVar[str] = "Sentences stay short"
    severity: ClassVar[Severity] = "info"


class MissingTags(Rule):
    # no docstring: the summary stands in for the documentation
    code: ClassVar[str] = "TAG001"
    name: ClassVar[str] = "missing-tags"
    summary: ClassVar[str] = "Every post has tags"
    severity: ClassVar[Severity] = "warning"


RULES: list[type[Rule]] = [BrokenLink, Spelling, LongSentence, MissingTags]
SPACED = "content/posts/my first post.md"
CAFE = "content/posts/café.md"


def diagnostic(
    path: str,
    rule: type[Rule],
    position: tuple[int, int, int, int],
    message: str,
    **extra: Any,
) -> Diagnostic:
    line, column, end_line, end_column = position
    return Diagnostic(
        path=path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        code=rule.code,
        rule=rule.name,
        severity=rule.severity,
        message=message,
        url=rule.url(),
        **extra,
    )


SPELLING_FIX = (Edit(Span(118, 125, 9, 14, 9, 21), "receive"),)

# Deliberately out of order: every format sorts by path, then position.
DIAGNOSTICS: list[Diagnostic] = [
    diagnostic(
        SPACED,
        Spelling,
        (9, 14, 9, 21),
        "Misspelled word “recieve”: did you mean “receive”?",
        fix=SPELLING_FIX,
        fix_safe=True,
    ),
    diagnostic(
        SPACED,
        BrokenLink,
        (3, 5, 3, 24),
        "Link to `/a|b` is broken: 100% sure, see\nthe map",
    ),
    diagnostic(CAFE, LongSentence, (12, 1, 14, 8), "Sentence has 42 words — split it"),
]


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def validate_sarif(log: dict[str, Any]) -> None:
    schema = load_schema()
    # The schema declares draft-04; validate with what it declares and with draft 7.
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    declared = validator_for(schema)
    assert declared is jsonschema.Draft4Validator
    for validator in (declared, jsonschema.Draft7Validator):
        validator.check_schema(schema)
        errors = sorted(validator(schema).iter_errors(log), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


# RFC 3986 URI-reference characters: unreserved, reserved and percent-escapes only.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$")


# ---------------------------------------------------------------------------------------------
# github


# Errors first, then warnings, then notices; a line break from a post shows as `\n`.
GITHUB_EXPECTED = (
    "::error file=content/posts/my first post.md,line=3,col=5,endLine=3,endColumn=24,"
    "title=LNK001 broken-link::"
    "Link to `/a|b` is broken: 100%25 sure, see\\nthe map\n"
    "::warning file=content/posts/my first post.md,line=9,col=14,endLine=9,endColumn=21,"
    "title=SPL001 spelling::Misspelled word “recieve”: did you mean “receive”?\n"
    "::notice file=content/posts/café.md,line=12,col=1,endLine=14,endColumn=8,"
    "title=RDB001 long-sentence::Sentence has 42 words — split it\n"
)


def test_github_exact() -> None:
    assert github.render(DIAGNOSTICS, RULES) == GITHUB_EXPECTED


def test_github_escapes_properties_and_message() -> None:
    odd = diagnostic("posts/a,b:c%.md", BrokenLink, (1, 1, 1, 2), "50% done\r\nnext: a, b")
    assert github.render([odd], RULES) == (
        "::error file=posts/a%2Cb%3Ac%25.md,line=1,col=1,endLine=1,endColumn=2,"
        "title=LNK001 broken-link::50%25 done\\r\\nnext: a, b\n"
    )


def test_github_empty() -> None:
    assert github.render([], RULES) == ""


# ---------------------------------------------------------------------------------------------
# markdown


DOCS = "https://github.com/postlint/postlint/blob/main/docs/rules/"
MARKDOWN_EXPECTED = """\
## postlint: 3 problems in 2 files

1 error, 1 warning, 1 info.

| Severity | Problems |
| --- | ---: |
| error | 1 |
| warning | 1 |
| info | 1 |

| Rule | Problems |
| --- | ---: |
| [`LNK001` broken-link](<{DOCS}broken-link.md>) | 1 |
| [`RDB001` long-sentence](<{DOCS}long-sentence.md>) | 1 |
| [`SPL001` spelling](<{DOCS}spelling.md>) | 1 |

<details>
<summary><code>content/posts/café.md</code>: 1 problem</summary>

| Line:Col | Code | Rule | Severity | Message |
| ---: | --- | --- | --- | --- |
| 12:1 | `RDB001` | long-sentence | info | Sentence has 42 words — split it |

</details>

<details>
<summary><code>content/posts/my first post.md</code>: 2 problems</summary>

| Line:Col | Code | Rule | Severity | Message |
| ---: | --- | --- | --- | --- |
| 3:5 | `LNK001` | broken-link | error | Link to `/a\\|b` is broken: 100% sure, see\\\\nthe map |
| 9:14 | `SPL001` | spelling | warning | Misspelled word “recieve”: did you mean “receive”? |

</details>
""".replace("{DOCS}", DOCS)


def test_markdown_exact() -> None:
    assert markdown.render(DIAGNOSTICS, RULES) == MARKDOWN_EXPECTED


def test_markdown_empty() -> None:
    assert markdown.render([], RULES) == "## postlint\n\nNo problems found.\n"


def test_markdown_escapes_cells_and_html() -> None:
    odd = diagnostic("a<b>.md", Spelling, (1, 1, 1, 2), "<img> *x* [y](z) a|b `c` \\")
    out = markdown.render([odd], RULES)
    assert "<summary><code>a&lt;b&gt;.md</code>: 1 problem</summary>" in out
    assert "| \\<img\\> \\*x\\* \\[y\\](z) a\\|b `c` \\\\ |" in out
    # every table row still has exactly its cell separators
    row = next(line for line in out.splitlines() if line.startswith("| 1:1 "))
    assert len(re.findall(r"(?<!\\)\|", row)) == 6


def test_markdown_rule_without_metadata_is_not_linked() -> None:
    unknown = Diagnostic("a.md", 1, 1, 1, 2, "PLG001", "plugin-rule", "warning", "From a plugin")
    out = markdown.render([unknown], RULES)
    assert "| `PLG001` plugin-rule | 1 |" in out


# ---------------------------------------------------------------------------------------------
# junit


def test_junit_structure() -> None:
    out = junit.render(DIAGNOSTICS, RULES)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    suites = ET.fromstring(out)
    assert suites.tag == "testsuites"
    assert suites.get("tests") == "3"
    assert suites.get("failures") == "3"
    assert suites.get("errors") == "0"
    children = suites.findall("testsuite")
    assert [s.get("name") for s in children] == [CAFE, SPACED]
    assert [(s.get("tests"), s.get("failures")) for s in children] == [("1", "1"), ("2", "2")]
    cases = suites.findall("testsuite/testcase")
    assert [(c.get("name"), c.get("classname")) for c in cases] == [
        ("RDB001 long-sentence 12:1", CAFE),
        ("LNK001 broken-link 3:5", SPACED),
        ("SPL001 spelling 9:14", SPACED),
    ]
    failures = [c.find("failure") for c in cases]
    assert all(f is not None for f in failures)
    assert [f.get("type") for f in failures if f is not None] == ["info", "error", "warning"]
    # attribute values survive escaping exactly, non-ASCII included; a line break shows as `\n`
    messages = [f.get("message") for f in failures if f is not None]
    assert messages == [
        DIAGNOSTICS[2].message,
        DIAGNOSTICS[1].message.replace("\n", "\\n"),
        DIAGNOSTICS[0].message,
    ]
    body = failures[1].text if failures[1] is not None else None
    assert body is not None
    assert body.startswith(f"{SPACED}:3:5: LNK001 [error] Link to `/a|b`")
    assert body.endswith(
        "See https://github.com/postlint/postlint/blob/main/docs/rules/broken-link.md"
    )


def test_junit_escapes_characters_xml_cannot_hold() -> None:
    odd = diagnostic("a.md", BrokenLink, (1, 1, 1, 2), "form\x0cfeed <&> \x00 \uffff")
    failure = ET.fromstring(junit.render([odd], RULES)).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "form\\x0cfeed <&> \\x00 \ufffd"


def test_junit_empty() -> None:
    suites = ET.fromstring(junit.render([], RULES))
    assert suites.get("tests") == "0"
    assert suites.findall("testsuite") == []


# ---------------------------------------------------------------------------------------------
# sarif


def sarif_log(diagnostics: list[Diagnostic], root: Path | None = ROOT) -> dict[str, Any]:
    text = sarif.render(diagnostics, RULES, root)
    log: dict[str, Any] = json.loads(text)
    validate_sarif(log)
    return log


def test_sarif_valid_and_complete() -> None:
    log = sarif_log(DIAGNOSTICS)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "postlint"
    assert driver["version"] == postlint.__version__
    assert driver["informationUri"].startswith("https://")
    # every known rule is listed, used or not, sorted by code
    assert [r["id"] for r in driver["rules"]] == ["LNK001", "RDB001", "SPL001", "TAG001"]
    link = driver["rules"][0]
    assert link["name"] == "broken-link"
    assert link["shortDescription"] == {"text": "Internal links resolve"}
    assert link["fullDescription"] == {
        "text": "What it does\nFlags internal links whose target does not exist.\n\n"
        "Why is this bad?\nReaders land on a 404 page."
    }
    assert link["help"] == {"text": BrokenLink.docs(), "markdown": BrokenLink.docs()}
    assert link["properties"] == {"problem.severity": "error"}
    assert (
        link["helpUri"]
        == "https://github.com/postlint/postlint/blob/main/docs/rules/broken-link.md"
    )
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert levels == {"LNK001": "error", "RDB001": "note", "SPL001": "warning", "TAG001": "warning"}
    assert driver["rules"][3]["fullDescription"] == {"text": "Every post has tags"}

    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/blog/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert URI_CHARS.match(location["uri"]), location["uri"]
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert uris == [
        "content/posts/caf%C3%A9.md",
        "content/posts/my%20first%20post.md",
        "content/posts/my%20first%20post.md",
    ]
    assert [unquote(u) for u in uris] == [CAFE, SPACED, SPACED]
    assert [r["level"] for r in run["results"]] == ["note", "error", "warning"]
    assert run["results"][1]["message"]["text"] == DIAGNOSTICS[1].message.replace("\n", "\\n")


def test_sarif_rule_text_fits_code_scanning_limits() -> None:
    class Verbose(Rule):
        code: ClassVar[str] = "VRB001"
        name: ClassVar[str] = "verbose"
        summary: ClassVar[str] = "s" * 2000
        severity: ClassVar[Severity] = "info"

    Verbose.__doc__ = "## What it does\n" + "word " * 500 + "\n\n## Example\nbad"
    log = json.loads(sarif.render([], [Verbose]))
    validate_sarif(log)
    (descriptor,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(descriptor["shortDescription"]["text"]) == 1024
    assert len(descriptor["fullDescription"]["text"]) <= 1024
    assert descriptor["fullDescription"]["text"].endswith("…")
    assert descriptor["help"]["markdown"].endswith("## Example\nbad")
    assert descriptor["properties"] == {"problem.severity": "recommendation"}


def test_sarif_fix() -> None:
    (run,) = sarif_log(DIAGNOSTICS)["runs"]
    fixed = [r for r in run["results"] if "fixes" in r]
    assert [r["ruleId"] for r in fixed] == ["SPL001"]
    (fix,) = fixed[0]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {
        "uri": "content/posts/my%20first%20post.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 9, "startColumn": 14, "endLine": 9, "endColumn": 21},
            "insertedContent": {"text": "receive"},
        }
    ]
    assert fix["properties"] == {"safe": True}


def test_sarif_insertion_fix_and_unsafe_fix() -> None:
    insert = Edit(Span(10, 10, 2, 3, 2, 3), "\n")
    unsafe = diagnostic(
        "a.md", Spelling, (2, 3, 2, 3), "Missing line break", fix=(insert,), fix_safe=False
    )
    (run,) = sarif_log([unsafe])["runs"]
    (fix,) = run["results"][0]["fixes"]
    assert fix["properties"] == {"safe": False}
    (replacement,) = fix["artifactChanges"][0]["replacements"]
    assert replacement["deletedRegion"]["startColumn"] == replacement["deletedRegion"]["endColumn"]
    assert replacement["insertedContent"] == {"text": "\n"}


def test_sarif_fingerprints_are_stable_and_distinct() -> None:
    twice = [
        diagnostic("a.md", Spelling, (5, 1, 5, 4), "Misspelled word “teh”"),
        diagnostic("a.md", Spelling, (2, 1, 2, 4), "Misspelled word “teh”"),
        diagnostic("a.md", BrokenLink, (7, 1, 7, 9), "Broken link"),
    ]
    (run,) = sarif_log(twice)["runs"]
    prints = [r["partialFingerprints"]["postlint/v1"] for r in run["results"]]
    assert len(set(prints)) == 3
    assert prints[0].endswith(":1")
    assert prints[1].endswith(":2")
    assert prints[0].split(":")[0] == prints[1].split(":")[0]
    # moving every finding down ten lines changes no fingerprint
    moved = [
        diagnostic(
            d.path,
            {"SPL001": Spelling, "LNK001": BrokenLink}[d.code],
            (d.line + 10, d.column, d.end_line + 10, d.end_column),
            d.message,
        )
        for d in twice
    ]
    (moved_run,) = sarif_log(moved)["runs"]
    assert [r["partialFingerprints"]["postlint/v1"] for r in moved_run["results"]] == prints


def test_sarif_unknown_rule_gets_a_descriptor() -> None:
    unknown = Diagnostic(
        "a.md",
        1,
        1,
        1,
        2,
        "PLG001",
        "plugin-rule",
        "info",
        "From a plugin",
        url="https://example.com/plg001",
    )
    (run,) = sarif_log([unknown])["runs"]
    rules = run["tool"]["driver"]["rules"]
    (result,) = run["results"]
    descriptor = rules[result["ruleIndex"]]
    assert descriptor["id"] == "PLG001"
    assert descriptor["name"] == "plugin-rule"
    assert descriptor["helpUri"] == "https://example.com/plg001"
    assert result["level"] == "note"


def test_sarif_paths_relative_to_root() -> None:
    inside = diagnostic("/srv/blog/content/x y.md", BrokenLink, (1, 1, 1, 2), "inside")
    outside = diagnostic("/elsewhere/z.md", BrokenLink, (1, 1, 1, 2), "outside")
    (run,) = sarif_log([inside, outside])["runs"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert {"uri": "content/x%20y.md", "uriBaseId": "%SRCROOT%"} in locations
    assert {"uri": "file:///elsewhere/z.md"} in locations
    # the other formats make the same path relative
    assert "file=content/x y.md," in github.render([inside], RULES, ROOT)
    assert "<code>content/x y.md</code>" in markdown.render([inside], RULES, ROOT)
    suite = ET.fromstring(junit.render([inside], RULES, ROOT)).find("testsuite")
    assert suite is not None and suite.get("name") == "content/x y.md"


def test_sarif_region_without_position_is_still_valid() -> None:
    whole_file = diagnostic("a.md", MissingTags, (0, 0, 0, 0), "No tags")
    (run,) = sarif_log([whole_file])["runs"]
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def test_sarif_without_root() -> None:
    (run,) = sarif_log(DIAGNOSTICS, root=None)["runs"]
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]


def test_sarif_empty_lists_all_rules() -> None:
    (run,) = sarif_log([])["runs"]
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)


# ---------------------------------------------------------------------------------------------
# agreement across formats


def positions_by_format(
    diagnostics: list[Diagnostic],
) -> dict[str, list[tuple[int, int, int, int]]]:
    (run,) = sarif_log(diagnostics)["runs"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in run["results"]]
    github_lines = github.render(diagnostics, RULES).splitlines()
    github_props = [
        dict(p.split("=", 1) for p in line.split("::")[1].split(" ", 1)[1].split(","))
        for line in github_lines
    ]
    return {
        "sarif": [
            (g["startLine"], g["startColumn"], g["endLine"], g["endColumn"]) for g in regions
        ],
        "github": [
            (int(p["line"]), int(p["col"]), int(p["endLine"]), int(p["endColumn"]))
            for p in github_props
        ],
    }


@pytest.mark.parametrize("diagnostics", [DIAGNOSTICS, DIAGNOSTICS[:1], []])
def test_counts_and_positions_agree(diagnostics: list[Diagnostic]) -> None:
    ordered = sorted(diagnostics, key=lambda d: (d.path, d.sort_key()))
    expected_positions = [(d.line, d.column, d.end_line, d.end_column) for d in ordered]
    expected_severities = Counter(d.severity for d in diagnostics)

    # sarif
    (run,) = sarif_log(diagnostics)["runs"]
    assert len(run["results"]) == len(diagnostics)
    sarif_levels = Counter(r["level"] for r in run["results"])
    assert sarif_levels == Counter(
        {"error": "error", "warning": "warning", "info": "note"}[s]
        for s in expected_severities.elements()
    )
    # github
    lines = github.render(diagnostics, RULES).splitlines()
    assert len(lines) == len(diagnostics)
    assert Counter(line[2:].split(" ", 1)[0] for line in lines) == Counter(
        {"error": "error", "warning": "warning", "info": "notice"}[s]
        for s in expected_severities.elements()
    )
    # junit
    suites = ET.fromstring(junit.render(diagnostics, RULES))
    assert int(suites.get("failures", "-1")) == len(diagnostics)
    assert sum(int(s.get("tests", "0")) for s in suites.findall("testsuite")) == len(diagnostics)
    junit_types = Counter(f.get("type") for f in suites.iter("failure"))
    assert junit_types == expected_severities
    junit_positions = [c.get("name", "").rsplit(" ", 1)[1] for c in suites.iter("testcase")]
    assert junit_positions == [f"{p[0]}:{p[1]}" for p in expected_positions]
    # markdown
    md = markdown.render(diagnostics, RULES)
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+:\d+ \|", line)]
    assert len(rows) == len(diagnostics)
    assert [row.split(" | ")[0][2:] for row in rows] == [
        f"{p[0]}:{p[1]}" for p in expected_positions
    ]
    if diagnostics:
        for severity in ("error", "warning", "info"):
            assert f"| {severity} | {expected_severities[severity]} |" in md
        for code, count in Counter(d.code for d in diagnostics).items():
            assert re.search(rf"^\| \[`{code}` [^|]*\]\(<[^>]+>\) \| {count} \|$", md, re.M)
    else:
        assert "No problems found." in md
    # positions, as whole ranges, equal the diagnostics'
    by_severity = sorted(ordered, key=lambda d: ("error", "warning", "info").index(d.severity))
    assert positions_by_format(diagnostics) == {
        "sarif": expected_positions,
        "github": [(d.line, d.column, d.end_line, d.end_column) for d in by_severity],
    }


def test_markdown_fits_a_github_comment() -> None:
    many = [
        diagnostic(f"content/posts/post-{n:03}.md", Spelling, (line, 1, line, 5), "x" * 80)
        for n in range(40)
        for line in range(1, 31)
    ]
    out = markdown.render(many, RULES)
    assert len(out) <= markdown.MAX_CHARS
    assert out.startswith("## postlint: 1200 problems in 40 files\n")
    shown = len(re.findall(r"^\| \d+:\d+ \|", out, re.M))
    assert 0 < shown < len(many)
    partial = re.findall(r": 30 problems, the first (\d+) shown</summary>", out)
    assert len(partial) <= 1
    files_shown = out.count("<details>")
    files_left = 40 - files_shown + len(partial)
    assert out.endswith(
        f"_{len(many) - shown} more problems in {files_left} files not shown:"
        " a GitHub comment holds at most 65,536 characters._\n"
    )
    # the folded sections are well formed
    assert out.count("<details>") == out.count("</details>")


def test_markdown_one_huge_file_is_cut_by_rows() -> None:
    many = [diagnostic("big.md", Spelling, (n, 1, n, 5), "y" * 200) for n in range(1, 1001)]
    out = markdown.render(many, RULES)
    assert len(out) <= markdown.MAX_CHARS
    (kept,) = re.findall(r"<code>big\.md</code>: 1000 problems, the first (\d+) shown", out)
    assert len(re.findall(r"^\| \d+:\d+ \|", out, re.M)) == int(kept)
    assert out.endswith(
        f"_{1000 - int(kept)} more problems in 1 file not shown:"
        " a GitHub comment holds at most 65,536 characters._\n"
    )


# ---------------------------------------------------------------------------------------------
# control characters, undecodable file names, mentions (issue 15)

CONTROLS = "tag \x1b[31mred\x1b[0m, CSI \x9b2J, bell \x07, DEL \x7f, tab\tkept, CR\rLF\nend"
CONTROLS_SHOWN = (
    "tag \\x1b[31mred\\x1b[0m, CSI \\x9b2J, bell \\x07, DEL \\x7f, tab\tkept, CR\\rLF\\nend"
)
ODD_PATH = "content/we\x1bird\x85.md"
ODD_PATH_SHOWN = "content/we\\x1bird\\x85.md"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # tab and LF are layout


def render_all(diagnostics: list[Diagnostic], root: Path | None = None) -> dict[str, str]:
    return {fmt: report.render(fmt, diagnostics, RULES, 1, root) for fmt in report.FORMATS}


def test_every_format_shows_control_characters_escaped() -> None:
    d = diagnostic(ODD_PATH, BrokenLink, (1, 1, 1, 2), CONTROLS)
    for fmt, out in render_all([d]).items():
        assert not UNSAFE.search(out), (fmt, UNSAFE.findall(out))
        out.encode("utf-8")
    out = render_all([d])
    assert f"{ODD_PATH_SHOWN}:1:1: LNK001 {CONTROLS_SHOWN} [broken-link]" in out["text"]
    (data,) = json.loads(out["json"])["diagnostics"]
    assert (data["path"], data["message"]) == (ODD_PATH_SHOWN, CONTROLS_SHOWN)
    (result,) = json.loads(out["sarif"])["runs"][0]["results"]
    assert result["message"]["text"] == CONTROLS_SHOWN
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "content/we%1Bird%C2%85.md"  # a URI carries the exact name
    (issue,) = json.loads(out["gitlab"])
    assert (issue["location"]["path"], issue["description"]) == (ODD_PATH_SHOWN, CONTROLS_SHOWN)
    assert out["github"] == (
        f"::error file={ODD_PATH_SHOWN},line=1,col=1,endLine=1,endColumn=2,"
        f"title=LNK001 broken-link::{CONTROLS_SHOWN}\n"
    )
    failure = ET.fromstring(out["junit"]).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == CONTROLS_SHOWN
    assert f"<code>{ODD_PATH_SHOWN}</code>" in out["markdown"]
    assert "tab\tkept, CR\\\\rLF\\\\nend |" in out["markdown"]


def test_the_text_format_in_colour_paints_only_its_own_escapes() -> None:
    d = diagnostic(ODD_PATH, BrokenLink, (1, 1, 1, 2), CONTROLS)
    out = report.render("text", [d], RULES, 1, colour=True)
    assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert CONTROLS_SHOWN in out


BAD_NAME = os.fsdecode(b"content/bad\xff name.md")  # not UTF-8: decoded as Python does


def test_every_format_shows_an_undecodable_file_name_escaped() -> None:
    d = diagnostic(BAD_NAME, BrokenLink, (1, 1, 1, 2), f"`{BAD_NAME}` is named oddly")
    out = render_all([d], ROOT)
    for fmt, text in out.items():
        text.encode("utf-8")  # no lone surrogate: every report is valid UTF-8
        assert "bad\\xff name.md" in text.replace("\\\\", "\\"), fmt
    log = json.loads(out["sarif"])
    validate_sarif(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/bad%FF%20name.md"
    assert URI_CHARS.match(location["artifactLocation"]["uri"])
    outside = diagnostic("/elsewhere/" + BAD_NAME, BrokenLink, (1, 1, 1, 2), "x")
    (result,) = sarif_log([outside])["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/content/bad%FF%20name.md"
    }


def test_an_undecodable_file_name_from_the_cli_in_every_format(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/ok.md": '+++\ntitle = "T"\n+++\n\nFine.\n'})
    with open(os.path.join(os.fsencode(root), b"content", b"bad\xff name.md"), "wb") as post:
        post.write(b"+++\ntitle = 3\n+++\n\nBody.\n")  # a real file, with a finding
    for fmt in report.FORMATS:
        result = subprocess.run(
            [*postlint_command(), "check", "--no-cache", "--format", fmt],
            cwd=root,
            capture_output=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert result.returncode == 1, (fmt, result.stderr)
        out = result.stdout.decode("utf-8")  # valid UTF-8, whatever the name
        if fmt == "sarif":  # a URI keeps the bytes
            validate_sarif(json.loads(out))
            assert "content/bad%FF%20name.md" in out
        else:
            assert "bad\\xff name.md" in out.replace("\\\\", "\\"), fmt
        if fmt == "json":
            paths = {d["path"] for d in json.loads(out)["diagnostics"]}
            assert paths == {"content/bad\\xff name.md"}
    made = run_cli("baseline", "--no-cache", cwd=root)
    assert made.returncode == 0, made.stderr
    hidden = run_cli("check", "--no-cache", "--baseline", ".postlint-baseline.json", cwd=root)
    assert hidden.returncode == 0 and hidden.stdout.startswith("All clear"), hidden.stderr


def test_a_baseline_keys_a_message_that_quotes_an_undecodable_name() -> None:
    whole_file = diagnostic(BAD_NAME, MissingTags, (1, 1, 1, 1), f"`{BAD_NAME}` is odd")
    ((rule, path, digest),) = baseline.keys([whole_file])  # no text covered: the message
    assert (rule, path) == ("missing-tags", BAD_NAME) and len(digest) == 16


def test_control_characters_from_a_post_reach_no_terminal(tmp_path: Path) -> None:
    pack = (
        '[pack]\nname = "colours"\nprefix = "COL"\ndescription = "d"\n\n'
        '[[rule]]\ncode = "COL001"\nname = "red-text"\nseverity = "warning"\n'
        'kind = "existence"\npatterns = ["\\\\S*red\\\\S*"]\n'
        '[[rule.example]]\nbad = "red"\ngood = "blue"\n'
    )
    post = '+++\ntitle = "T"\n+++\n\nSee \x1b[31mred\x1b[0m and \x9b2J here.\n'
    root = write_site(
        tmp_path,
        {"content/post.md": post, "colours.toml": pack},
        config='packs = ["colours.toml"]\nselect = ["COL001"]\n',
    )
    for fmt in ("text", "github"):
        result = run_cli("check", "--no-cache", "--format", fmt, cwd=root)
        assert result.returncode == 0
        assert not UNSAFE.search(result.stdout), fmt
        assert "Avoid `\\x1b[31mred\\x1b[0m`." in result.stdout


def test_markdown_keeps_code_as_code_and_pings_nobody() -> None:
    text = (
        "Tag `@team|x` from @someone, see #123, owner/repo#45 and GH-7; "
        "mail me@example.org; `#9` stays, a lone ` too"
    )
    out = markdown.render([diagnostic("a.md", Spelling, (1, 1, 1, 2), text)], RULES)
    zw = "&#8203;"
    assert (
        f"| Tag `@team\\|x` from @{zw}someone, see #{zw}123, owner/repo#{zw}45 and GH-{zw}7; "
        f"mail me@example.org; `#9` stays, a lone \\` too |"
    ) in out
    assert not re.search(r"(?<!\w)@\w|(?<!&)#\d|GH-\d", re.sub(r"`[^`]*`", "", out))


# ---------------------------------------------------------------------------------------------
# github annotation limits (issue 14)


def test_github_lists_errors_first_and_stops_at_the_limits() -> None:
    warnings = [
        diagnostic("content/about.md", Spelling, (n, 1, n, 2), f"w{n}") for n in range(1, 4)
    ]
    errors = [diagnostic("content/zz.md", BrokenLink, (n, 1, n, 2), f"e{n}") for n in range(1, 13)]
    notices = [
        diagnostic("content/b.md", LongSentence, (n, 1, n, 2), f"n{n}") for n in range(1, 16)
    ]
    lines = github.render(warnings + notices + errors, RULES).splitlines()
    kinds = [line[2:].split(" ", 1)[0] for line in lines]
    assert kinds == ["error"] * 10 + ["warning"] * 3 + ["notice"] * 9 + ["notice"]
    assert [line.rsplit("::", 1)[1] for line in lines[:10]] == [f"e{n}" for n in range(1, 11)]
    assert lines[-1] == (
        "::notice title=postlint::8 more problems (2 errors, 6 notices) not annotated: GitHub "
        "shows 10 annotations of each severity per step. See them all in the job summary or the "
        "code scanning alerts (the Markdown and SARIF reports), or raise the limit with "
        "--github-annotations."
    )
    assert len(github.render(warnings + notices + errors, RULES, limit=0).splitlines()) == 30
    exactly = github.render(notices[:10] + errors[:10], RULES).splitlines()
    assert len(exactly) == 20 and "more problem" not in exactly[-1]
    one = github.render(notices[:2], RULES, limit=1).splitlines()
    assert one == [
        "::notice title=postlint::2 more problems (2 notices) not annotated: GitHub shows 1 "
        "annotations of each severity per step. See them all in the job summary or the code "
        "scanning alerts (the Markdown and SARIF reports), or raise the limit with "
        "--github-annotations."
    ]


def test_github_annotations_flag(tmp_path: Path) -> None:
    bad = "+++\ntitle = 3\n+++\n\nBody.\n"
    root = write_site(tmp_path, {f"content/p{n}.md": bad for n in range(3)})
    result = run_cli(
        "check", "--no-cache", "--format", "github", "--github-annotations", "2", cwd=root
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::notice"]
    assert "1 more problem (1 error) not annotated" in lines[-1]
    for value in ("-1", "x", ""):
        wrong = run_cli("check", "--github-annotations", value, cwd=root)
        assert wrong.returncode == 2 and "--github-annotations" in wrong.stderr


def test_the_json_layout_is_json_dumps_indent_2_with_flat_lists_one_item_a_line() -> None:
    """``report.common.dumps`` writes what ``json.dumps(indent=2)`` writes, except that the lists
    under the ``flat`` keys take one compact line per item; checked on random documents."""
    import random

    from postlint.report.common import dumps

    rng = random.Random(5)
    leaves: list[Any] = [1, "a", None, True, 2.5, "é\u2028\x1b", [], {}]

    def document(depth: int = 0) -> Any:
        roll = rng.random()
        if depth > 3 or roll < 0.3:
            return rng.choice(leaves)
        if roll < 0.65:
            keys = ("k", "results", "x")
            return {f"{rng.choice(keys)}{i}": document(depth + 1) for i in range(rng.randint(0, 3))}
        return [document(depth + 1) for _ in range(rng.randint(0, 3))]

    flat = {"results0", "results1", "results2"}
    for _ in range(2000):
        value = document()
        assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
        assert json.loads(dumps(value, flat=flat)) == value  # flat lists: still the same JSON
    findings = {"version": 1, "results": [{"a": 1, "b": [2, 3]}, {"a": 4}], "more": {"c": []}}
    assert dumps(findings, flat={"results"}) == (
        '{\n  "version": 1,\n  "results": [\n    {"a": 1, "b": [2, 3]},\n    {"a": 4}\n  ],\n'
        '  "more": {\n    "c": []\n  }\n}'
    )
