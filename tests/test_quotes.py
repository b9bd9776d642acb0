"""Quotes read as the page shows them: pairs across inline markup, fixed whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint import api, quotes
from postlint.config import Config
from postlint.parse import parse_post
from tests.conftest import run_cli, write_site

HEAD = '+++\ntitle = "Quotes"\n+++\n'
CURLY = "“It’s only a ‘margin holiday’,” she said; ‘fine,’ we said, “it’s a start.”\n\n"


def roles(body: str) -> list[tuple[str, str]]:
    post = parse_post(HEAD + body, "post.md")
    (found,) = quotes.quotes(post)
    marks = [m for pair in found.pairs for m in pair] + [*found.apostrophes, *found.unpaired]
    return [(m.char, m.role) for m in sorted(marks, key=lambda m: m.index)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # after inline code, a link or emphasis the apostrophe is still an apostrophe
        ("We used `pandas`'s mean.\n", [("'", "apostrophe")]),
        ("Read [Sebi](https://example.org/s)'s rules.\n", [("'", "apostrophe")]),
        ("Read *Mint*'s tracker.\n", [("'", "apostrophe")]),
        # a quotation around a link, with the full stop inside, is one quotation
        ('He called them "[gulags](https://example.org/g)."\n', [('"', "open"), ('"', "close")]),
        ('He said "it\'s **done**" twice.\n', [('"', "open"), ("'", "apostrophe"), ('"', "close")]),
        ("the students' books\n", [("'", "apostrophe")]),
        ("in the '90s\n", [("'", "apostrophe")]),
        ('a 5\'10" man and a 27" screen\n', []),
        ('a lone " here\n', [('"', "unknown")]),
    ],
)
def test_quote_roles_across_inline_markup(body: str, expected: list[tuple[str, str]]) -> None:
    if not expected:
        post = parse_post(HEAD + body, "post.md")
        assert all(not (f.pairs or f.apostrophes or f.unpaired) for f in quotes.quotes(post))
        return
    assert roles(body) == expected


def lint(body: str, select: str) -> list[tuple[int, int, int, int, list[str]]]:
    found = api.lint_text(HEAD + body, config=Config(select=tuple(select.split(","))))
    return [
        (d.line, d.column, d.end_line, d.end_column, [e.replacement for e in d.fix or ()])
        for d in found
    ]


def test_a_quotation_is_one_finding_whose_fix_curls_both_quotes() -> None:
    body = CURLY + 'He called them "[gulags](https://example.org/g)."\n'
    assert lint(body, "straight-quotes") == [(6, 16, 6, 50, ["“", "”"])]


def test_a_straight_quote_that_pairs_with_nothing_has_no_fix() -> None:
    body = CURLY + 'A lone " here, and "an open one.\n'
    found = api.lint_text(HEAD + body, config=Config(select=("straight-quotes",)))
    assert [(d.column, d.fix) for d in found] == [(8, None), (20, None)]


def test_straight_quotes_stays_quiet_where_quote_style_would_point_at_the_curly_ones() -> None:
    body = 'It\'s a "quick fix", it\'s what we\'d do, said the "team". The team’s.\n'
    found = api.lint_text(HEAD + body, config=Config(select=("straight-quotes", "quote-style")))
    assert [(d.rule, d.column) for d in found] == [("quote-style", 65)]
    assert "this is the first curly one" in found[0].message


def test_fix_of_a_quote_pair_around_a_link_adds_no_error(tmp_path: Path) -> None:
    """Issue 14: the closing quote curled and the opening one left straight made an
    unbalanced-quotes error; a pair is now fixed whole."""
    post = HEAD + CURLY + 'He called them "[gulags](https://example.org/g)." It\'s done.\n'
    root = write_site(tmp_path, {"content/post.md": post})
    before = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    fixed = run_cli("check", "--no-cache", "--fix", "--extend-select", "typography", cwd=root)
    assert fixed.stdout.startswith("Applied 2 fixes."), fixed.stdout
    text = (root / "content" / "post.md").read_text(encoding="utf-8")
    assert "them “[gulags](https://example.org/g).” It’s done." in text
    after = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert after.stdout.count('"severity": "error"') <= before.stdout.count('"severity": "error"')
    assert "unbalanced-quotes" not in after.stdout
