"""The text and terms families: positions, messages, fixes (re-linted), the real example post."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from postlint import api
from postlint.checks import text as text_checks
from postlint.config import Config, load_config
from postlint.model import Diagnostic
from postlint.parse import parse_post
from tests.conftest import write_site

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "posts"
EXAMPLE = Path("/work/shared/examples/multi-author-post.md")
HEAD = '+++\ntitle = "Notes"\n+++\n'


def lint(path: Path, select: str) -> list[Diagnostic]:
    return api.run_paths([path], Config(select=tuple(select.split(","))), jobs=1).diagnostics


def apply_fixes(text: str, diagnostics: list[Diagnostic], unsafe: bool = False) -> str:
    """Apply the non-overlapping edits of every fix, as ``--fix`` would."""
    edits = sorted(
        (e for d in diagnostics if d.fix and (d.fix_safe or unsafe) for e in d.fix),
        key=lambda e: (e.span.start, e.span.end),
    )
    out, pos = [], 0
    for edit in edits:
        if edit.span.start < pos:
            continue
        out += [text[pos : edit.span.start], edit.replacement]
        pos = edit.span.end
    return "".join([*out, text[pos:]])


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def lint_post(tmp_path: Path, body: str, select: str, name: str = "post.md") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_bytes((HEAD + body).encode("utf-8"))
    return lint(path, select)


# ---------------------------------------------------------------------------------------------
# Fixes on the CRLF fixtures: applying them leaves nothing to fix and keeps the line endings


@pytest.mark.parametrize(
    ("fixture", "rule", "left"),
    [
        ("text-mojibake-crlf", "mojibake", 0),
        ("text-repeated-crlf", "repeated-word", 0),
        # the non-breaking space between words and the soft hyphen have unsafe fixes only
        ("text-whitespace-crlf", "whitespace,extra-whitespace", 2),
        # "that.But" is an unsafe fix: the four glued words stay
        ("text-punctuation-crlf", "punctuation-spacing", 4),
    ],
)
def test_safe_fixes_leave_nothing_fixable(
    tmp_path: Path, fixture: str, rule: str, left: int
) -> None:
    source = read(FIXTURES / f"{fixture}.md")
    found = lint(FIXTURES / f"{fixture}.md", rule)
    assert found and all(d.fix for d in found)
    fixed = apply_fixes(source, found)
    assert fixed != source
    assert "\n" not in fixed.replace("\r\n", "")  # CRLF kept, no bare LF introduced
    path = tmp_path / f"{fixture}.md"
    path.write_bytes(fixed.encode("utf-8"))
    again = lint(path, rule)
    assert len(again) == left
    assert all(d.fix_safe is False for d in again)


def test_mojibake_fix_gives_back_the_typed_text(tmp_path: Path) -> None:
    found = lint(FIXTURES / "text-mojibake-crlf.md", "mojibake")
    fixed = apply_fixes(read(FIXTURES / "text-mojibake-crlf.md"), found)
    assert "We’re told the café opens at nine — maybe." in fixed
    assert "it’s “fine” and we’re done — mostly." in fixed
    assert "the end 🙂 and a gap\u00a0here" in fixed
    assert "`itâ€™s`" in fixed and "weâ€™re in a block" in fixed  # code untouched
    # every diagnostic points at exactly the damaged text its message quotes
    source = read(FIXTURES / "text-mojibake-crlf.md")
    for d in found:
        assert f"`{source[d.start : d.end]}`" in d.message.replace("\uf8ff", "") or (
            source[d.start : d.end].startswith("\uf8ff")
        )


def test_repeated_word_fix_removes_the_second_word(tmp_path: Path) -> None:
    found = lint_post(tmp_path, "It was written by the\nthe team, and the the end.\n", "TXT002")
    assert [(d.line, d.column, d.end_column) for d in found] == [(5, 1, 4), (5, 19, 22)]
    fixed = apply_fixes(HEAD + "It was written by the\nthe team, and the the end.\n", found)
    assert fixed.endswith("It was written by the team, and the end.\n")


def test_repeated_word_option_allows_more_doubles(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"content/post.md": HEAD + "He laughed: ha ha. We saw the the end.\n"},
        config='[text]\nallow-repeated = ["the"]\n',
    )
    assert api.lint_paths([root / "content"], None) == []


# ---------------------------------------------------------------------------------------------
# Messages and exact positions on small posts


def test_trailing_whitespace_keeps_hard_breaks(tmp_path: Path) -> None:
    body = "two  \nthree   \nlast  \n"
    found = lint_post(tmp_path, body, "extra-whitespace")
    assert [(d.line, d.column, d.end_column, d.message) for d in found] == [
        (
            5,
            6,
            9,
            "Trailing whitespace at the end of the line: trim it to two spaces if you "
            "meant a line break.",
        ),
        (6, 5, 7, "Trailing whitespace at the end of the line: remove it."),
    ]
    assert apply_fixes(HEAD + body, found) == HEAD + "two  \nthree  \nlast\n"


def test_double_space_before_a_link_is_found(tmp_path: Path) -> None:
    body = 'Tag us on  [Twitter](https://x.com/a "a  title").\n'
    found = lint_post(tmp_path, body, "extra-whitespace")
    assert [(d.line, d.column, d.end_column, d.message) for d in found] == [
        (4, 10, 12, "2 spaces between words: use one.")
    ]


def test_quote_style_is_quiet_when_the_generator_curls_quotes(tmp_path: Path) -> None:
    post = {"content/post.md": HEAD + "It’s late, but it's fine.\n"}
    plain = write_site(tmp_path / "plain", post)
    smart = write_site(
        tmp_path / "smart",
        post,
        site_config='base_url = "https://example.org"\n[markdown]\nsmart_punctuation = true\n',
    )
    config = Config(select=("quote-style",))
    assert [d.rule for d in api.lint_paths([plain / "content"], config)] == ["quote-style"]
    assert api.lint_paths([smart / "content"], config) == []


def test_punctuation_spacing_leaves_numbers_abbreviations_and_code(tmp_path: Path) -> None:
    body = (
        "Pi is 3.14, 1,000 sold, e.g. now, U.S. firms, report.csv, example.com, wait ...\n"
        "Smile :) then `x ,y` and https://example.com/a.B today.\n"
    )
    assert lint_post(tmp_path, body, "punctuation-spacing") == []


def test_prose_maps_joined_offsets_back_to_the_file() -> None:
    post = parse_post(HEAD + "a *bold* word\nnext `code` end\n")
    prose = text_checks.Prose(post)
    assert prose.text == "a \x00bold\x00 word\nnext \x00 end"
    for i, char in enumerate(prose.text):
        if char not in "\x00\n":
            assert post.text[prose.file(i)] == char


def test_clean_typography_is_not_even_suspected() -> None:
    post = parse_post(HEAD + "A dash — and “quotes”… ’” and —— and café, naïve.\n")
    assert list(text_checks._suspects(text_checks.Prose(post))) == []
    assert text_checks.repairs(post) == ()


# ---------------------------------------------------------------------------------------------
# Terms


def test_terms_preferred_option_and_quiet_cases(tmp_path: Path) -> None:
    body = (
        "## Open-Source Models\n\n"
        "The open-source model. Send an e-mail; email works. The market and the market.\n"
        "We re-sign the lease and resign the post. AI and Ai are not compared in capitals: AI.\n"
    )
    root = write_site(
        tmp_path, {"content/post.md": HEAD + body}, config='[terms]\npreferred = ["email"]\n'
    )
    config = load_config(root / "postlint.toml", api.catalogue().families).with_overrides(
        select=("term-inconsistent",)
    )
    found = api.lint_paths([root / "content"], config)
    assert [(d.line, d.column, d.end_column, d.message) for d in found] == [
        (
            6,
            32,
            38,
            "This post writes `e-mail` 1 time and `email` 1 time: write `email` "
            "(your preferred spelling).",
        ),
    ]
    assert found[0].fix_safe is False


# ---------------------------------------------------------------------------------------------
# The real post shared with the project (read in place, never copied)

needs_example = pytest.mark.skipif(not EXAMPLE.exists(), reason="the shared example post is absent")
MAC_ROMAN_RUN = re.compile("(?:‚Ä.|¬†|\uf8ff...)+")


@needs_example
def test_example_post_every_damaged_run_found_and_repaired(tmp_path: Path) -> None:
    source = read(EXAMPLE)
    found = lint(EXAMPLE, "mojibake")
    runs = [m.span() for m in MAC_ROMAN_RUN.finditer(source)]
    # damaged throughout: one finding at the first run, whose fix repairs every run
    (whole,) = found
    assert (whole.start, whole.end) == runs[0]
    assert [(e.span.start, e.span.end) for e in whole.fix or ()] == runs
    assert whole.message.startswith(
        f"This post has {len(runs)} stretches of damaged text (UTF-8 read as Mac Roman), the "
        "first here: `‚Äô` should read `’`"
    )
    fixed = apply_fixes(source, found)
    typed = MAC_ROMAN_RUN.sub(lambda m: m.group().encode("mac_roman").decode("utf-8"), source)
    assert fixed == typed
    path = tmp_path / "fixed.md"
    path.write_bytes(fixed.encode("utf-8"))
    assert lint(path, "mojibake") == []
    # the repaired non-breaking spaces sit next to ordinary spaces: extra-whitespace sees them
    nbsp = [d for d in lint(path, "extra-whitespace") if "non-breaking" in d.message]
    assert len(nbsp) == 3


@needs_example
def test_example_post_findings_per_rule() -> None:
    found = lint(EXAMPLE, "TXT,TRM")
    counts = Counter(d.rule for d in found)
    assert "footnote-as-text" not in counts
    assert counts == {
        "mojibake": 1,  # the whole post went through a wrong decode: one finding, one fix
        "term-inconsistent": 1,  # one per term (start-up is in a linked headline: not counted)
        "extra-whitespace": 3,
        "punctuation-spacing": 3,
        "quote-style": 1,
    }
    terms = [d for d in found if d.rule == "term-inconsistent"]
    (deepseek,) = [d for d in terms if "Deepseek" in d.message]
    assert deepseek.message == (
        "This post writes `Deepseek` 15 times and `DeepSeek` 12 times: write `DeepSeek` "
        "(as in the title), here and in 14 more places."
    )
    assert len(deepseek.fix or ()) == 15 and deepseek.fix_safe is False
    glued = sorted(d.message for d in found if d.message.startswith("No space"))
    assert glued == [
        "No space after `.` before `So`: add one.",
        "No space after `.` before `The`: add one.",
    ]


def test_mac_roman_emoji_is_found_next_to_other_damage(tmp_path: Path) -> None:
    found = lint_post(tmp_path, "It‚Äôs done \uf8ffüôÇ and caf√© too.\n", "mojibake")
    assert [(d.column, d.end_column, d.fix[0].replacement if d.fix else None) for d in found] == [
        (3, 6, "’"),
        (13, 17, "🙂"),
        (25, 27, "é"),
    ]
    assert found[1].message == (
        "`<U+F8FF>üôÇ` is damaged text (UTF-8 read as Mac Roman): it should read `🙂`."
    )


def test_latin1_damage_with_control_characters_is_spelled_out(tmp_path: Path) -> None:
    body = "It\u00e2\u0080\u0099s done, a gap\u00c2\u00a0here.\n"
    found = lint_post(tmp_path, body, "mojibake,whitespace")
    assert [(d.rule, d.column, d.end_column, d.message) for d in found] == [
        (
            "mojibake",
            3,
            6,
            "`â<U+0080><U+0099>` is damaged text (UTF-8 read as Latin-1): it should read `’`.",
        ),
        (
            "mojibake",
            19,
            21,
            "`Â<U+00A0>` is damaged text (UTF-8 read as Latin-1): it should read a non-breaking "
            "space.",
        ),
    ]


def test_title_case_title_suggests_the_lowercase_spelling(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        '+++\ntitle = "Why Email Matters"\n+++\nSend an e-mail. An email is enough.\n',
        encoding="utf-8",
    )
    found = lint(path, "term-inconsistent")
    assert [(d.column, d.end_column, d.message) for d in found] == [
        (
            9,
            15,
            "This post writes `e-mail` 1 time and `email` 1 time: write `email` (as in the title).",
        ),
    ]
    assert found[0].fix and found[0].fix[0].replacement == "email"


def test_french_spacing_before_high_punctuation_is_left_alone(tmp_path: Path) -> None:
    """French puts a space before : ; ! ? (the French side of a site, a `lang`, or a post that
    spaces those marks throughout); a space before a comma is still a slip there."""
    french = "Quel est le coût ? Voici la réponse : rien , vraiment.\n"
    root = write_site(
        tmp_path,
        {
            "content/fr/a.md": HEAD + french,
            "content/b.md": '+++\ntitle = "B"\nlang = "fr-CA"\n+++\n' + french,
            "content/c.md": HEAD + "Vraiment ? Oui : non ! Bien ; merci ? Really ?\n",
            "content/d.md": HEAD + "Really ? Yes.\n",
        },
    )
    found = api.lint_paths([root / "content"], Config(select=("punctuation-spacing",)))
    assert [(Path(d.path).name, d.column, d.message) for d in found] == [
        ("b.md", 43, "A space before `,`: remove it."),
        ("d.md", 7, "A space before `?`: remove it."),
        ("a.md", 43, "A space before `,`: remove it."),
    ]


def test_a_spaced_ratio_is_not_a_space_before_a_colon(tmp_path: Path) -> None:
    """`20 : 80` is a ratio; `said : yes` is a slip."""
    path = tmp_path / "ratio.md"
    text = "Split traffic (20 : 80) for a day: then all. Note: he said : yes.\n"
    path.write_text(HEAD + text, encoding="utf-8")
    found = lint(path, "punctuation-spacing")
    assert [(d.line, d.column, d.end_column, d.message) for d in found] == [
        (4, 59, 61, "A space before `:`: remove it."),
    ]
