"""Prose views of a post: paragraphs, sentences and words, each mapped back to file offsets.

A paragraph's text is its runs joined in order (code spans, URLs and markup are left out, so
``use `x` here`` reads ``use  here``). Offsets into that joined text map back to the file with
``Paragraph.offset``. Everything here is computed from ``post.runs`` and is cheap: regexes over
each paragraph, no per-character Python loops.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from postlint.model import Block, Post, TextRun


def word_list(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


# A word for counting: letters or digits, joined by an apostrophe, a hyphen, or a point or comma
# between two of them ("don’t", "state-of-the-art", "5.6bn", "2,048").
WORD = re.compile(r"[^\W_]+(?:[.,'’\-][^\W_]+)*")
# A sentence ends at . ! ? or … (with closing quotes or brackets) before white space or the end.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    word_list(
        "mr mrs ms dr st vs e.g i.e eg ie cf approx no fig u.s u.k "
        "jan feb mar apr jun jul aug sep sept oct nov dec p pp vol ed"
    )
)
# Abbreviations that often end a sentence: a capital after them starts the next one
# ("pears, etc. The shop opens at nine.").
_FINAL_ABBREVIATIONS = frozenset(word_list("etc inc ltd co jr sr al"))


@dataclass(frozen=True)
class Paragraph:
    """The prose of one leaf block (a paragraph or a heading): its runs joined.

    Runs are joined as they are, except that a space stands for what separates two of them
    when that is more than emphasis markers (a line break, a code span, a link's destination).
    """

    block: int  # TextRun.block
    kind: str  # "paragraph", "heading", or "table" (a paragraph holding a GFM table)
    text: str
    starts: tuple[int, ...]  # where each run begins in ``text``
    files: tuple[int, ...]  # where each run begins in the file
    quoted: bool = False  # inside a block quote: someone else's words, quoted
    listed: bool = False  # inside a list item

    def offset(self, index: int, end: bool = False) -> int:
        """The file offset of ``index`` in ``text`` (``end``: of the character before it, + 1)."""
        if end and index > 0:
            i = bisect.bisect_right(self.starts, index - 1) - 1
            return self.files[i] + index - self.starts[i]
        i = bisect.bisect_right(self.starts, index) - 1
        return self.files[max(i, 0)] + index - self.starts[max(i, 0)]

    @cached_property
    def tokens(self) -> list[str]:
        """The words, in lower case."""
        return WORD.findall(self.text.lower())

    @cached_property
    def words(self) -> int:
        return len(self.tokens)

    @cached_property
    def bounds(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence in ``text``."""
        return sentence_bounds(self.text)

    @property
    def start(self) -> int:
        return self.files[0]

    @property
    def end(self) -> int:
        return self.offset(len(self.text), end=True)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # as joined from the runs, white space kept
    start: int  # file offsets
    end: int
    words: int
    block: int


def leaf_places(post: Post) -> dict[int, tuple[str, bool, bool]]:
    """Leaf number -> (block kind, inside a block quote, inside a list item)."""
    places: dict[int, tuple[str, bool, bool]] = {}
    stack: list[tuple[Block, bool, bool]] = [(block, False, False) for block in post.blocks]
    while stack:
        block, quoted, listed = stack.pop()
        leaf = block.attrs.get("leaf")
        if isinstance(leaf, int):
            places[leaf] = (block.kind, quoted, listed)
        quoted = quoted or block.kind == "block_quote"
        listed = listed or block.kind == "list_item"
        stack.extend((child, quoted, listed) for child in block.children)
    return places


def paragraphs(post: Post) -> tuple[Paragraph, ...]:
    """Every leaf block's prose, in document order (computed once per post: rules share it)."""
    return post.derived(_paragraphs)


def _paragraphs(post: Post) -> tuple[Paragraph, ...]:
    places = leaf_places(post) if post.runs else {}
    groups: dict[int, list[TextRun]] = {}
    for run in post.runs:
        groups.setdefault(run.block, []).append(run)
    result = []
    source = post.text
    for block, runs in groups.items():
        starts: list[int] = []
        files: list[int] = []
        pieces: list[str] = []
        pos = 0
        previous_end = -1
        for run in runs:
            if previous_end >= 0 and run.span.start > previous_end:
                gap = source[previous_end : run.span.start]
                if gap.strip("*_~"):  # a line break, code, a link's URL, HTML: words end here
                    shown = _rendered(gap)  # but an escape or an entity is the character it shows
                    pieces.append(shown)
                    pos += len(shown)
            starts.append(pos)
            files.append(run.span.start)
            pieces.append(run.text)
            pos += len(run.text)
            previous_end = run.span.end
        text = "".join(pieces)
        kind, quoted, listed = places.get(block, ("paragraph", False, False))
        if kind == "paragraph" and _TABLE_RULE.search(source, files[0], runs[-1].span.end):
            kind = "table"  # the parser reads a GFM table as a paragraph: its cells are not prose
        result.append(Paragraph(block, kind, text, tuple(starts), tuple(files), quoted, listed))
    return tuple(result)


# The delimiter row of a GFM table: | --- | :-: |
_TABLE_RULE = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$", re.M)
_ESCAPES = re.compile(
    r"(?:\\[!-/:-@\[-`{-~]|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)+"
)


def _rendered(gap: str) -> str:
    """What a gap between two runs shows as one character: the one an escape or an entity
    stands for (``We\\'ve``, ``aren&#x27;t``), else a space."""
    if not _ESCAPES.fullmatch(gap):
        return " "
    shown = html.unescape(re.sub(r"\\(.)", r"\1", gap))
    return shown if len(shown) == 1 and not shown.isspace() else " "


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a paragraph's text, white space trimmed."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        mark = match.group()
        if mark[0] == "." and len(mark.rstrip("\"'”’)]*_")) == 1:
            # the word before the point: the non-space characters that end the 40 before it
            # (or end them but for one line break, as the former regex ``(\S+)$`` matched)
            window = text[max(0, match.start() - 40) : match.start()].removesuffix("\n")
            before = window.split()[-1] if window and not window[-1].isspace() else ""
            token = before.lstrip("(\"'“‘*_").lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if token in _FINAL_ABBREVIATIONS:
                following = _FOLLOWING.match(text, end)
                if not following or not following.group(1).isupper():
                    continue  # "etc. and", "Acme Inc. said": the sentence goes on
            if "." in token:  # a.m. and, U.S. officials: no end before lower case
                following = _FOLLOWING.match(text, end)
                if following and following.group(1).islower():
                    continue
        _add_trimmed(bounds, text, start, end)
        start = end
    _add_trimmed(bounds, text, start, len(text))
    return bounds


_FOLLOWING = re.compile(r"\s*(\S)")


def _add_trimmed(bounds: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped and WORD.search(stripped):
        lead = len(piece) - len(piece.lstrip())
        bounds.append((start + lead, start + lead + len(stripped)))


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def sentences(paragraph: Paragraph) -> Iterator[Sentence]:
    text = paragraph.text
    for start, end in paragraph.bounds:
        piece = text[start:end]
        yield Sentence(
            piece,
            paragraph.offset(start),
            paragraph.offset(end, end=True),
            count_words(piece),
            paragraph.block,
        )


def squeeze(text: str, limit: int = 80) -> str:
    """Text on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
