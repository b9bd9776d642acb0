"""Text: damage a reader sees in the prose itself, whatever the words mean.

Mojibake, doubled words, stray or invisible whitespace, spacing around punctuation and mixed
quote styles. Every check reads prose only (``post.runs``): never code, URLs, raw HTML,
comments or front matter.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import PurePath
from typing import Any

from postlint import quotes
from postlint.model import Block, Finding, Fix, Post
from postlint.rule import Context, Family, Option, Rule
from postlint.site import smart_punctuation

# ---------------------------------------------------------------------------------------------
# Shared helpers

_URL = re.compile(
    r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)[^\s<>\x00]*[^\s<>\x00.,;:!?\"')\]]", re.I
)


def url_spans(text: str) -> list[tuple[int, int]]:
    """Bare URLs written as text in a run (offsets in the run), to keep prose checks off them."""
    if "://" not in text and "www." not in text:
        return []
    return [m.span() for m in _URL.finditer(text)]


# letters become their case ("a" or "A"), sentence ends ".", the rest a space
_SHAPE_BYTES = bytes(
    97 if 97 <= c <= 122 else 65 if 65 <= c <= 90 else 46 if c in b".!?" else 32 for c in range(256)
)


class Prose:
    """A post's prose as one string, so each check scans it with one regex call.

    Runs of one paragraph separated only by whitespace (a soft or hard line break) are joined by
    "\n"; any other gap (markup, code, a new block) becomes "\x00", which no prose pattern
    matches across. ``file(i)`` maps an offset of ``text`` back to the file.
    """

    __slots__ = ("_lower", "_shape", "bases", "runs", "starts", "text", "urls")

    def __init__(self, post: Post) -> None:
        parts: list[str] = []
        starts: list[int] = []
        bases: list[int] = []
        self.runs = post.runs
        offset = 0
        previous_end = -1
        previous_block = -1
        source = post.text
        append = parts.append
        for run in post.runs:
            span = run.span
            start = span.start
            if previous_end >= 0:
                gap = source[previous_end:start]
                if run.block == previous_block and gap.isspace():
                    append("\n" if "\n" in gap else " ")
                else:
                    append("\x00")
                offset += 1
            starts.append(offset)
            bases.append(start)
            append(run.text)
            offset += span.end - start
            previous_end, previous_block = span.end, run.block
        self.starts, self.bases = starts, bases
        self.text = "".join(parts)
        self.urls = url_spans(self.text)
        self._lower: bytes | None = None
        self._shape: bytes | None = None

    def lower_bytes(self) -> bytes:
        """The prose as lowercase UTF-8 bytes, for C-speed prefilters (bytes.translate, in)."""
        if self._lower is None:
            self._lower = self.text.encode("utf-8").lower()
        return self._lower

    def shape(self) -> bytes:
        """The prose as bytes where ASCII letters become "a" or "A", sentence ends ".", and the
        rest a space: ``b"a.Aa" in shape()`` finds "that.But" at C speed."""
        if self._shape is None:
            self._shape = self.text.encode("utf-8").translate(_SHAPE_BYTES)
        return self._shape

    def file(self, i: int) -> int:
        """The file offset of offset ``i`` of the joined text (a run end maps to its run)."""
        k = bisect.bisect_right(self.starts, i) - 1
        return self.bases[k] + (i - self.starts[k])

    def in_url(self, start: int, end: int) -> bool:
        return bool(self.urls) and _inside(self.urls, start, end)


def prose(post: Post) -> Prose:
    """The post's joined prose, built once per post and shared by every text and terms check."""
    return post.derived(Prose)


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


_INVISIBLE_NAMES = {
    "\u00a0": "a non-breaking space",
    "\u00ad": "a soft hyphen",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a zero-width no-break space (byte order mark)",
}


def _unseen(c: str) -> bool:
    """Characters a message must spell out: invisible, control or private use (U+F8FF)."""
    return c in _INVISIBLE_NAMES or c < " " or "\x7f" <= c <= "\x9f" or c == "\uf8ff"


def show(text: str) -> str:
    """Text for a message: in backticks, with invisible characters named."""
    if text in _INVISIBLE_NAMES:
        return _INVISIBLE_NAMES[text]
    if any(_unseen(c) for c in text):
        text = "".join(f"<U+{ord(c):04X}>" if _unseen(c) else c for c in text)
    return f"`{text}`"


# ---------------------------------------------------------------------------------------------
# Mojibake

_CODEC_NAMES = {
    "macroman": "Mac Roman",
    "mac_roman": "Mac Roman",
    "sloppy-windows-1252": "Windows-1252",
    "windows-1252": "Windows-1252",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "iso-8859-1": "Latin-1",
    "sloppy-windows-1251": "Windows-1251",
    "sloppy-windows-1250": "Windows-1250",
}
_SUSPECT_CODECS = ("cp1252", "latin-1", "mac_roman")


def _decoded(low: int, high: int) -> str:
    """What the bytes low..high become under each suspect single-byte codec."""
    chars: set[str] = set()
    for codec in _SUSPECT_CODECS:
        for byte in range(low, high + 1):
            try:
                chars.add(bytes([byte]).decode(codec))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars))


# Mac Roman shows the UTF-8 lead bytes of Cyrillic, Armenian and IPA as dashes, quotes and
# guillemets: leaving them out of the leads keeps ordinary typography ("——", "’”") from
# looking suspect, at the cost of missing Mac Roman damage of those scripts.
_TYPOGRAPHY = frozenset("–—“”‘’…«»")


@functools.cache
def _suspect_pattern() -> re.Pattern[str]:
    """A UTF-8 lead byte followed by continuation bytes, as a single-byte codec shows them.

    Built from the codecs themselves, not a hand-made table. It only finds candidates: ftfy
    decides whether a candidate really is damage, so legitimate text such as "“École" costs one
    ftfy call and gives nothing.
    """
    cont = "[" + re.escape(_decoded(0x80, 0xBF)) + "]"
    lead2 = "[" + re.escape("".join(c for c in _decoded(0xC2, 0xDF) if c not in _TYPOGRAPHY)) + "]"
    lead3 = "[" + re.escape(_decoded(0xE0, 0xEF)) + "]"
    lead4 = "[" + re.escape(_decoded(0xF0, 0xF4)) + "]"
    # a three-byte sequence may have lost its last byte (Windows-1252 has no 0x9D)
    return re.compile(f"{lead2}{cont}|{lead3}{cont}{{1,2}}|{lead4}{cont}{{3}}")


@functools.cache
def _ftfy() -> tuple[Any, Any]:
    import ftfy

    # Only the decoding history: keep curly quotes, ligatures, widths, entities, line breaks.
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )
    return ftfy.fix_encoding_and_explain, config


@dataclass(frozen=True, slots=True)
class Repair:
    """A damaged stretch of the file and the text the writer typed."""

    start: int
    end: int
    damaged: str
    repaired: str
    codec: str  # the codec the UTF-8 bytes were wrongly read as ("" when unknown)


def _codec_of(explanation: Any) -> str:
    for step in explanation or ():
        action, parameter = step[0], step[1]
        if action == "encode":
            return _CODEC_NAMES.get(str(parameter), str(parameter))
    return ""


def _mac_roman_emoji(text: str) -> Iterator[tuple[int, int, str]]:
    """Emoji read as Mac Roman start with U+F8FF (the Apple logo, Mac Roman 0xF0), which ftfy
    leaves alone when the run has no other damage to go by: decode those with the codec."""
    for m in re.finditer("\uf8ff[^\\x00-\\x7f\\s]{3}", text):
        try:
            fixed = m.group().encode("mac_roman").decode("utf-8")
        except UnicodeError:
            continue
        yield m.start(), m.end(), fixed


_PIECE = 200
_ASCII_PAIR = re.compile(r"[\x00-\x7f]{2}")


def _repair_run(text: str) -> list[tuple[int, int, str, str]]:
    """Damaged stretches of a run. The alignment in ``_repair_piece`` is quadratic in the length,
    so a long run is repaired in pieces cut between two ASCII characters, which never stand
    inside damage (UTF-8 read wrongly is non-ASCII; an 0xA0 byte read as a space follows it)."""
    found: list[tuple[int, int, str, str]] = []
    start = 0
    while start < len(text):
        m = _ASCII_PAIR.search(text, start + _PIECE) if len(text) - start > 2 * _PIECE else None
        end = m.start() + 1 if m else len(text)
        piece = text[start:end]
        if not piece.isascii():
            found.extend((start + a, start + b, r, c) for a, b, r, c in _repair_piece(piece))
        start = end
    return found


def _repair_piece(text: str) -> list[tuple[int, int, str, str]]:
    fix, config = _ftfy()
    fixed, explanation = fix(text, config)
    codec = _codec_of(explanation)
    found: list[tuple[int, int, str, str]] = []
    if fixed != text:
        # each stretch of replaced characters is one damaged run ("‚Äúword‚Äù" is two); the
        # common ends are left out of the (quadratic) alignment
        n = min(len(text), len(fixed))
        p = q = 0
        while p < n and text[p] == fixed[p]:
            p += 1
        while q < n - p and text[-1 - q] == fixed[-1 - q]:
            q += 1
        matcher = SequenceMatcher(None, text[p : len(text) - q], fixed[p : len(fixed) - q], False)
        for tag, a, b, c, d in matcher.get_opcodes():
            if tag == "equal":
                continue
            a, b, c, d = a + p, b + p, c + p, d + p
            if c == d and b < len(text):  # "Â" dropped before "\xa0": report "Â\xa0" -> "\xa0"
                b, d = b + 1, d + 1
            found.append((a, b, fixed[c:d], codec))
    for s, e, r in _mac_roman_emoji(text):
        if not any(a < e and s < b for a, b, _, _ in found):
            found.append((s, e, r, "Mac Roman"))
    found.sort()
    return found


_ASCII = bytes(range(128))
_MANY_REPAIRS = 3  # more damaged stretches than this: the post is reported once


def _suspects(text: Prose) -> Iterator[re.Match[str]]:
    """Candidate damage. Clean posts cost two C calls: the non-ASCII characters alone (pairs
    adjacent in the text stay adjacent) rarely hold a lead-continuation pair at all."""
    if text.text.isascii():
        return iter(())
    others = text.text.encode("utf-8").translate(None, _ASCII).decode("utf-8")
    pattern = _suspect_pattern()
    return pattern.finditer(text.text) if pattern.search(others) else iter(())


def repairs(post: Post) -> tuple[Repair, ...]:
    """Every damaged stretch of the post's prose (computed once per post, shared by the rules)."""
    return post.derived(_repairs)


def _repairs(post: Post) -> tuple[Repair, ...]:
    out: list[Repair] = []
    text = prose(post)
    seen: set[int] = set()
    for m in _suspects(text):
        k = bisect.bisect_right(text.starts, m.start()) - 1
        if k in seen:
            continue
        seen.add(k)
        run = text.runs[k]
        base = run.span.start
        for start, end, repaired, codec in _repair_run(run.text):
            out.append(Repair(base + start, base + end, run.text[start:end], repaired, codec))
    return tuple(out)


class Mojibake(Rule):
    """
    ## What it does
    Flags text damaged by a wrong decode: UTF-8 read as Windows-1252, Latin-1 or Mac Roman,
    which turns `’` into `â€™` or `‚Äô`, `é` into `Ã©` and a non-breaking space into `¬†`.
    Each damaged stretch gives one finding, with the text the writer typed.

    ## Why is this bad?
    Readers see the garbage on the published page; it usually comes from a copy through a tool
    that guessed the wrong encoding, and it is easy to miss in an editor that shows it "fine".

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    Weâ€™re nearly done.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    We’re nearly done.
    ```

    A post damaged throughout (more than three repairable stretches: the whole text went
    through the wrong decode) is reported once, at the first stretch, with one fix for all of
    them; a stretch that cannot be repaired is always reported on its own.

    ## Fix safety
    The fix is safe: it puts back exactly the characters the bytes stood for (curly quotes stay
    curly, dashes stay dashes), as decided by [ftfy](https://ftfy.readthedocs.io/) with its
    cosmetic fixes (uncurling quotes, ligatures, widths) turned off. A stretch that was damaged
    beyond repair (ftfy can only write `�`) is reported without a fix.
    """

    code = "TXT001"
    name = "mojibake"
    summary = "Text damaged by a wrong decode (mojibake)"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        found = repairs(post)
        fixable = [r for r in found if "\ufffd" not in r.repaired]
        whole = len(fixable) > _MANY_REPAIRS
        if whole:
            first = fixable[0]
            codecs = {r.codec for r in fixable if r.codec}
            how = f" (UTF-8 read as {codecs.pop()})" if len(codecs) == 1 else ""
            yield self.finding(
                post.span(first.start, first.end),
                f"This post has {len(fixable)} stretches of damaged text{how}, the first here: "
                f"{show(first.damaged)} should read {show(first.repaired)}; the fix repairs "
                "them all.",
                Fix(tuple(post.edit(r.start, r.end, r.repaired) for r in fixable)),
            )
        for repair in found:
            if whole and "\ufffd" not in repair.repaired:
                continue
            how = f" (UTF-8 read as {repair.codec})" if repair.codec else ""
            if "\ufffd" in repair.repaired:
                yield self.finding(
                    post.span(repair.start, repair.end),
                    f"{show(repair.damaged)} is damaged text{how} that cannot be repaired: "
                    "retype it.",
                )
                continue
            yield self.finding(
                post.span(repair.start, repair.end),
                f"{show(repair.damaged)} is damaged text{how}: it should read "
                f"{show(repair.repaired)}.",
                Fix((post.edit(repair.start, repair.end, repair.repaired),)),
            )


# ---------------------------------------------------------------------------------------------
# Repeated words

# Doubles that are grammatical or idiomatic ("what it is is", "he had had", "so so").
LEGIT_DOUBLES = frozenset(
    (
        "had",
        "that",
        "is",
        "do",
        "bye",
        "so",
        "no",
        "ha",
        "haha",
        "yeah",
        "really",
        "very",
        "now",
        "there",
        "well",
        "tut",
        "chop",
        "knock",
        "blah",
        "bla",
        "pom",
        "tom",
        "dum",
        "hush",
        "boo",
        "bam",
        "bang",
        "boom",
        "choo",
        "ding",
        "dong",
        "go",
        "hey",
        "hip",
        "la",
        "ta",
        "yo",
        "hubba",
        "mahi",
        "bora",
        "walla",
        "baden",
        "sing",
        "can",
    )
)

# punctuation and digits become spaces: "the the." splits into two equal words
_WORD_BYTES = bytes(
    c if (97 <= c <= 122 or 65 <= c <= 90 or c >= 128 or c == 0) else 32 for c in range(256)
)
_DOUBLE = re.compile(r"(?<![\w-])([^\W\d_]+)([ \t\n]+)(\1)(?![\w-])", re.I)


def _is_name(first: str, second: str) -> bool:
    """Both capitalised: a name ("Yuen Yuen Ang", "Walla Walla") or all-caps shouting."""
    return first[:1].isupper() and second[:1].isupper()


class RepeatedWord(Rule):
    """
    ## What it does
    Flags a word written twice in a row ("the the"), also across a line break. A double split
    by markup or code (`the *the*`) is not reported: removing it would break the markup.

    ## Why is this bad?
    The eye skips the second word when reading your own draft, but readers stumble on it.

    ## Options
    Grammatical doubles are not flagged: "had had", "that that", "is is" ("what it is is"),
    "do do", and idioms such as "so so", "bye bye", "very very". Add your own with
    `[text] allow-repeated = ["ha"]`. Two capitalised words ("Yuen Yuen Ang", "Walla Walla")
    are taken for a name; "The the" is still flagged.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    We read the the report twice.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    We read the report twice.
    ```

    ## Fix safety
    The fix removes the second word and the space before it: safe.
    """

    code = "TXT002"
    name = "repeated-word"
    summary = "A word written twice in a row"
    severity = "warning"
    languages = ("en",)
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        allowed = LEGIT_DOUBLES | {w.lower() for w in ctx.options["allow-repeated"]}
        text = prose(post)
        words = text.lower_bytes().translate(_WORD_BYTES).split()
        if not any(map(operator.eq, words, words[1:])):
            return
        for m in _DOUBLE.finditer(text.text):
            first, second = m.group(1), m.group(3)
            if first.lower() in allowed or _is_name(first, second) or text.in_url(*m.span()):
                continue
            yield self._found(
                post, second, text.file(m.end(1)), text.file(m.start(3)), text.file(m.end(3))
            )

    def _found(self, post: Post, word: str, first_end: int, start: int, end: int) -> Finding:
        return self.finding(
            post.span(start, end),
            f"`{word}` is repeated: remove the second one.",
            Fix((post.edit(first_end, end, ""),)),
        )


# ---------------------------------------------------------------------------------------------
# Whitespace

_TRAILING = re.compile(r"[ \t]+(?=\r?\n|\Z)")
_HIDDEN = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # what whitespace reports
_NBSP = re.compile("\u00a0")
_DOUBLE_SPACE = re.compile(r" {2,}")
_SPACE = frozenset(" \t\r\n\u00a0")


# a non-breaking space next to these (or after a digit: "10 km") keeps them on one line on
# purpose: a dash with the word before it, a number with its unit or currency, French
# punctuation with its word ("Quoi ?", "« oui »")
_KEPT_WITH = frozenset("—–-/%€$£¥₹:;!?«»")


def _leaf_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    for block in blocks:
        if block.kind in ("paragraph", "heading"):
            yield block
        elif block.children:
            yield from _leaf_blocks(block.children)


def _joins_script(text: str, i: int) -> bool:
    """A zero-width (non-)joiner between two non-Latin characters does real work (emoji
    sequences, Persian, Indic scripts)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isascii() or after.isascii())


class Whitespace(Rule):
    """
    ## What it does
    Flags invisible characters in prose: zero-width characters (U+200B–U+200D, U+2060, U+FEFF
    inside the text) and soft hyphens (U+00AD), which text pasted from documents and web pages
    brings along. A zero-width joiner between two characters of a script that needs it (emoji
    sequences, Persian, Indic scripts) is left alone. Code blocks, code spans, URLs and raw HTML
    are never read.

    Trailing, doubled and non-breaking spaces, which read as ordinary spaces on the page, are
    `extra-whitespace`'s (off by default).

    ## Why is this bad?
    Invisible characters break search, copy and paste and word counts, and make identical-looking
    words compare different: "market" with a zero-width space inside is not found by a search
    for "market".

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    We read the mar\u200bket report.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    We read the market report.
    ```

    ## Fix safety
    Removing zero-width characters and byte order marks is safe: the rendered page does not
    change. Removing a soft hyphen changes where a browser may break the word, so it is unsafe.
    """

    code = "TXT003"
    name = "whitespace"
    summary = "Invisible characters in prose (zero-width characters, soft hyphens)"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for at in _invisible_at(post, _HIDDEN):
            yield from self._invisible(post, at)

    def _invisible(self, post: Post, start: int) -> Iterator[Finding]:
        char = post.text[start]
        end = start + 1
        name = _INVISIBLE_NAMES[char]
        if char in "\u200c\u200d" and _joins_script(post.text, start):
            return
        safe = char != "\u00ad"
        yield self.finding(
            post.span(start, end),
            f"An invisible character, {name} (U+{ord(char):04X}): remove it.",
            Fix((post.edit(start, end, ""),), safe=safe),
        )


def _invisible_at(post: Post, pattern: re.Pattern[str]) -> Iterator[int]:
    """File offsets of ``pattern``'s characters in the prose, outside damaged text ("Â\xa0" is
    mojibake's to report)."""
    text = prose(post)
    if text.text.isascii() or not pattern.search(text.text):
        return
    damaged = repairs(post)
    for m in pattern.finditer(text.text):
        at = text.file(m.start())
        if not any(r.start <= at < r.end for r in damaged):
            yield at


class ExtraWhitespace(Rule):
    """
    ## What it does
    Flags whitespace that the published page never shows, for sites that keep their files
    tidy:

    - trailing spaces or tabs at the end of a line of a paragraph or heading;
    - two or more spaces between words. Exactly two after a sentence end (".  Next") are a
      typing convention and are left alone, as is the padding of table rows;
    - non-breaking spaces (U+00A0) next to another space, or between two words. One that keeps
      a dash with the word before it, a number with its unit (`10 km`) or French punctuation
      with its word (`Quoi ?`) is left alone.

    Exactly two trailing spaces inside a paragraph are a Markdown hard line break and are left
    alone; one, three or more, tabs, and any trailing whitespace on the last line of a paragraph
    or heading (where it breaks nothing) are flagged. Code blocks, code spans, URLs and raw HTML
    are never read.

    Off by default: HTML collapses these spaces, so readers never see them. Turn it on with
    `extend-select = ["extra-whitespace"]` to keep diffs clean; `--fix` removes them all.

    ## Why is this bad?
    Stray spaces cause noisy diffs, and a trailing space can turn into an accidental line break
    when a second one is added.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    We  read the report.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    We read the report.
    ```

    ## Fix safety
    Removing trailing whitespace (or trimming it to the two spaces of a hard break), collapsing
    double spaces and removing a non-breaking space next to another space are safe: the rendered
    page does not change. Turning a non-breaking space between words into a space is unsafe: the
    two words may have to stay on one line.
    """

    code = "TXT007"
    name = "extra-whitespace"
    summary = "Trailing, doubled or non-breaking spaces the reader never sees"
    severity = "info"
    fixable = True
    default = False

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        yield from self._trailing(post)
        for at in _invisible_at(post, _NBSP):
            yield from self._nbsp(post, at)
        source = post.text
        text = prose(post)
        for m in _DOUBLE_SPACE.finditer(text.text) if "  " in text.text else ():
            start, end = text.file(m.start()), text.file(m.end())
            if (
                start == 0
                or source[start - 1] in _SPACE
                or end >= len(source)
                or source[end] in _SPACE
                or text.in_url(*m.span())
                or "|" in post.line_text(post.lines.position(start)[0])  # table padding
                or (end - start == 2 and source[start - 1] in ".!?:")  # two after a sentence
            ):
                continue
            yield self.finding(
                post.span(start, end),
                f"{end - start} spaces between words: use one.",
                Fix((post.edit(start, end, " "),)),
            )

    def _nbsp(self, post: Post, start: int) -> Iterator[Finding]:
        end = start + 1
        before = post.text[start - 1] if start > 0 else " "
        after = post.text[end] if end < len(post.text) else " "
        if before in _SPACE or after in _SPACE:
            yield self.finding(
                post.span(start, end),
                "A non-breaking space next to another space: remove it.",
                Fix((post.edit(start, end, ""),)),
            )
        elif not (before.isdigit() or before in _KEPT_WITH or after in _KEPT_WITH):
            yield self.finding(
                post.span(start, end),
                "A non-breaking space (U+00A0) between words: use an ordinary space unless "
                "the two words must stay on one line.",
                Fix((post.edit(start, end, " "),), safe=False),
            )

    def _trailing(self, post: Post) -> Iterator[Finding]:
        text = post.text
        body = post.body
        if not any(ws in text for ws in (" \n", "\t\n", " \r", "\t\r")) and text[-1:] not in (
            " ",
            "\t",
        ):
            return
        found = list(_TRAILING.finditer(text, body.start, body.end))
        if not found:
            return
        leaves = [(b.span.start, b.span.end, b.kind) for b in _leaf_blocks(post.blocks)]
        starts = [leaf[0] for leaf in leaves]
        for m in found:
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0:
                continue
            _, end, kind = leaves[k]
            if m.start() < end:  # an interior line: two spaces are a hard break
                ws = m.group()
                if kind != "paragraph":
                    yield self._trailing_finding(post, m.start(), m.end(), "")
                elif ws != "  ":
                    keep = "  " if set(ws) == {" "} and len(ws) > 2 else ""
                    yield self._trailing_finding(post, m.start(), m.end(), keep)
            elif m.start() == end:  # the last line: the span stops before its whitespace
                yield self._trailing_finding(post, m.start(), m.end(), "")

    def _trailing_finding(self, post: Post, start: int, end: int, keep: str) -> Finding:
        what = "Trailing whitespace"
        action = "trim it to two spaces if you meant a line break" if keep else "remove it"
        return self.finding(
            post.span(start, end),
            f"{what} at the end of the line: {action}.",
            Fix((post.edit(start, end, keep),)),
        )


# ---------------------------------------------------------------------------------------------
# Punctuation spacing

_SPACE_BEFORE = re.compile(r"(?<=\S)([ \t]+)([,;:!?]|\.(?!\.))(?=[\s\x00]|$|[\"'”’)\]*_])")
_NO_SPACE_AFTER = re.compile(
    r"(?<![\w.@/\\#{(-])([a-z]{2,}|[A-Z][a-z]+)([.!?])([A-Z][a-z]+)\b(?![.@/\\-]?\w|[}(])"
)
# "cross- border": a word, a hyphen, then a space or a line break and a lowercase word; a
# suspended hyphen ("two- and four-wheelers") is followed by a conjunction
_SPACE_AFTER_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_]{2,})-([ \t]*\n?[ \t]*)([a-z]{2,})\b(?!-)")
# the conjunctions that follow a suspended hyphen, in the languages blogs are translated into
_SUSPENDED_TEXT = """
and or nor to through than but as vs versus und oder sowie bis og eller och samt en of et ou y o
e u ni ja tai sekä i lub oraz a és vagy ve veya ili и или
"""
_SUSPENDED = frozenset(_SUSPENDED_TEXT.split())


_SMILEY = re.compile(r"['\-^]?[()DPp\[\]|/\\](?!\w)")
_HIGH_MARK = re.compile(r"(\S?)([ \u00a0\u202f]?)[:;!?](?=[\s\x00*_]|$)")


def _in_french(post: Post) -> bool:
    """A post of the French side of a multilingual site (`content/fr/`, `post.fr.md`, or
    `lang = "fr"`), where a space comes before `:` `;` `!` `?`."""
    path = PurePath(post.path)
    lang = post.meta.get("lang", post.meta.get("language"))
    french = isinstance(lang, str) and lang.lower().startswith("fr")
    return french or "fr" in path.parts[:-1] or ".fr." in path.name


def _french_spacing(text: str) -> bool:
    """Whether the prose puts a space before `:` `;` `!` `?` as a rule (French typography):
    most of those marks, and at least three, follow a space."""
    spaced = plain = 0
    for m in _HIGH_MARK.finditer(text):
        if m.group(2):
            spaced += 1
        elif m.group(1):
            plain += 1
    return spaced >= 3 and spaced > plain


class PunctuationSpacing(Rule):
    """
    ## What it does
    Flags a space before `,` `.` `;` `:` `!` `?` ("said : yes") and a missing space after the
    end of a sentence ("growth.The").

    Numbers (`3.14`, `1,000`), abbreviations (`e.g.`, `U.S.`), file names (`report.csv`),
    domains (`example.com`), bare URLs, ellipses (`wait ...`), smileys (`:)`) and code are left
    alone: a missing space is only reported between a word and a capitalised one, and not in
    what looks like an API name (`{net.Server}`, `(node.File)`, `net.Stream(fd)`); write those
    in backticks. A post that puts a space before `:` `;` `!` `?` as a rule (French
    typography, "Quoi ?") is not told otherwise about those marks, nor is a ratio (`20 : 80`).

    ## Why is this bad?
    A space before punctuation lets the mark wrap to the start of the next line on its own; a
    missing space after a full stop glues two sentences into one word for readers, search and
    screen readers.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    Prices rose , again.It was expected.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    Prices rose, again. It was expected.
    ```

    It also flags a space (or a line break, which the page shows as a space) after the hyphen
    of a compound, as text pasted from a hyphenated PDF leaves it: `cross- border`. A hyphen
    followed by `and`, `or` or `to` is suspended (`two- and four-wheelers`) and left alone.

    ## Fix safety
    Removing the space before punctuation is safe. Inserting a space after a full stop is unsafe:
    rarely, the glued words are a name (`Node.Js`) or an identifier written as prose. Removing
    the space after a hyphen is unsafe too: the hyphen may have been meant as a dash.
    """

    code = "TXT004"
    name = "punctuation-spacing"
    summary = "A space before punctuation or none after a sentence end"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        text = prose(post)
        t = text.text
        spaced = any(p in t for p in (" ,", " .", " ;", " :", " !", " ?", "\t"))
        french = spaced and (_in_french(post) or _french_spacing(t))
        for m in _SPACE_BEFORE.finditer(t) if spaced else ():
            if french and m.group(2) in ":;!?":
                continue  # the post spaces these marks throughout: French typography
            after = t[m.end(2) : m.end(2) + 1]
            if text.in_url(*m.span()) or (
                m.group(2) in ":;" and _SMILEY.match(t, m.end(2)) is not None
            ):
                continue  # a URL, or a smiley ":)", ":')", ";-)"
            lone = not after or after.isspace() or after == "\x00"
            before = t[m.start(1) - 1 : m.start(1)]
            if (
                m.group(2) == ":"
                and before.isdigit()
                and t[m.end(2) : m.end(2) + 2].strip().isdigit()
            ):
                continue  # a ratio: "20 : 80"
            if m.group(2) in "?!" and lone and not before.isalnum():
                continue  # a `?` on its own is a symbol, not a sentence end ("2021: ?", "| ? |")
            start, end = text.file(m.start(1)), text.file(m.end(1))
            yield self.finding(
                post.span(start, text.file(m.end(2))),
                f"A space before `{m.group(2)}`: remove it.",
                Fix((post.edit(start, end, ""),)),
            )
        if "- " in t or "-\n" in t:
            yield from self._space_after_hyphen(post, text)
        glued = b"a.Aa" in text.shape()
        for m in _NO_SPACE_AFTER.finditer(t) if glued else ():
            if text.in_url(*m.span()):
                continue
            at = text.file(m.end(2))
            yield self.finding(
                post.span(text.file(m.start(2)), text.file(m.end(3))),
                f"No space after `{m.group(2)}` before `{m.group(3)}`: add one.",
                Fix((post.edit(at, at, " "),), safe=False),
            )

    def _space_after_hyphen(self, post: Post, text: Prose) -> Iterator[Finding]:
        for m in _SPACE_AFTER_HYPHEN.finditer(text.text):
            gap = m.group(2)
            if not gap or m.group(3) in _SUSPENDED or text.in_url(*m.span()):
                continue
            start, end = text.file(m.start()), text.file(m.end())
            gap_start, gap_end = text.file(m.start(2)), text.file(m.end(2))
            if "\x00" in m.group() or post.text[gap_start:gap_end].strip(" \t\r\n>"):
                continue  # markup between the hyphen and the word
            word, rest = m.group(1), m.group(3)
            yield self.finding(
                post.span(start, end),
                f"A space after the hyphen in `{word}- {rest}`: write `{word}-{rest}`, unless the "
                "hyphen was meant as a dash.",
                Fix((post.edit(gap_start, gap_end, ""),), safe=False),
            )


# ---------------------------------------------------------------------------------------------
# Quote style


def _renders_curly(ctx: Context) -> bool:
    """True when the generator turns straight quotes into curly ones (then mixing is harmless)."""
    return smart_punctuation(ctx.site)


def quote_styles(post: Post) -> tuple[list[int], list[int]]:
    """File offsets of the post's straight and curly quotes, as the page shows them: quotes
    inside damaged text (mojibake) count as the characters they stand for, and a quote that
    cannot be placed (a backslash escape) is counted at -1."""
    straight_marks, curly_marks = quotes.tally(post)
    damaged = repairs(post)
    straight = [m.offset for m in straight_marks]
    curly = [m.offset for m in curly_marks if m.offset < 0 or not _in_any(m.offset, damaged)]
    for repair in damaged:
        n = sum(repair.repaired.count(q) for q in "‘’“”")
        curly.extend([repair.start] * n)
    return straight, curly


class QuoteStyle(Rule):
    """
    ## What it does
    Flags a post that mixes straight quotes and apostrophes (`'` `"`) with curly ones
    (`‘` `’` `“` `”`), once per post: it says how many of each there are and points at the
    first one of the less used style. Quotes are read as the page shows them (inline code,
    links and emphasis around them do not count); quotes inside damaged text (mojibake) count
    as the characters they stand for; a `'` or `"` right after a digit is a foot or inch mark.

    Sites whose generator turns straight quotes into curly ones (Zola with
    `markdown.smart_punctuation = true`, Hugo with Goldmark's typographer, its default) render
    one style anyway, so nothing is reported there. On a Zola site without it, the message says
    so: that one setting settles every quote finding at once.

    ## Why is this bad?
    Mixed quotes look careless on the page, and they make searching the text harder.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    It’s late, but it's fine.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    It’s late, but it’s fine.
    ```
    """

    code = "TXT005"
    name = "quote-style"
    summary = "Straight and curly quotes mixed in one post"
    severity = "info"
    languages = ("en",)

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        if _renders_curly(ctx):
            return
        straight, curly = quote_styles(post)
        if not straight or not curly:
            return
        if len(straight) <= len(curly):
            minority, kind = straight, "straight"
        else:
            minority, kind = curly, "curly"
        placed = [offset for offset in minority if offset >= 0]
        if not placed:
            return
        start = min(placed)
        if ctx.site.generator == "zola":
            advice = (
                "set `smart_punctuation = true` in the `[markdown]` table of config.toml and "
                "Zola curls every straight quote when it builds, which settles this at once"
            )
        elif kind == "straight":
            advice = "curl the straight ones (`--fix --extend-select straight-quotes` does it)"
        else:
            advice = "use one style"
        yield self.finding(
            post.span(start, start + 1),
            f"This post mixes straight quotes and apostrophes ({len(straight)}, ' \") with curly "
            f"ones ({len(curly)}, ‘ ’ “ ”): this is the first {kind} one; {advice}.",
        )


def _in_any(offset: int, damaged: Sequence[Repair]) -> bool:
    return any(r.start <= offset < r.end for r in damaged)


# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Footnote numbers pasted as text

# a word of letters, the punctuation that ends a clause, one or two digits glued to it, then the
# next sentence (or the end of the paragraph)
_DIGIT = re.compile(r"\d")
_GLUED_NOTE = re.compile(
    r"(?<![\w.@/\\-])(?P<word>[^\W\d_]{2,})"
    r"(?:(?P<end>[.!?][”’\")]?|[”’\")])(?P<note>\d{1,2})(?=[ \t\n]+[“‘\"]?[A-Z]|[ \t]*(?:\x00|$))"
    r"|(?P<clause>,)(?P<inner>\d{1,2})(?=[ \t\n]+[a-z]))"
)


# abbreviations written before a number ("No.5", "Fig.2"), not sentence ends
_NUMBERED_TEXT = "no nr nos vol fig figs art sec ch chap pp eq ex ref tab app op ed"
_NUMBERED = frozenset(_NUMBERED_TEXT.split())


class FootnoteAsText(Rule):
    """
    ## What it does
    Flags footnote numbers pasted as plain text: digits glued to the end of a sentence or
    clause (`in the pandemic.2 Second, wages rose`), as copying from a PDF, a Word file or a
    web page leaves them when the superscript is lost.

    Only digits right after a word and its punctuation count, followed by the next sentence or
    the end of the paragraph: numbers (`3.2`), versions, times and references such as
    `Table 2` are never read this way.

    ## Why is this bad?
    The reader sees a stray number in the middle of a sentence, and the note it pointed to is
    gone.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    Prices fell in the pandemic.2 Second, wages rose.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    Prices fell in the pandemic.[^2] Second, wages rose.

    [^2]: As the central bank's annual report shows.
    ```
    """

    code = "TXT006"
    name = "footnote-as-text"
    summary = "A footnote number pasted as plain text after a sentence"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        text = prose(post)
        t = text.text
        if _DIGIT.search(t) is None:  # most posts: done without walking the text in Python
            return
        for m in _GLUED_NOTE.finditer(t):
            note = "note" if m.group("note") else "inner"
            mark, digits = m.group("end") or m.group("clause"), m.group(note)
            at = m.start(note)
            word = m.group("word")
            if text.in_url(*m.span()) or word.isupper() or word.lower() in _NUMBERED:
                continue  # ASN.1, No.5: a name or an abbreviation with its number
            start = text.file(at)
            yield self.finding(
                post.span(start, start + len(digits)),
                f"`{mark}{digits}` looks like a footnote number pasted as text: make it a "
                f"footnote (`[^{digits}]`) or remove it.",
            )


# ---------------------------------------------------------------------------------------------


def rules() -> Iterator[type[Rule]]:
    yield from (
        Mojibake,
        RepeatedWord,
        Whitespace,
        PunctuationSpacing,
        QuoteStyle,
        FootnoteAsText,
        ExtraWhitespace,
    )


FAMILY = Family(
    name="text",
    prefix="TXT",
    description="Text: mojibake, repeated words, stray whitespace, punctuation spacing, quotes.",
    rules=tuple(rules()),
    options=(
        Option(
            "allow-repeated",
            (),
            "Words that may be written twice in a row, on top of the built-in grammatical "
            "doubles (had had, that that, is is ...).",
            list,
        ),
    ),
)
