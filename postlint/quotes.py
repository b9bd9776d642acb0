"""Quotes as a reader sees them, paired into quotations.

Rules that judge quotes cannot read the prose runs alone: a run stops at inline code, a link or
emphasis, so the apostrophe of `` `pandas`'s `` looks like the start of a word and the closing
quote of ``"[gulags](https://example.org/g)."`` has nothing before it. Here each paragraph and
heading becomes the text a reader sees (code and images stand for a word, emphasis markers and
link destinations vanish, line breaks are spaces), each quote character gets its role from what
is visible on either side, and quotes are paired within their paragraph, so that a pair can be
fixed whole or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from postlint.model import Block, Inline, Post

WORD = "\x01"  # stands for inline code or an image: a word the reader sees
STRAIGHT = frozenset("'\"")
CURLY = frozenset("‘’“”")
# a bare URL as the page shows it; curly quotes are never part of one
_URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)[^\s<>“”‘’]*[^\s<>.,;:!?\"')\]“”‘’]")
_QUOTED = re.compile("['\"‘’“”]")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_OPENERS = frozenset("([{<—–-/“‘\"'")
_AFTER_CLOSE = frozenset(".,;:!?)]}>—–-/…”’\"'*_")

# words that lose their first letters to an apostrophe ('tis, 'em, rock 'n' roll)
_ELIDED = re.compile(r"(tis|twas|twere|twill|em|til|cause|bout|n)\b", re.IGNORECASE)

Role = Literal["open", "close", "apostrophe", "prime", "unknown"]


@dataclass(frozen=True, slots=True)
class Leaf:
    """A paragraph or heading as it is seen: ``text[i]`` stands at file offset ``offsets[i]``
    (-1 where no single file character can be edited: escapes, placeholders, bare URLs)."""

    block: Block
    text: str
    offsets: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """One quote character of a leaf, with the role its neighbours give it."""

    char: str
    index: int  # in the leaf's visible text
    offset: int  # in the file, -1 when it cannot be edited
    role: Role

    @property
    def double(self) -> bool:
        return self.char in '"“”'

    @property
    def straight(self) -> bool:
        return self.char in STRAIGHT


@dataclass(frozen=True, slots=True)
class Quotes:
    """The quotes of one leaf: quotations (an opening and its closing mark), apostrophes, and
    the marks that pair with nothing."""

    leaf: Leaf
    pairs: tuple[tuple[Mark, Mark], ...]
    apostrophes: tuple[Mark, ...]
    unpaired: tuple[Mark, ...]


def leaves(post: Post) -> list[Leaf]:
    """The paragraphs and headings of the post that hold a quote character, in document order,
    as a reader sees them."""
    return _cached(post)[0]


def quotes(post: Post) -> list[Quotes]:
    """The quotes of every leaf that has any."""
    return _cached(post)[1]


def tally(post: Post) -> tuple[list[Mark], list[Mark]]:
    """The straight and the curly quotes and apostrophes of the post (foot and inch marks and
    quotes inside bare URLs left out): the style the post mostly uses is the larger list."""
    straight: list[Mark] = []
    curly: list[Mark] = []
    for found in quotes(post):
        for mark in _all_marks(found):
            (straight if mark.straight else curly).append(mark)
    return straight, curly


def _cached(post: Post) -> tuple[list[Leaf], list[Quotes]]:
    return post.derived(_read_quotes)


def _read_quotes(post: Post) -> tuple[list[Leaf], list[Quotes]]:
    """Kept on the post (nothing in it refers back to the post, so it goes with the post)."""
    source = post.text
    found = [
        _leaf(post, block)
        for block in _leaf_blocks(post.blocks)
        if _QUOTED.search(source, block.span.start, block.span.end)
    ]
    has_quote = [leaf for leaf in found if any(c in leaf.text for c in "'\"‘’“”")]
    return found, [pair_quotes(leaf) for leaf in has_quote]


def _leaf_blocks(blocks: Sequence[Block]) -> Iterator[Block]:
    for block in blocks:
        if block.attrs.get("leaf") is not None:
            yield block
        elif block.children:
            yield from _leaf_blocks(block.children)


def _leaf(post: Post, block: Block) -> Leaf:
    chars: list[str] = []
    offsets: list[int] = []
    _visible(post.text, block.inlines, chars, offsets)
    text = "".join(chars)
    if "://" in text or "www." in text:
        for m in _URL.finditer(text):
            for i in range(m.start(), m.end()):
                offsets[i] = -1
                if chars[i] in "'\"‘’“”":
                    chars[i] = WORD
        text = "".join(chars)
    return Leaf(block, text, tuple(offsets))


def _visible(source: str, nodes: Sequence[Inline], chars: list[str], offsets: list[int]) -> None:
    for node in nodes:
        kind = node.kind
        if kind == "text":
            _text(source, node, chars, offsets)
        elif kind in ("codespan", "image"):
            chars.append(WORD)
            offsets.append(-1)
        elif kind in ("softbreak", "linebreak"):
            chars.append(" ")
            offsets.append(-1)
        elif node.children:  # emphasis, strong, link: only their text shows
            _visible(source, node.children, chars, offsets)


def _text(source: str, node: Inline, chars: list[str], offsets: list[int]) -> None:
    """A text node character by character; a backslash escape shows its character but cannot be
    edited as a quote (the writer asked for that exact character)."""
    start, end = node.span.start, node.span.end
    raw = source[start:end]
    if raw == node.text:
        chars.extend(raw)
        offsets.extend(range(start, end))
        return
    mine: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in _ESCAPABLE:
            mine.append(raw[i + 1])
            where.append(-1)
            i += 2
            continue
        mine.append(raw[i])
        where.append(start + i)
        i += 1
    if "".join(mine) != node.text:  # entities or something else: show it, edit none of it
        mine, where = list(node.text), [-1] * len(node.text)
    chars.extend(mine)
    offsets.extend(where)


def _wordish(c: str) -> bool:
    return c.isalnum() or c == WORD


def _role(text: str, i: int) -> Role:
    c = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = before.isspace() or before in _OPENERS
    closes = after.isspace() or after in _AFTER_CLOSE
    if c == "“":
        return "open"
    if c == "”":
        return "close"
    if c in "'\"" and before.isdigit() and (after.isdigit() or not after.isalnum()):
        return "prime"  # 5'10", a 27" screen
    if c in "'’" and _wordish(before) and _wordish(after):
        return "apostrophe"  # it's, `pandas`'s, rock'n'roll, the 1990's
    if c == "‘":
        return "open"
    if c in "'’" and opens and text[i + 1 : i + 3].isdigit():
        return "apostrophe"  # the '90s
    if c in "'’" and ((opens and _elided(text, i)) or (i >= 2 and _elided(text, i - 2))):
        return "apostrophe"  # 'tis, 'em, and both marks of rock 'n' roll
    if c == "’" and opens:
        return "apostrophe"  # ’tis
    if opens and not after.isspace():
        return "open"
    if not before.isspace() and closes:
        return "close"
    return "unknown"


def _elided(text: str, i: int) -> bool:
    """Whether the single quote at ``i`` starts a word cut short ('tis, 'em, the 'n' of rock
    'n' roll), not a quotation: a quoted 'em' closes right after the word."""
    if text[i : i + 1] not in ("'", "’") or (i > 0 and _wordish(text[i - 1])):
        return False
    m = _ELIDED.match(text, i + 1)
    if not m:
        return False
    after = text[m.end() : m.end() + 2]
    if m.group(1).lower() == "n":  # between two words: rock 'n' roll, not "the letter 'n'"
        between = text[i - 2 : i] if i >= 2 else ""
        return (
            after[:1] in ("'", "’")
            and after[1:2] == " "
            and _wordish(text[m.end() + 2 : m.end() + 3])
            and between[1:] == " "
            and _wordish(between[:1])
        )
    return after[:1] not in ("'", "’")


def _closes_later(text: str, i: int) -> bool:
    """Whether the next double quote after ``i`` closes a quotation: then the ``"`` at ``i``,
    after a digit, is an inch mark inside it ("a 5'10" man"), not its end ("Chapter 3")."""
    for j in range(i + 1, len(text)):
        if text[j] in '"“”':
            return text[j] == "”" or (text[j] == '"' and _role(text, j) == "close")
    return False


def pair_quotes(leaf: Leaf) -> Quotes:
    """Pair the leaf's quotes: an opening mark with the next closing mark of its kind (double or
    single) that is not taken by a quotation nested inside. A single closing mark with nothing
    open is an apostrophe (the students' books)."""
    text = leaf.text
    pairs: list[tuple[Mark, Mark]] = []
    apostrophes: list[Mark] = []
    unpaired: list[Mark] = []
    doubles: list[Mark] = []
    singles: list[Mark] = []
    for i, c in enumerate(text):
        if c not in "'\"‘’“”":
            continue
        role = _role(text, i)
        if role == "prime" and c == '"' and doubles and not _closes_later(text, i):
            role = "close"  # "Chapter 3", but not the inch mark of "a 5'10" man"
        elif role == "prime" and c == "'" and singles and not text[i + 1 : i + 2].isdigit():
            role = "close"  # 'chapter 3', but not the foot mark of '5'10'
        mark = Mark(c, i, leaf.offsets[i], role)
        stack = doubles if mark.double else singles
        if role == "open":
            stack.append(mark)
        elif role == "close":
            if stack:
                pairs.append((stack.pop(), mark))
            elif mark.double:
                unpaired.append(mark)
            else:
                apostrophes.append(Mark(c, i, mark.offset, "apostrophe"))
        elif role == "apostrophe":
            apostrophes.append(mark)
        elif role == "unknown":
            unpaired.append(mark)
    unpaired.extend(doubles)
    unpaired.extend(singles)
    pairs.sort(key=lambda pair: pair[0].index)
    unpaired.sort(key=lambda mark: mark.index)
    return Quotes(leaf, tuple(pairs), tuple(apostrophes), tuple(unpaired))


def _all_marks(found: Quotes) -> Iterator[Mark]:
    for opening, closing in found.pairs:
        yield opening
        yield closing
    yield from found.apostrophes
    yield from found.unpaired


def curled(mark: Mark, role: Role | None = None) -> str:
    """The curly character a straight mark stands for in its role."""
    role = role or mark.role
    if mark.double:
        return "“" if role == "open" else "”"
    return "‘" if role == "open" else "’"
