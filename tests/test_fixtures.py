"""Fixtures are data: each post or site in ``fixtures/`` sits next to the diagnostics it must give.

``fixtures/posts/NAME.md`` pairs with ``NAME.expected``: one ``CODE line:col-end_line:end_col
message`` per line; ``# select: RULES`` on top narrows the rules (default: every default rule).
``fixtures/sites/NAME/`` holds a site and ``expected.txt`` with ``PATH CODE ...`` lines.
Set ``POSTLINT_UPDATE_FIXTURES=1`` to rewrite the expected files after a deliberate change,
then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config
from postlint.model import Diagnostic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
POSTS = sorted((FIXTURES / "posts").glob("*.md"))
SITES = sorted(p for p in (FIXTURES / "sites").iterdir() if (p / "expected.txt").exists())
UPDATE = os.environ.get("POSTLINT_UPDATE_FIXTURES") == "1"


def line_of(d: Diagnostic) -> str:
    return f"{d.code} {d.line}:{d.column}-{d.end_line}:{d.end_column} {d.message}"


def header(expected: Path) -> tuple[list[str], tuple[str, ...] | None]:
    lines = expected.read_text(encoding="utf-8").splitlines() if expected.exists() else []
    select = None
    comments = [line for line in lines if line.startswith("#")]
    for line in comments:
        if line.startswith("# select:"):
            select = tuple(s.strip() for s in line.partition(":")[2].split(",") if s.strip())
    return comments, select


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.stem)
def test_post_fixture(post: Path) -> None:
    expected_file = post.with_suffix(".expected")
    comments, select = header(expected_file)
    result = api.run_paths([post], Config(select=select), jobs=1)
    actual = [line_of(d) for d in result.diagnostics]
    if UPDATE:
        expected_file.write_text("\n".join([*comments, *actual]) + "\n", encoding="utf-8")
    expected = [
        line
        for line in expected_file.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert actual == expected


@pytest.mark.parametrize("site", SITES, ids=lambda p: p.name)
def test_site_fixture(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    expected_file = site / "expected.txt"
    comments, _ = header(expected_file)
    result = api.run_paths([Path("content")], None, jobs=1)
    actual = [f"{d.path} {line_of(d)}" for d in result.diagnostics]
    if UPDATE:
        expected_file.write_text("\n".join([*comments, *actual]) + "\n", encoding="utf-8")
    expected = [
        line
        for line in expected_file.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert actual == expected
