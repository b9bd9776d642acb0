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


def fixed(body: str) -> tuple[str, list[str]]:
    """The body with every safe straight-quotes fix applied, and what unbalanced-quotes then
    finds in it."""
    text = HEAD + CURLY + body
    found = api.lint_text(text, config=Config(select=("straight-quotes",)))
    edits = sorted(
        (e for d in found if d.fix_safe for e in d.fix or ()), key=lambda e: e.span.start
    )
    for edit in reversed(edits):
        text = text[: edit.span.start] + edit.replacement + text[edit.span.end :]
    after = api.lint_text(text, config=Config(select=("unbalanced-quotes",)))
    return text[len(HEAD + CURLY) :], [f"{d.line}:{d.column} {d.message}" for d in after]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # quotes next to brackets
        ('He called it ("plumbing") and left.\n', "He called it (“plumbing”) and left.\n"),
        ('Tags are ["rust", "web"] and {"c"}.\n', "Tags are [“rust”, “web”] and {“c”}.\n"),
        (
            'A "quote (with a paren)" and "(paren first)".\n',
            "A “quote (with a paren)” and “(paren first)”.\n",
        ),
        ('The "plumbing" (as "they" say).\n', "The “plumbing” (as “they” say).\n"),
        # a quote that pairs with nothing keeps its neighbours' fixes, and gets none itself
        ('A "x"(y) and ("b")\'s cost.\n', 'A "x"(y) and (“b”)\'s cost.\n'),
        # apostrophes inside quoted text, and quotations inside quotations
        ("\"It's the 'best' thing,\" she said.\n", "“It’s the ‘best’ thing,” she said.\n"),
        ('"The students\' books," he said.\n', "“The students’ books,” he said.\n"),
        ("She wrote: \"He said 'no' and 'yes'.\"\n", "She wrote: “He said ‘no’ and ‘yes’.”\n"),
        # an apostrophe that starts a word is not an opening quote
        (
            "He said 'twas late, the students' books.\n",
            "He said ’twas late, the students’ books.\n",
        ),
        (
            "'Tis rock 'n' roll, 'em all, in the '90s.\n",
            "’Tis rock ’n’ roll, ’em all, in the ’90s.\n",
        ),
        (
            "A 'rock 'n' roll' show and the letter 'n'.\n",
            "A ‘rock ’n’ roll’ show and the letter ‘n’.\n",
        ),
        ("'Em' is a word; 'til' too.\n", "‘Em’ is a word; ‘til’ too.\n"),
        # an inch mark inside a quotation is not its end; a number at its end is
        ('The "5\'10" man" left.\n', "The “5'10\" man” left.\n"),
        ('"Chapter 3" and "more".\n', "“Chapter 3” and “more”.\n"),
        ("Read 'chapter 3' twice.\n", "Read ‘chapter 3’ twice.\n"),
        ("A '5'10' label.\n", "A ‘5'10’ label.\n"),
    ],
)
def test_straight_quote_fixes_never_unbalance_quotes(body: str, expected: str) -> None:
    assert fixed(body) == (expected, [])


def test_unbalanced_quotes_pairs_nothing_across_paragraphs() -> None:
    """A quotation left open is reported unless the very next paragraph beside it opens with
    “ (a quotation over several paragraphs); a paragraph in a quote, the next list item, or one
    after a code block does not carry it on."""

    def where(body: str) -> list[tuple[int, int]]:
        found = api.lint_text(HEAD + body, config=Config(select=("unbalanced-quotes",)))
        return [(d.line, d.column) for d in found]

    assert where("> He said “stop.\n\n“Yes,” she said.\n") == [(4, 11)]
    assert where("- He said “stop.\n- “Yes,” she said.\n") == [(4, 11)]
    assert where("He said “stop.\n\n- “Yes,” she said.\n") == [(4, 9)]
    assert where("He said “one\n\n```\ncode\n```\n\n“Two” he said.\n") == [(4, 9)]
    assert where("He said “stop\n\nnow” he said.\n") == [(4, 9), (6, 4)]
    assert where("He said “stop.\n\n“Going on.\n\n“And ending.”\n") == []
    assert where("> He said “stop.\n>\n> “Going on.\n>\n> “And ending.”\n") == []
    assert where("- He said “stop.\n\n  “Going on.”\n") == []


@pytest.mark.parametrize(("anchors", "fixed_heading"), [("on", True), ("safe", False)])
def test_no_quote_fix_in_a_heading_whose_anchor_keeps_its_quotes(
    tmp_path: Path, anchors: str, fixed_heading: bool
) -> None:
    """Zola's `safe` anchors keep quote characters (`It's_the_"best"_way`): curling them moves
    the anchor and breaks links to it. A heading with its own `{#id}` and the prose keep the
    fix; with `on` anchors (quotes dropped) the heading keeps it too."""
    site_config = f'base_url = "https://example.org"\n\n[slugify]\nanchors = "{anchors}"\n'
    body = CURLY + '## The "best" way\n\n## Our "other" way {#other}\n\nIt\'s "fine".\n'
    root = write_site(tmp_path, {"content/post.md": HEAD + body}, site_config=site_config)
    found = api.lint_paths([root / "content" / "post.md"], Config(select=("straight-quotes",)))
    fixes = {(d.line, d.column): d.fix is not None for d in found}
    assert fixes == {(6, 8): fixed_heading, (8, 8): True, (10, 3): True, (10, 6): True}
    if not fixed_heading:
        (heading,) = [d for d in found if d.line == 6]
        assert heading.message.endswith(
            "No fix is offered: this heading's anchor keeps its quotes, so curling them would "
            "break the links to it."
        )
