"""Readability: scores per author section, and sentences and paragraphs too long to read well."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from postlint.model import Finding, Post
from postlint.prose import (
    WORD,
    Paragraph,
    Sentence,
    count_words,
    paragraphs,
    sentences,
    squeeze,
)
from postlint.rule import Context, Family, Option, Rule

METRICS = ("flesch-reading-ease", "flesch-kincaid-grade")
DEFAULT_THRESHOLDS = {"flesch-reading-ease": 30.0, "flesch-kincaid-grade": 14.0}
METRIC_NAMES = {"flesch-reading-ease": "Flesch reading ease", "flesch-kincaid-grade": "grade level"}


# ---------------------------------------------------------------------------------------------
# Syllables: counted once per distinct word and process


@cache
def _hyphenator() -> Any:
    import pyphen  # type: ignore[import-untyped]

    return pyphen.Pyphen(lang="en_US")


def _count(word: str, counter: str) -> int:
    if not any(c.isalpha() for c in word):
        return 1
    if counter == "cmudict":
        import textstat  # type: ignore[import-untyped]

        return max(int(textstat.syllable_count(word)), 1)
    return len(_hyphenator().positions(word)) + 1


class SyllableTable(dict[str, int]):
    """Syllables per lower-case word, counted the first time a word is asked for."""

    def __init__(self, counter: str) -> None:
        super().__init__()
        self.counter = counter

    def __missing__(self, word: str) -> int:
        value = self[word] = _count(word, self.counter)
        return value


@cache
def syllable_table(counter: str = "pyphen") -> SyllableTable:
    """The process's table for a counter.

    ``cmudict`` is textstat's own count (``textstat.syllable_count``: the CMU dictionary, then
    pyphen for words it lacks), but loading the CMU dictionary takes ~1.4 s. ``pyphen`` counts
    hyphenation points as textstat does for words missing from cmudict; it loads in ~0.1 s and
    keeps one post under a second. Each distinct word is counted once per process.
    """
    return SyllableTable(counter)


def syllables(word: str, counter: str = "pyphen") -> int:
    return syllable_table(counter)[word]


@dataclass(frozen=True)
class Score:
    """The numbers behind a readability score for one author section (or a whole post)."""

    author: str  # "" for a post without sections
    report: int  # where a finding about it starts: the author line, or the first paragraph
    start: int  # file offsets of what was scored
    end: int
    words: int
    sentence_count: int
    syllables: int
    paragraphs: tuple[Paragraph, ...]
    quoted: int = 0  # words in block quotes, left out: the writer cannot edit a quotation

    def value(self, metric: str) -> float:
        return _metric(metric, self.words, self.sentence_count, self.syllables)

    def sentences(self) -> list[Sentence]:
        return [sentence for paragraph in self.paragraphs for sentence in sentences(paragraph)]


def _metric(metric: str, words: int, sentences: int, syllable_total: int) -> float:
    per_sentence = max(words, 1) / max(sentences, 1)
    per_word = syllable_total / max(words, 1)
    if metric == "flesch-kincaid-grade":
        return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)


def _units(post: Post) -> list[tuple[str, int, int, int]]:
    """(author, start, end, report start) of each part scored on its own."""
    sections = sorted(post.authors, key=lambda s: s.span.start)
    if not sections:
        return [("", post.body.start, len(post.text), post.body.start)]
    units = []
    first = sections[0].span.start
    if first > post.body.start:
        units.append(("", post.body.start, first, post.body.start))
    for section in sections:
        units.append(
            (section.author, section.line_span.end, section.span.end, section.line_span.start)
        )
    return units


def score_post(post: Post, counter: str = "pyphen") -> list[Score]:
    """Scores of each author section (the whole post when it has none): prose paragraphs
    only, and not those in block quotes (someone else's words, which the writer cannot edit)."""
    prose = [p for p in paragraphs(post) if p.kind == "paragraph"]
    starts = [p.start for p in prose]  # in document order: a section's are one slice
    scores = []
    for author, start, end, report in _units(post):
        section = prose[bisect_left(starts, start) : bisect_left(starts, end)]
        inside = [p for p in section if not p.quoted]
        quoted = sum(p.words for p in section if p.quoted)
        if not inside:
            continue
        report = report if author else inside[0].start
        table = syllable_table(counter)
        words = syllable_total = sentence_count = 0
        for paragraph in inside:
            words += paragraph.words
            syllable_total += sum(map(table.__getitem__, paragraph.tokens))
            sentence_count += len(paragraph.bounds)
        scores.append(
            Score(
                author,
                report,
                inside[0].start,
                inside[-1].end,
                words,
                sentence_count,
                syllable_total,
                tuple(inside),
                quoted,
            )
        )
    return scores


def sentence_grade(sentence: Sentence, counter: str = "pyphen") -> float:
    """The Flesch–Kincaid grade level of one sentence."""
    tokens = WORD.findall(sentence.text.lower())
    table = syllable_table(counter)
    return _metric("flesch-kincaid-grade", len(tokens), 1, sum(map(table.__getitem__, tokens)))


# ---------------------------------------------------------------------------------------------
# Rules


class Readability(Rule):
    """
    ## What it does
    Scores each author section (the whole post when it has none) with the Flesch reading ease
    (or the Flesch–Kincaid grade level) and flags one that is harder to read than the
    threshold, naming its two longest sentences as the place to start. Only prose paragraphs
    count: headings, code, tables, lists of links and front matter are left out, and so are
    quotations in block quotes, which the writer cannot edit (the finding says how many words
    it left out). Sections shorter than `min-words` are not scored, but a single sentence so
    dense that few readers get through it (a grade level past 25, in words of two syllables or
    more on average) is reported on its own, as an editor would mark it.

    ## Why is this bad?
    Dense text loses readers. A reading ease below 30 is the level of academic papers.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    Notwithstanding considerable institutional heterogeneity, macroeconomic stabilisation
    necessitates comprehensive intergovernmental coordination, particularly regarding
    countercyclical fiscal interventions, monetary accommodation, and prudential regulatory
    architecture. Consequently, policymakers increasingly acknowledge that idiosyncratic
    vulnerabilities, intensified by financial globalisation, fundamentally undermine
    conventional administrative responsiveness. Simultaneously, international organisations
    characterise systematic institutional deficiencies as substantially contributing to
    persistent socioeconomic inequality, intergenerational immobility, and environmental
    deterioration. Nevertheless, comprehensive evaluation methodologies remain
    underdeveloped, notwithstanding considerable methodological sophistication. Accordingly,
    multilateral institutions increasingly prioritise evidence-based policymaking,
    emphasising transparency, accountability, and participatory deliberation, although
    implementation capabilities frequently remain constrained by bureaucratic fragmentation
    and insufficient administrative capacity. Furthermore, intergovernmental negotiations
    concerning supranational regulatory harmonisation persistently encounter jurisdictional
    disagreements, institutional inertia, and considerable distributional controversy,
    particularly wherever domestic constituencies perceive disproportionate adjustment
    obligations. Correspondingly, academic commentators recommend incremental, experimentally
    evaluated institutional modifications rather than comprehensive, simultaneously
    implemented organisational transformations.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    Countries differ, but they all need to work together to keep their economies steady. They
    have to agree on taxes, on interest rates and on how banks are watched. More and more,
    leaders see that weak spots at home get worse when money moves freely across borders. Big
    agencies say that these gaps keep people poor and hurt the planet. We still lack good ways
    to measure how well any of this works, even though the tools keep getting better. That is
    the hard part, and it is where we should start. So the big groups now ask for proof before
    they act. They want plans in the open, with clear owners and a say for the people they
    touch. Yet much of this stalls, because each office holds one piece and none has the
    staff to do it all.
    ```

    ## Options
    `metric` (`flesch-reading-ease` or `flesch-kincaid-grade`), `threshold` (default 30 for
    reading ease, flagged below it; 14 for the grade level, flagged above it), `min-words`,
    `syllables` (`pyphen`, fast; `cmudict`, textstat's own counting, ~1.4 s to load).
    """

    code = "RDB001"
    name = "readability"
    summary = "An author section is hard to read"
    severity = "info"
    languages = ("en",)

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        metric = str(ctx.options["metric"])
        threshold = ctx.options["threshold"]
        limit = float(threshold) if threshold is not None else DEFAULT_THRESHOLDS[metric]
        minimum = int(ctx.options["min-words"])
        counter = str(ctx.options["syllables"])
        for score in score_post(post, counter):
            value = score.value(metric)
            harder = value > limit if metric == "flesch-kincaid-grade" else value < limit
            if score.words >= minimum and harder:
                message = _message(score, metric, value, limit)
                yield self.finding(post.span(score.report, score.end), message)
                continue
            dense = _densest(score, counter)
            if dense is not None:
                sentence, grade = dense
                yield self.finding(
                    post.span(sentence.start, sentence.end),
                    f"This sentence reads at a grade level of {grade:g} ({sentence.words} words "
                    f"of {_per_word(sentence, counter):.1f} syllables on average): few readers "
                    "get through it; split it and use plainer words.",
                )


DENSE_GRADE = 25.0  # a sentence past this grade level, in long words, loses nearly everyone
DENSE_SYLLABLES = 2.0  # syllables a word: long words, not merely a long sentence


def _per_word(sentence: Sentence, counter: str) -> float:
    tokens = WORD.findall(sentence.text.lower())
    table = syllable_table(counter)
    return sum(map(table.__getitem__, tokens)) / max(len(tokens), 1)


def _densest(score: Score, counter: str) -> tuple[Sentence, float] | None:
    """The hardest sentence of a section, when it is dense enough to report on its own (even
    in a section too short to score): past ``DENSE_GRADE`` in words of two syllables or more."""
    worst: tuple[Sentence, float] | None = None
    for sentence in score.sentences():
        if sentence.words < 10 or _per_word(sentence, counter) < DENSE_SYLLABLES:
            continue
        grade = sentence_grade(sentence, counter)
        if grade >= DENSE_GRADE and (worst is None or grade > worst[1]):
            worst = (sentence, grade)
    return worst


def _message(score: Score, metric: str, value: float, limit: float) -> str:
    where = f"{score.author}’s section" if score.author else "This post"
    comparison = "above" if metric == "flesch-kincaid-grade" else "below"
    longest = sorted(score.sentences(), key=lambda s: -s.words)[:2]
    quoted = " and ".join(f"“{squeeze(s.text, 60)}” ({s.words} words)" for s in longest)
    left_out = (
        f" ({score.quoted} words quoted in block quotes are not scored.)" if score.quoted else ""
    )
    return (
        f"{where} has a {METRIC_NAMES[metric]} of {value:g}, {comparison} the threshold of "
        f"{limit:g}: start with its longest sentences, {quoted}.{left_out}"
    )


class SentenceLength(Rule):
    """
    ## What it does
    Flags a sentence of the prose with more words than `max-sentence-words` (default 40).

    ## Why is this bad?
    Readers lose the thread of a long sentence before its end; two short ones read faster.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    The report that the central bank published on Monday morning after a long meeting of its
    board explains in some detail why the committee decided to keep rates where they were
    for another quarter even though prices rose faster than expected in the spring.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    The central bank published its report on Monday, after a long board meeting. It explains
    why rates stay where they are for another quarter, even though prices rose faster than
    expected in the spring.
    ```

    Style advice, off by default: turn it on with `extend-select = ["sentence-length"]`.
    Quotations in block quotes are left alone (the writer cannot shorten them), and so are
    tables.

    ## Options
    `max-sentence-words` in `[readability]` (default 40). Sentences are split at `.`, `!`, `?`
    and `…`, not after abbreviations (`e.g.`, `Mr.`) or initials; `etc.` ends a sentence when
    a capital follows it.
    """

    code = "RDB002"
    name = "sentence-length"
    summary = "A sentence is too long"
    severity = "info"
    languages = ("en",)
    default = False

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        limit = int(ctx.options["max-sentence-words"])
        for paragraph in paragraphs(post):
            if paragraph.kind != "paragraph" or paragraph.quoted or paragraph.words <= limit:
                continue
            text = paragraph.text
            for start, end in paragraph.bounds:
                if end - start < 2 * limit + 1:
                    continue  # n words take at least 2n - 1 characters
                words = count_words(text[start:end])
                if words > limit:
                    span = post.span(paragraph.offset(start), paragraph.offset(end, end=True))
                    yield self.finding(
                        span,
                        f"This sentence has {words} words, more than {limit}: split it "
                        "where the thought turns.",
                    )


class ParagraphLength(Rule):
    """
    ## What it does
    Flags a paragraph with more words than `max-paragraph-words` (default 200).

    ## Why is this bad?
    A wall of text on a screen makes readers skim; a break gives them a place to rest.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    {long}
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    {short}
    ```

    Style advice, off by default: turn it on with `extend-select = ["paragraph-length"]`.
    Quotations in block quotes are left alone.

    ## Options
    `max-paragraph-words` in `[readability]` (default 200).
    """

    code = "RDB003"
    name = "paragraph-length"
    summary = "A paragraph is too long"
    severity = "info"
    languages = ("en",)
    default = False

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        limit = int(ctx.options["max-paragraph-words"])
        for paragraph in paragraphs(post):
            if paragraph.kind != "paragraph" or paragraph.quoted:
                continue
            words = paragraph.words
            if words > limit:
                yield self.finding(
                    post.span(paragraph.start, paragraph.end),
                    f"This paragraph has {words} words, more than {limit}: break it where the "
                    "topic turns.",
                )


_SENTENCE = "The board met on Monday and kept rates where they were for another quarter. "
ParagraphLength.__doc__ = (ParagraphLength.__doc__ or "").format(
    long=_SENTENCE * 16, short=_SENTENCE * 4
)


def _iter_options() -> Iterator[Option]:
    yield Option("metric", "flesch-reading-ease", "the readability score", METRICS)
    yield Option(
        "threshold",
        None,
        "the score that flags a section (reading ease below it, grade level above it); "
        "default 30 for reading ease, 14 for the grade level",
        float,
    )
    yield Option("min-words", 100, "sections with fewer words are not scored", minimum=1)
    yield Option(
        "syllables", "pyphen", "syllable counting: pyphen (fast) or cmudict", ("pyphen", "cmudict")
    )
    yield Option("max-sentence-words", 40, "words a sentence may have", minimum=1)
    yield Option("max-paragraph-words", 200, "words a paragraph may have", minimum=1)


FAMILY = Family(
    name="readability",
    prefix="RDB",
    description="Readability of the prose",
    rules=(Readability, SentenceLength, ParagraphLength),
    options=tuple(_iter_options()),
)
