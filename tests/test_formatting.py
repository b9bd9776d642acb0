"""The formatting family: what each rule flags, where, with what message, and what it ignores.

Posts are linted through the public API (the real parser, engine and configuration), so every
position below is what a user sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config, parse_config
from postlint.model import Diagnostic
from tests.conftest import run_cli, write_site

CATALOGUE = api.catalogue()
HEAD = '+++\ntitle = "Post"\n+++\n'  # the body starts on line 4


def lint(body: str, select: str, options: str = "") -> list[Diagnostic]:
    config = Config(select=tuple(select.split(",")))
    if options:
        import tomli

        config = parse_config(tomli.loads(options), CATALOGUE.families).with_overrides(
            select=config.select
        )
    return api.lint_text(HEAD + body, config=config)


def found(body: str, select: str, options: str = "") -> list[tuple[str, int, int, int, str]]:
    """(rule, line, column, end column, message) for each diagnostic."""
    return [
        (d.rule, d.line, d.column, d.end_column, d.message) for d in lint(body, select, options)
    ]


def where(body: str, select: str) -> list[tuple[int, int, int]]:
    return [(d.line, d.column, d.end_column) for d in lint(body, select)]


# ---------------------------------------------------------------------------------------------
# unbalanced-emphasis


def test_unclosed_bold_points_at_the_marker() -> None:
    assert found(
        "Our notes say **ready for review, signed by nobody.\n", "unbalanced-emphasis"
    ) == [
        (
            "unbalanced-emphasis",
            4,
            15,
            17,
            "This `**` opens bold that never closes in this paragraph, so it shows as a literal "
            "`**`; add the closing `**` or remove it.",
        )
    ]


def test_unopened_closer() -> None:
    assert found("Marked as draft** after the review.\n", "unbalanced-emphasis") == [
        (
            "unbalanced-emphasis",
            4,
            16,
            18,
            "This `**` closes bold that never opens in this paragraph, so it shows as a literal "
            "`**`; add the opening `**` or remove it.",
        )
    ]


def test_closer_cut_off_by_punctuation() -> None:
    assert found("A *Steve Jobs-*type launch.\n", "unbalanced-emphasis") == [
        (
            "unbalanced-emphasis",
            4,
            15,
            16,
            "This `*` is meant to close the italics that opens before `Steve`, but between `-` "
            "and `t` it cannot close, so both markers show as literal `*`; move it before the "
            "`-` or put a space after it.",
        )
    ]


def test_opener_cut_off_by_punctuation() -> None:
    messages = [m for *_, m in found("A type*-Steve Jobs* launch.\n", "unbalanced-emphasis")]
    assert messages == [
        "This `*` is meant to open the italics that closes after `Jobs`, but between `e` and "
        "`-` it cannot open, so both markers show as literal `*`; move it after the `-` or put "
        "a space before it."
    ]


def test_emphasis_closed_inside_a_word() -> None:
    assert found("Ask the *team manage*r first.\n", "unbalanced-emphasis") == [
        (
            "unbalanced-emphasis",
            4,
            21,
            22,
            "This `*` closes the italics inside the word `manager`, so the end of the word is "
            "left out; move it to the end of `manager`.",
        )
    ]


def test_markers_inside_words_that_pair_up() -> None:
    assert found("We wrote a*b and 5*3 on the board.\n", "unbalanced-emphasis") == [
        (
            "unbalanced-emphasis",
            4,
            11,
            12,
            "The `*` in `a*b` and the `*` in `5*3` pair up as italics around `b and 5`; move them "
            "to the edges of the words, or escape them as `\\*` if they are meant literally.",
        )
    ]


def test_bold_closed_by_a_single_star() -> None:
    assert found("The page used **bold* here.\n", "unbalanced-emphasis") == [
        (
            "unbalanced-emphasis",
            4,
            15,
            16,
            "The bold around `bold` opens with `**` but closes with `*`, so a literal `*` shows; "
            "use the same marker on both sides.",
        )
    ]


@pytest.mark.parametrize(
    "body",
    [
        "snake_case_names and __init__ in prose.\n",
        "We multiply 2 * 3 and a * b.\n",
        "An escaped \\*star\\* and \\_under\\_.\n",
        "All *.md files are read.\n",
        "- a bullet\n* another bullet\n",
        "Code `a * b` and `**kwargs` is fine.\n",
        "```\nx = a*b\n**y\n```\n",
        "See https://example.com/_private_/page and www.example.org/a_b_.\n",
        "<div>\n**raw html\n</div>\n",
        "<!-- a comment with ** and _ -->\n",
        "The f**k word, censored.\n",
        "Another s*** word.\n",
        "It costs 5%* today.\n\n*Prices as of March.\n",
        "A “*quoted*” phrase and (*parenthesised*) text.\n",
        "Edit _index.md and _config.toml, export TCLTK_* and _EOF_NAME too.\n",
        "Nested ***bold italics*** and **bold with *italics* inside**.\n",
    ],
)
def test_emphasis_left_alone(body: str) -> None:
    assert found(body, "unbalanced-emphasis") == []


def test_mojibake_letters_are_not_a_word() -> None:
    # curly quotes decoded as Mac Roman: the letters before `*` are not a word
    assert found("the hype of ‚Äú*look how they win,*‚Äù and so on.\n", "unbalanced-emphasis") == []


# ---------------------------------------------------------------------------------------------
# unbalanced-code


def test_unmatched_backtick() -> None:
    assert found("Run `make setup and wait.\n", "unbalanced-code") == [
        (
            "unbalanced-code",
            4,
            5,
            6,
            "This backtick has no closing match in its paragraph, so it shows as typed and no "
            "code is formatted; close the code with another backtick, or escape a literal "
            "backtick with a backslash.",
        )
    ]


def test_unclosed_fence_swallows_the_rest() -> None:
    body = "Intro.\n\n```python\nx = 1\n\nMore prose that is now code.\n"
    assert found(body, "unbalanced-code") == [
        (
            "unbalanced-code",
            6,
            1,
            4,
            "This code fence is never closed, so the rest of the post (3 lines) renders as code; "
            "add a closing ``` line after the code.",
        )
    ]


def test_closed_code_is_fine() -> None:
    body = "Use `a` and ``b ` c`` and \\` too, and `quoted' GNU style.\n\n~~~\ncode\n~~~\n"
    assert found(body, "unbalanced-code") == []


# ---------------------------------------------------------------------------------------------
# unbalanced-brackets


def test_unbalanced_brackets() -> None:
    assert where("Rates rose (as expected, then] fell.\n", "unbalanced-brackets") == [
        (4, 12, 13),
        (4, 30, 31),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Happy :) and sad :( and :-) and ;-)\n",
        "Three parts: a) the plan, b) the money, 1) first.\n",
        "(a) one and (b) two and [sic] here.\n",
        "A [link](https://example.com/a_(b)) and ![img](/x.png).\n",
        "See https://en.wikipedia.org/wiki/Python_(language for more.\n",
        "Code `f(` is fine.\n",
        "A value in the range (0, 100] or [0.5, ∞).\n",
        "Made by Example (https://example.com/), with care (see https://example.org/a_(b)).\n",
        "* \\[[`a1b2`](https://example.com/a1b2)] - **doc**: a change log line.\n",
        "<div>(raw</div>\n",
    ],
)
def test_brackets_left_alone(body: str) -> None:
    assert found(body, "unbalanced-brackets") == []


# ---------------------------------------------------------------------------------------------
# unbalanced-quotes


def test_unclosed_quote() -> None:
    assert found("She said, “We ship in March.\n", "unbalanced-quotes") == [
        (
            "unbalanced-quotes",
            4,
            11,
            12,
            "This opening quote “ is never closed in its paragraph; add the closing quote ” "
            "where the quotation ends.",
        )
    ]


def test_quotes_the_wrong_way_get_a_fix() -> None:
    diagnostics = lint("”Wrong,” he said, and “ouch“ she wrote.\n", "unbalanced-quotes")
    assert [(d.column, d.message) for d in diagnostics] == [
        (1, "This quotation starts with a closing quote ”; use an opening quote “ instead."),
        (28, "This quotation ends with an opening quote “; use a closing quote ” instead."),
    ]
    assert [d.fix[0].replacement for d in diagnostics if d.fix] == ["“", "”"]


def test_quotation_over_several_paragraphs_is_convention() -> None:
    body = "“The first part runs on.\n\n“The second part too.\n\n“And it ends here.”\n"
    assert found(body, "unbalanced-quotes") == []


def test_apostrophes_are_not_quotes() -> None:
    assert found("It’s the readers’ choice, ‘single’ or not.\n", "unbalanced-quotes") == []


# ---------------------------------------------------------------------------------------------
# list-numbering


BROKEN = """Questions:

1. Who pays?
- The buyers.
- The taxpayers.
1. Who gains?
2. How long?
"""


def test_list_cut_by_unindented_bullets() -> None:
    assert found(BROKEN, "list-numbering") == [
        (
            "list-numbering",
            9,
            1,
            3,
            "This list restarts at 1 because the unindented bullet list on lines 7–8 ended the "
            "numbered list above (line 6); indent it by 3 spaces so it belongs to item 1 and the "
            "numbering carries on.",
        )
    ]


def test_indented_bullets_keep_one_list() -> None:
    body = BROKEN.replace("- The", "   - The").replace("1. Who gains", "2. Who gains")
    body = body.replace("2. How long", "3. How long")
    assert found(body, "list-numbering") == []


def test_restart_after_image_and_code_names_both() -> None:
    body = "1. One\n\n![chart](/c.png)\n\n```\ncode\n```\n\n1. Two\n"
    messages = [m for *_, m in found(body, "list-numbering")]
    assert messages == [
        "This list restarts at 1 because the unindented image on line 6 and the unindented "
        "code block on lines 8–10 ended the numbered list above (line 4); indent them by 3 "
        "spaces so they belong to item 1 and the numbering carries on."
    ]


@pytest.mark.parametrize(
    "body",
    [
        "1. One\n2. Two\n\n## Next\n\n1. Again\n",
        "1. One\n2. Two\n\nA paragraph about something else.\n\n1. Again\n",
        "1. One\n1. One\n1. One\n",
        "1. One\n\n- bullet\n\n2. Two\n",  # renders as 2: the numbers are right
        "1. One\n\n<!-- split -->\n\n1. Again\n",
        "1) One\n\n- bullet\n\n1. Again\n",
    ],
)
def test_lists_left_alone(body: str) -> None:
    assert found(body, "list-numbering,list-number-sequence") == []


def test_a_list_after_a_list_from_zero_goes_on_counting() -> None:
    """0. 1. then an unindented code block then 2.: the page shows 0, 1, 2 as written."""
    body = "0. Zero\n1. One\n\n```\ncode\n```\n\n2. Two\n"
    assert found(body, "list-numbering") == []
    assert found(body.replace("2. Two", "1. Two"), "list-numbering")[0][1:4] == (11, 1, 3)


def test_a_list_that_goes_on_past_a_number_shows_the_gap() -> None:
    """1. 2. then a code block then 4.: the page shows steps 1, 2 and 4 (an error); the same
    numbers in one list show as 1, 2, 3 (advice only)."""
    body = "1. Fetch\n2. Build\n\n```\nmake\n```\n\n4. Ship\n5. Tell\n"
    assert found(body, "list-numbering,list-number-sequence") == [
        (
            "list-numbering",
            11,
            1,
            3,
            "This list goes on at 4 after the unindented code block on lines 7–9, but the "
            "numbered list above (lines 4–5) ends at 2, so the page skips 3; number this item 3.",
        )
    ]
    skips_two = [m for *_, m in found(body.replace("4. Ship\n5.", "5. Ship\n6."), "list-numbering")]
    assert skips_two[0].endswith("so the page skips 3 to 4; number this item 3.")
    assert where("1. Fetch\n2. Build\n4. Ship\n", "list-numbering") == []


def test_source_numbers_the_page_corrects_are_not_an_error() -> None:
    """1, 1, 2, 3 shows as 1, 2, 3, 4: the page is right, so list-numbering (an error: the
    page renders wrong) says nothing, and list-number-sequence gives style advice."""
    body = "1. a\n1. b\n2. c\n3. d\n"
    assert found(body, "list-numbering") == []
    assert found(body, "list-number-sequence") == [
        (
            "list-number-sequence",
            5,
            1,
            3,
            "The source numbers this list 1, 1, 2, 3 but the page shows 1, 2, 3, 4 (Markdown "
            "counts on from the first number): renumber the items as the page shows them.",
        )
    ]
    (diagnostic,) = lint(body, "list-number-sequence")
    assert diagnostic.severity == "info"
    assert [(e.span.line, e.span.column, e.replacement) for e in diagnostic.fix or ()] == [
        (5, 1, "2"),
        (6, 1, "3"),
        (7, 1, "4"),
    ]


def test_numbers_out_of_sequence() -> None:
    body = "1. a\n2. b\n2. c\n4. d\n\nText.\n\n1. x\n3. y\n\n- outer\n\n  5) a\n  7) b\n"
    assert [
        (line, column, end) for _, line, column, end, _ in found(body, "list-number-sequence")
    ] == [
        (6, 1, 3),
        (12, 1, 3),
        (17, 3, 5),
    ]
    messages = [m for *_, m in found(body, "list-number-sequence")]
    assert messages[2].startswith("The source numbers this list 5, 7 but the page shows 5, 6 ")


def test_renumbering_that_widens_a_number_has_no_fix() -> None:
    """`9.` to `10.` would need the text under the item indented one more column."""
    (diagnostic,) = lint("8. a\n9. b\n9. c\n   ```\n   code\n   ```\n", "list-number-sequence")
    assert (diagnostic.line, diagnostic.column, diagnostic.fix) == (6, 1, None)


# ---------------------------------------------------------------------------------------------
# heading-increment


def test_heading_skips_a_level() -> None:
    assert found("## A\n\n#### B\n", "heading-increment") == [
        (
            "heading-increment",
            6,
            1,
            7,
            "This h4 follows the h2 on line 4, skipping h3; make it an h3 (###).",
        )
    ]


def test_skipping_two_levels_names_both() -> None:
    assert [m for *_, m in found("## A\n\n##### B\n", "heading-increment")] == [
        "This h5 follows the h2 on line 4, skipping h3 and h4; make it an h3 (###)."
    ]


def test_first_heading() -> None:
    assert found("### Fine\n", "heading-increment") == []
    assert [m for *_, m in found("#### Deep\n", "heading-increment")] == [
        "The first heading is an h4, but the post title is the h1, so this skips a level; "
        "make it an h2 (##)."
    ]


def test_headings_going_back_up_are_fine() -> None:
    assert found("## A\n\n### B\n\n#### C\n\n## D\n\n### E\n", "heading-increment") == []


# ---------------------------------------------------------------------------------------------
# setext-heading


def test_text_above_a_section_break() -> None:
    body = "**Joel**\n\nThat is all from me.\n---\n\n**Meera**\n\nHello.\n"
    diagnostics = lint(body, "setext-heading")
    assert [(d.line, d.column, d.end_line, d.end_column, d.message) for d in diagnostics] == [
        (
            6,
            1,
            7,
            4,
            "The `---` on line 7 turns the text above it into a heading instead of a section "
            "break; add a blank line before the `---`.",
        )
    ]
    fix = diagnostics[0].fix
    assert fix is not None and diagnostics[0].fix_safe is False
    assert [(e.span.line, e.span.column, e.replacement) for e in fix] == [(7, 1, "\n")]


def test_setext_heading_in_a_post_with_breaks() -> None:
    body = "Intro.\n\n---\n\nAnd that is all from me\n---\n"
    assert where(body, "setext-heading") == [(8, 1, 4)]


def test_deliberate_setext_headings() -> None:
    body = "Introduction\n------------\n\nText.\n\nMethod\n---\n\nMore.\n"
    assert found(body, "setext-heading") == []
    # an underline as long as the title is deliberate even where `---` also breaks sections
    body = "Intro.\n\n---\n\n2.3.1 (2024-05-29)\n------------------\n"
    assert found(body, "setext-heading") == []


# ---------------------------------------------------------------------------------------------
# stray-emphasis


def test_bold_function_words() -> None:
    body = "Funds were forced **to be** holders for lack of **a** buyer.\n"
    assert found(body, "stray-emphasis") == [
        (
            "stray-emphasis",
            4,
            19,
            28,
            "Bold on `to be` looks left over from editing: they are function words that carry no "
            "weight; remove the `**`.",
        ),
        (
            "stray-emphasis",
            4,
            49,
            54,
            "Bold on `a` looks left over from editing: it is a function word that carries no "
            "weight; remove the `**`.",
        ),
    ]


def test_many_scattered_bold_words() -> None:
    body = "Funds **sold** while **savers** kept **buying** and **the** brokers cheered.\n"
    diagnostics = lint(body, "stray-emphasis")
    assert [(d.column, d.end_column) for d in diagnostics] == [(7, 15)]
    assert diagnostics[0].message == (
        "This paragraph has 4 bold phrases scattered through it (`sold`, `savers`, `buying`, "
        "`the`): they read like highlighting left over from editing; remove the bold, or keep "
        "it only where it must stand out."
    )
    assert all(d.severity == "warning" for d in diagnostics)


def test_bold_terms_names_and_labels_are_deliberate() -> None:
    """Bold that marks terms (no function word, no split word), a menu path, a credit list or
    a word of a script without spaces is not leftover highlighting."""
    bodies = [
        "Each result is a **node** in a graph, the **edges** are its **inputs**, and a "
        "**dependency graph** ties them together.\n",
        "Open **Settings** > **Accounts** > **Feeds** and tap **Save**.\n",
        "Thanks to **@asha**, **@ravi**, **@meena**, **@dev** and **@kiran** for their help.\n",
        "这是**重点**内容，也是**关键**所在。\n",
    ]
    for body in bodies:
        assert lint(body, "stray-emphasis") == [], body


def test_threshold_is_an_option() -> None:
    body = "Funds **sold** while **savers** kept **buying** and **the** brokers cheered.\n"
    options = "[formatting]\nstray-emphasis-threshold = 5\n"
    assert [d[2] for d in found(body, "stray-emphasis", options)] == [53]  # `**the**` alone


@pytest.mark.parametrize(
    "body",
    [
        "**Note:** the figures are provisional.\n",
        "**Meera**\n",
        "*A caption for the chart.*\n",
        "You *have* to ask, and it is *not* who you think.\n",
        "This was a **very** important point, and the **one** that mattered.\n",
        "Un*frigging*believable, and **not** what we wanted.\n",
        "Read *Dune*, *Emma*, *Ulysses* and *Beloved* this summer.\n",
        "It **does** work, and it needs an `Object` **and** a `Map`.\n",
        "Add workspace **b** as a dependency of workspace **a**.\n",
        "| Lint | Level |\n|------|-------|\n| **a** | **warn** |\n| **b** | **deny** |\n"
        "| **c** | **allow** |\n",
        "- The **pending** state, the **done** state, the **failed** and **retry** states.\n",
    ],
)
def test_emphasis_that_means_something(body: str) -> None:
    assert found(body, "stray-emphasis") == []


# ---------------------------------------------------------------------------------------------
# the family as a whole


def test_codes_names_and_severities() -> None:
    family = next(f for f in CATALOGUE.families if f.name == "formatting")
    assert {r.name: (r.code, r.severity) for r in family.rules} == {
        "unbalanced-emphasis": ("MK001", "error"),
        "unbalanced-code": ("MK002", "error"),
        "unbalanced-brackets": ("MK003", "error"),
        "unbalanced-quotes": ("MK004", "error"),
        "list-numbering": ("MK005", "error"),
        "heading-increment": ("MK006", "info"),
        "setext-heading": ("MK007", "error"),
        "stray-emphasis": ("MK008", "warning"),
        "list-number-sequence": ("MK009", "info"),
    }


def test_front_matter_is_not_prose() -> None:
    text = '+++\ntitle = "A (b **c"\n[extra]\nnote = "“x"\n+++\nClean text.\n'
    config = Config(select=("MK",))
    assert api.lint_text(text, config=config) == []


def test_cli_reports_the_family(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/post.md": HEAD + "Some **bold.\n"})
    result = run_cli("check", "content", "--select", "MK", "--no-cache", cwd=root)
    assert result.returncode == 1
    assert "content/post.md:4:6: MK001 This `**` opens bold" in result.stdout
