"""Readability: scores per author section, long sentences and paragraphs, and no downloads."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import textstat

from postlint import api
from postlint.checks import readability
from postlint.checks.readability import FAMILY, Readability, score_post
from postlint.config import Config
from postlint.model import AuthorForm, AuthorSection, Post
from postlint.parse import parse_post
from postlint.prose import paragraphs, sentence_bounds
from postlint.rule import Context, SiteInfo

SIMPLE = (
    "The cat sat on the mat. It was a sunny day, and everyone was happy about the weather. "
    "Dogs barked loudly!"
)
DENSE = (
    "Notwithstanding considerable institutional heterogeneity, macroeconomic stabilisation "
    "necessitates comprehensive intergovernmental coordination, particularly regarding "
    "countercyclical fiscal interventions and prudential regulatory architecture. "
    "Consequently, policymakers increasingly acknowledge that idiosyncratic vulnerabilities "
    "fundamentally undermine conventional administrative responsiveness. Simultaneously, "
    "international organisations characterise systematic institutional deficiencies as "
    "substantially contributing to persistent socioeconomic inequality and intergenerational "
    "immobility. Nevertheless, comprehensive evaluation methodologies remain underdeveloped, "
    "notwithstanding considerable methodological sophistication and institutional enthusiasm."
)
EASY = " ".join(["We met on Monday. The plan is good. We will try it next week."] * 8)


def post_of(body: str) -> Post:
    return parse_post(f'+++\ntitle = "x"\n+++\n{body}\n', "post.md")


def context(**options: object) -> Context:
    site = SiteInfo(Path("."), "zola", Path("content"), None)
    return Context({**FAMILY.defaults(), **options}, site, Config())


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_bounds(text)]


def test_sentences_split_at_ends_but_not_at_abbreviations_or_decimals() -> None:
    text = (
        "Mr. Smith paid $5.6bn, e.g. for chips. “Is it real?” she asked. Yes! "
        "The U.S. team agreed, i.e. mostly (see p. 4). Done"
    )
    assert split(text) == [
        "Mr. Smith paid $5.6bn, e.g. for chips.",
        "“Is it real?”",
        "she asked.",
        "Yes!",
        "The U.S. team agreed, i.e. mostly (see p. 4).",
        "Done",
    ]


def test_scores_match_textstat_with_its_own_syllable_counter() -> None:
    score = score_post(post_of(SIMPLE), "cmudict")[0]
    assert (score.words, score.sentence_count, score.syllables) == (21, 3, 28)
    assert score.value("flesch-reading-ease") == round(textstat.flesch_reading_ease(SIMPLE), 1)
    assert score.value("flesch-kincaid-grade") == round(textstat.flesch_kincaid_grade(SIMPLE), 1)


def test_code_links_and_headings_are_not_scored() -> None:
    post = post_of(f"# A very long heading\n\n{SIMPLE} `some code here` [link](https://x.org/a)")
    score = score_post(post)[0]
    assert score.words == 22  # SIMPLE's 21 and the link text


def test_a_dense_post_is_reported_at_its_first_paragraph_spanning_the_prose() -> None:
    body = f"{DENSE}\n\n{DENSE.replace('Consequently', 'Hence')}"
    post = post_of(body)
    [finding] = Readability().check(post, context())
    start = post.text.index("Notwithstanding")
    assert (finding.span.start, finding.span.end) == (start, len(post.text) - 1)
    assert finding.message == (
        "This post has a Flesch reading ease of -135.3, below the threshold of 30: start with "
        "its longest sentences, “Notwithstanding considerable institutional heterogeneity, m…” "
        "(19 words) and “Notwithstanding considerable institutional heterogeneity, m…” (19 words)."
    )


def test_short_or_easy_prose_is_not_reported() -> None:
    assert list(Readability().check(post_of(EASY), context())) == []
    plain = " ".join(["we met on the hill and then we went down to the town for tea"] * 5) + "."
    assert list(Readability().check(post_of(plain), context())) == []  # long, not dense


JARGON = (
    "Notwithstanding considerable institutional heterogeneity, macroeconomic stabilisation "
    "necessitates comprehensive intergovernmental coordination regarding countercyclical "
    "fiscal interventions, monetary accommodation and prudential regulatory architecture, "
    "particularly wherever domestic constituencies perceive disproportionate obligations."
)


def test_one_dense_sentence_is_reported_even_in_a_section_too_short_to_score() -> None:
    post = post_of(f"We met on Monday. {JARGON} Then we went home.")
    [finding] = Readability().check(post, context())
    start = post.text.index("Notwithstanding")
    assert (finding.span.start, finding.span.end) == (start, start + len(JARGON))
    assert (finding.span.line, finding.span.column) == (4, 19)
    assert finding.message == (
        "This sentence reads at a grade level of 40 (27 words of 3.8 syllables on average): "
        "few readers get through it; split it and use plainer words."
    )
    # the same sentence inside a section that is scored and flagged is named by that finding
    [section] = Readability().check(post_of(DENSE), context(**{"min-words": 50}))
    assert section.message.startswith("This post has a Flesch reading ease of ")


def test_quotations_in_block_quotes_are_not_scored_and_the_finding_says_so() -> None:
    quoted = f"As the report put it:\n\n> {DENSE}\n\n{EASY}"
    assert list(Readability().check(post_of(quoted), context(**{"min-words": 50}))) == []
    own = f"{DENSE}\n\n> {EASY}"
    [finding] = Readability().check(post_of(own), context(**{"min-words": 50}))
    assert finding.message.endswith("(112 words quoted in block quotes are not scored.)")
    post = post_of(own)
    assert (finding.span.start, finding.span.end) == (
        post.text.index("Notwithstanding"),
        post.text.index("> ") - 2,
    )


def test_grade_level_metric_and_threshold() -> None:
    post = post_of(EASY)
    assert list(Readability().check(post, context(metric="flesch-kincaid-grade"))) == []
    grade = context(metric="flesch-kincaid-grade", threshold=-2.0)
    [finding] = Readability().check(post, grade)
    assert finding.message.startswith(
        "This post has a grade level of -1.1, above the threshold of -2: start with its longest "
        "sentences, “We will try it next week.” (6 words)"
    )


def with_sections(post: Post, names: list[str]) -> Post:
    """The post with author sections at each ``**Name**`` line (as the author parser gives)."""
    starts = [post.text.index(f"**{name}**") for name in names]
    ends = [*starts[1:], len(post.text)]
    sections = []
    for name, start, end in zip(names, starts, ends, strict=True):
        line_end = post.text.index("\n", start)
        sections.append(
            AuthorSection(
                name,
                "",
                AuthorForm("bold"),
                post.span(start, line_end),
                post.span(start + 2, line_end - 2),
                post.span(start, end),
            )
        )
    return dataclasses.replace(post, authors=tuple(sections))


def test_each_author_section_is_scored_and_reported_at_its_author_line() -> None:
    post = with_sections(post_of(f"**Ana**\n\n{EASY}\n\n**Ben**\n\n{DENSE}"), ["Ana", "Ben"])
    scores = score_post(post)
    assert [s.author for s in scores] == ["Ana", "Ben"]
    [finding] = Readability().check(post, context(**{"min-words": 50}))
    ben = post.text.index("**Ben**")
    assert (finding.span.start, finding.span.end) == (ben, len(post.text) - 1)
    assert finding.message.startswith("Ben’s section has a Flesch reading ease of ")


def test_etc_ends_a_sentence_when_a_capital_follows() -> None:
    text = "We sell apples, pears, etc. The shop opens at nine. Fruit etc. is fresh, says Acme Inc."
    assert split(text) == [
        "We sell apples, pears, etc.",
        "The shop opens at nine.",
        "Fruit etc. is fresh, says Acme Inc.",
    ]


def test_escapes_and_entities_join_the_words_they_split() -> None:
    post = post_of("We\\'ve said it isn&#x27;t so &mdash; and *that\\*s* fine.")
    [paragraph] = paragraphs(post)
    assert paragraph.text == "We've said it isn't so — and that*s fine."
    apostrophe = paragraph.text.index("'")
    assert post.text[paragraph.offset(apostrophe)] == "\\"  # the escape's place in the file
    assert post.text[paragraph.offset(apostrophe + 1) :].startswith("ve said")


def test_sentence_and_paragraph_length_are_style_rules_off_by_default() -> None:
    long_sentence = "We " + "saw the quick brown fox jump over a lazy dog and then " * 4 + "left."
    text = f'+++\ntitle = "x"\n+++\n{long_sentence}\n'
    assert api.lint_text(text, None, Config()) == []
    on = Config(extend_select=("sentence-length",))
    assert [d.rule for d in api.lint_text(text, None, on)] == ["sentence-length"]


def test_length_rules_leave_quotations_and_tables_alone() -> None:
    long_sentence = " ".join(["word"] * 41) + "."
    table = "| a | b |\n|---|---|\n| " + " ".join(["cell"] * 45) + " | x |"
    text = f'+++\ntitle = "x"\n+++\n> {long_sentence}\n\n{table}\n\nOwn {long_sentence}\n'
    config = Config(
        select=("sentence-length", "paragraph-length"),
        tables={"readability": {"max-paragraph-words": 30}},
    )
    found = [(d.rule, d.line, d.column) for d in api.lint_text(text, None, config)]
    assert found == [("sentence-length", 10, 1), ("paragraph-length", 10, 1)]


def test_init_offers_the_style_rules_commented(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text('+++\ntitle = "x"\n+++\nHello.\n')
    result = run_cli("init", str(tmp_path), "--stdout")
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.split("\n") if x.startswith("# extend-select = [")]
    assert '"sentence-length"' in line and '"paragraph-length"' in line


def test_sentence_and_paragraph_length_positions(tmp_path: Path) -> None:
    long_sentence = " ".join(["word"] * 41) + "."
    text = f'+++\ntitle = "x"\n+++\nShort one. {long_sentence} Short again.\n'
    diagnostics = api.lint_text(text, None, Config(select=("sentence-length",)))
    [d] = diagnostics
    assert text[d.start : d.end] == long_sentence
    assert (d.line, d.column) == (4, 12)
    assert (
        d.message == "This sentence has 41 words, more than 40: split it where the thought turns."
    )
    config = Config(
        select=("paragraph-length",), tables={"readability": {"max-paragraph-words": 5}}
    )
    [d] = api.lint_text(text, None, config)
    assert text[d.start : d.end] == text[text.index("Short one") : -1]
    assert d.message == "This paragraph has 45 words, more than 5: break it where the topic turns."


def test_syllables_are_counted_once_per_distinct_word() -> None:
    table = readability.syllable_table("pyphen")
    table.clear()
    score_post(post_of(EASY))
    distinct = {w.lower().strip(".") for p in paragraphs(post_of(EASY)) for w in p.text.split()}
    assert set(table) == distinct
    assert table["monday"] == 2 and readability.syllables("monday") == 2


def test_nothing_is_downloaded_and_nltk_is_never_imported(tmp_path: Path) -> None:
    """Every prose rule runs with the network cut off, and textstat never reaches for NLTK."""
    post = tmp_path / "post.md"
    post.write_text(f'+++\ntitle = "x"\n+++\n{DENSE} teh\n', encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network use attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from postlint import api
        from postlint.config import Config
        for counter in ("pyphen", "cmudict"):
            config = Config(
                select=("SPL", "RDB"),
                tables={{"readability": {{"syllables": counter, "min-words": 10}}}},
            )
            found = api.lint_text(open({str(post)!r}).read(), None, config)
            assert sorted(d.rule for d in found) == ["readability", "spelling"], found
        assert "nltk" not in sys.modules, "nltk was imported"
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_options_from_a_configuration_file(tmp_path: Path) -> None:
    config_file = tmp_path / "postlint.toml"
    config_file.write_text(
        '[readability]\nmetric = "flesch-kincaid-grade"\nthreshold = -2\nmin-words = 50\n',
        encoding="utf-8",
    )
    config = api.resolve_config(tmp_path, config_file, api.catalogue())
    text = f'+++\ntitle = "x"\n+++\n{EASY}\n'
    [d] = api.lint_text(text, None, config.with_overrides(select=("readability",)))
    assert d.message.startswith("This post has a grade level of -1.1, above the threshold of -2:")
    assert (d.line, d.column, d.end_line) == (4, 1, 4)
