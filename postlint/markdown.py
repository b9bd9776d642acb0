"""Parse a post's Markdown body with mistune 3 and give every node its exact place in the file.

mistune produces tokens without positions, after normalising line endings and stripping the
prefixes of block quotes and list items. We keep mistune as the only Markdown grammar and recover
positions around it:

* Blocks: a ``BlockParser`` subclass records the source range of each token it creates (every
  rule starts at ``m.start()`` and ends at the cursor it returns; paragraphs start at the cursor).
* Containers: mistune re-parses a block quote's or list item's text, prefixes stripped, in a
  child state. Each child line is matched to its parent line (the child content is a suffix of
  the parent line), so every child state has a per-line affine map into the top-level source.
* Inlines: mistune's inline tokens are walked alongside the leaf's inline source; each token's
  syntax (delimiters, brackets, destinations, escapes) is matched to find where it stands.
* Finally, offsets in the normalised body are shifted by the CR characters that ``\\r\\n``
  normalisation removed and by the front matter / BOM that precede the body.

Two extensions that Zola and Hugo both turn on are read here too, with their positions:
footnotes (``[^1]`` marks and ``[^1]: ...`` notes) and pipe tables (a leaf block per cell).
URLs in raw HTML are found by ``rawhtml`` with the standard library's HTML parser.

Nesting is capped by mistune's own ``max_nested_level`` (20 block or inline levels); deeper
markers are parsed as plain paragraph text, which also keeps every walker here shallow.

Known limits: a leaf whose inline tokens cannot be matched to its source (never seen in the
tests, including random input) keeps its block span but gets no inlines or runs, rather than
wrong positions; shortcut references (``[label]`` alone) are not reported as undefined, since
prose uses brackets too; shortcodes are only found in paragraphs and headings, not inside raw
HTML blocks; the text of an inline ``<a>`` is its source with tags, ``*`` and backticks removed;
a table may interrupt a paragraph as in Goldmark (pulldown-cmark wants a leading ``|`` for
that); an entity inside a ``srcset`` value is not decoded.
``parse_body`` pauses the cyclic garbage collector while it runs (see there).
"""

from __future__ import annotations

import gc
import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from re import Match
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState
from mistune.helpers import parse_link, parse_link_href, parse_link_label
from mistune.inline_parser import InlineParser
from mistune.util import unikey

from postlint.model import (
    Block,
    Footnote,
    FootnoteReference,
    Heading,
    Image,
    Inline,
    LineIndex,
    Link,
    LinkDefinition,
    Span,
    Suppression,
    TextRun,
    UndefinedReference,
)
from postlint.rawhtml import (
    URL_ATTRIBUTES,
    Attribute,
    Element,
    elements,
    srcset_urls,
    start_tag,
)
from postlint.slug import heading_anchors

__all__ = ["Body", "parse_body"]

Token = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Body:
    """Everything the Markdown after the front matter contains, with spans into the file."""

    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    definitions: tuple[LinkDefinition, ...]
    undefined_references: tuple[UndefinedReference, ...]
    images: tuple[Image, ...]
    runs: tuple[TextRun, ...]
    suppressions: tuple[Suppression, ...]
    footnotes: tuple[Footnote, ...] = ()
    footnote_references: tuple[FootnoteReference, ...] = ()


# ---------------------------------------------------------------------------------------------
# Block level: a state and a parser that remember where tokens come from


class _State(BlockState):
    """A block state that maps its own ``src`` offsets to offsets in the top-level source."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hint = 0  # where the next child container's lines start in this state's src
        self.starts: list[int] | None = None  # child line starts (None: this is the root)
        self.bases: list[int] = []
        self.leads: list[int] = []

    def to_root(self, offset: int) -> int:
        """Top-level offset of ``offset``; synthetic leading columns map to the line's content."""
        starts = self.starts
        if starts is None:
            return offset
        i = bisect_right(starts, offset) - 1
        if i < 0:
            i = 0
        col = offset - starts[i]
        lead = self.leads[i]
        return self.bases[i] + (col if col >= lead else lead)

    def add_paragraph(self, text: str) -> None:
        # mistune always passes src[cursor:cursor + len(text)]
        last = self.tokens[-1] if self.tokens else None
        end = self.cursor + len(text)
        if last is not None and last["type"] == "paragraph":
            last["text"] += text
            last["_e"] = end
        else:
            self.tokens.append({"type": "paragraph", "text": text, "_s": self.cursor, "_e": end})

    def append_paragraph(self) -> int | None:
        last = self.tokens[-1] if self.tokens else None
        if last is not None and last["type"] == "paragraph":
            pos = self.find_line_end()
            last["text"] += self.get_text(pos)
            last["_e"] = pos
            return pos
        return None

    def child_state(self, src: str, lazy_line_starts: set[int] | None = None) -> _State:
        child = _State(self)
        child.process(src)
        if lazy_line_starts:
            child.lazy_line_starts = lazy_line_starts
        _align_child(self, child, src)
        self.env["_states"][id(child.tokens)] = child
        return child


def _align_child(parent: _State, child: _State, src: str) -> None:
    """Match each line of a container's stripped text to its line in the parent source.

    The child line's content (leading whitespace aside, which mistune may have re-expanded from
    tabs) is a suffix of the parent line. Blank parent lines may be skipped, and so may one
    marker line whose item text starts on the next line (``-\\n  text``).
    """
    psrc = parent.src
    plen = len(psrc)
    pos = parent.hint
    # where the container itself starts: first non-blank line at the hint
    first = pos
    while first < plen:
        nl = psrc.find("\n", first)
        pe = plen if nl < 0 else nl
        if psrc[first:pe].strip():
            break
        first = pe + 1
    nl = psrc.find("\n", first)
    first_line = psrc[first : plen if nl < 0 else nl]
    first_start = min(first + len(first_line) - len(first_line.lstrip(" \t")), plen)
    last_end = first + len(first_line.rstrip())

    starts: list[int] = []
    bases: list[int] = []
    leads: list[int] = []
    lines = src.split("\n")
    if src.endswith("\n"):
        lines.pop()
    cstart = 0
    skipped = False
    to_root = parent.to_root
    for k, line in enumerate(lines):
        content = line.lstrip(" \t")
        lead = len(line) - len(content)
        core = content.rstrip(" \t")
        while True:
            if pos >= plen:
                anchor = plen
                break
            nl = psrc.find("\n", pos)
            pe = plen if nl < 0 else nl
            pline = psrc[pos:pe].rstrip(" \t")
            if pline.endswith(core):
                anchor = pos + len(pline) - len(core)
                if core:
                    last_end = pos + len(pline)
                pos = pe + 1
                break
            if not pline.strip() or (k == 0 and not skipped):
                skipped = skipped or bool(pline.strip())
                pos = pe + 1
                continue
            anchor = pos + max(0, len(pline) - len(core))  # never expected; stay near
            pos = pe + 1
            break
        starts.append(cstart)
        bases.append(to_root(anchor) - lead)
        leads.append(lead)
        cstart += len(line) + 1
    if not starts:
        starts, bases, leads = [0], [to_root(first_start)], [0]
    child.starts, child.bases, child.leads = starts, bases, leads
    parent.hint = min(pos, plen)
    items: dict[int, tuple[int, int]] = parent.env["_items"]
    items[id(child.tokens)] = (to_root(first_start), to_root(max(last_end, first_start)))


_ATX_PREFIX = re.compile(r" {0,3}#{1,6}[ \t]*")


# A footnote label: no white space, as in mistune's footnotes plugin, pulldown-cmark and Goldmark.
_FOOTNOTE_LABEL = r"(?:[^\\\[\]\s]|\\.){1,500}"
_FOOTNOTE_DEF = r"^ {0,3}\[\^(?P<footnote_label>" + _FOOTNOTE_LABEL + r")\]:"
# ``types![^1]`` is a mark after a "!", not an image (as pulldown-cmark and Goldmark read it)
_FOOTNOTE_REF = r"!?\[\^(?P<footnote_ref>" + _FOOTNOTE_LABEL + r")\]"
# A line that starts a block of its own: it ends a footnote's lazy continuation and a table.
_BLOCK_STARTS = [
    "blank_line",
    "fenced_code",
    "atx_heading",
    "thematic_break",
    "block_quote",
    "list",
    "block_html",
    "footnote",
]
# A pipe table (GFM, as Zola and Hugo read it): a header line with a pipe, then a delimiter row
# of ``---`` cells (``:`` for alignment) with a pipe; the cell counts are compared when parsed.
_DELIMITER_CELL = r"[ \t]*:?-+:?[ \t]*"
_TABLE = (
    r"^ {0,3}(?P<table_head>[^\n]*\|[^\n]*)\n {0,3}(?P<table_delimiter>\|?(?:"
    + _DELIMITER_CELL
    + r"\|)+(?:"
    + _DELIMITER_CELL
    + r")?|\|"
    + _DELIMITER_CELL
    + r")[ \t]*(?:\n|$)"
)


class _Parser(BlockParser):
    """mistune's block parser, recording ``_s``/``_e`` (state offsets) on every token.

    It also reads two extensions that Zola (pulldown-cmark) and Hugo (Goldmark) turn on:
    footnote definitions (``[^label]: text``), before link reference definitions: a container
    like a list item, whose text goes on in lines indented four columns, after blank lines too,
    and in lazy lines of a paragraph; and pipe tables, whose cells keep their places. mistune's
    own plugins for both keep no positions (the footnotes plugin parses the text apart, the
    table plugin strips the cells).
    """

    def __init__(self) -> None:
        super().__init__()
        self.specification["footnote"] = _FOOTNOTE_DEF
        self.specification["table"] = _TABLE
        self._methods["footnote"] = self.parse_footnote
        self._methods["table"] = self.parse_table
        for rules in (self.rules, self.block_quote_rules, self.list_rules):
            rules.insert(rules.index("ref_link"), "footnote")
            rules.insert(rules.index("ref_link") + 1, "table")

    def parse_table(self, m: Match[str], state: Any) -> int | None:
        src: str = state.src
        head = _table_cells(src, *m.span("table_head"))
        delimiter = _table_cells(src, *m.span("table_delimiter"))
        if len(head) != len(delimiter):
            return None  # not a table: the header line stays in the paragraph
        align = []
        for a, b in delimiter:
            cell = src[a:b]
            left, right = cell.startswith(":"), cell.endswith(":")
            align.append(
                "center" if left and right else "left" if left else "right" if right else None
            )
        rows = [(m.start("table_head"), _rstrip(src, m.start(), m.end("table_head")), head)]
        pos: int = m.end()
        breaks = self.compile_sc(_BLOCK_STARTS)
        while pos < state.cursor_max and not breaks.match(src, pos):
            end: int = state.find_line_end_at(pos)
            cells = _table_cells(src, pos, end)[: len(head)]  # cells past the header's are dropped
            rows.append((_lstrip(src, pos, end), _rstrip(src, pos, end), cells))
            pos = end
        state.append_token({"type": "table", "rows": rows, "align": align})
        return pos

    def parse_method(self, m: Match[str], state: Any) -> int | None:
        tokens = state.tokens
        before = len(tokens)
        start = m.start()
        res = super().parse_method(m, state)
        if res:
            _position_new(tokens, before, start, res)
        return res

    def _parse_indent_code_fast(self, state: BlockState) -> int | None:
        # tried on every line: only a line that starts with a space or a tab can be indented code
        if state.src[state.cursor : state.cursor + 1] not in (" ", "\t"):
            return None
        tokens = state.tokens
        before = len(tokens)
        start = state.cursor
        res = super()._parse_indent_code_fast(state)
        if res:
            _position_new(tokens, before, start, res)
        return res

    def parse_footnote(self, m: Match[str], state: Any) -> int:
        src: str = state.src
        end: int = state.find_line_end_at(m.end())
        lines = [src[m.end() : end].lstrip(" \t")]
        pos = end
        breaks = self.compile_sc(_BLOCK_STARTS)
        blank = False
        while pos < state.cursor_max:
            end = state.find_line_end_at(pos)
            line = src[pos:end]
            if not line.strip():
                lines.append(line)
                blank = True
            elif line.startswith("\t") or line.startswith("    "):
                lines.append(line[1:] if line[0] == "\t" else line[4:])
                blank = False
            elif not blank and not breaks.match(src, pos) and lines[-1].strip():
                lines.append(line)  # a lazy continuation of the paragraph
            else:
                break
            pos = end
        while len(lines) > 1 and not lines[-1].strip():
            pos -= len(lines.pop())  # trailing blank lines belong to what follows
        if not lines[0].strip():
            lines.pop(0)  # the text starts on the next line
        text = "".join(lines)
        old = state.hint
        state.hint = m.start()
        try:
            child = state.child_state(text if text.endswith("\n") else text + "\n")
        finally:
            state.hint = old
        rules = self.block_quote_rules
        if state.depth() >= self.max_nested_level - 1:
            rules = [r for r in rules if r not in ("block_quote", "list", "footnote")]
        self.parse(child, rules)
        state.append_token(
            {
                "type": "footnote",
                "label": m.group("footnote_label"),
                "children": child.tokens,
                "_label": (m.start("footnote_label") - 2, m.end("footnote_label") + 1),
            }
        )
        return pos

    def parse_block_quote(self, m: Match[str], state: Any) -> int:
        old = state.hint
        state.hint = m.start()
        try:
            return super().parse_block_quote(m, state)
        finally:
            state.hint = old

    def parse_list(self, m: Match[str], state: Any) -> int:
        old = state.hint
        state.hint = m.start()
        try:
            return super().parse_list(m, state)
        finally:
            state.hint = old

    def parse_setex_heading(self, m: Match[str], state: Any) -> int | None:
        last = state.last_token()
        was_paragraph = last is not None and last["type"] == "paragraph"
        res = super().parse_setex_heading(m, state)
        if res and was_paragraph and last["type"] == "heading":
            last["_e"] = res
        return res

    def parse_fenced_code(self, m: Match[str], state: Any) -> int | None:
        before = len(state.tokens)
        res = super().parse_fenced_code(m, state)
        if res and len(state.tokens) > before:
            marker = m.group("fenced_2")
            closing = re.compile(
                r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + ",}[ \t]*$", re.M
            )
            body_start = min(m.end() + 1, res)
            state.tokens[-1]["_closed"] = closing.search(state.src, body_start, res) is not None
        return res

    def parse_ref_link(self, m: Match[str], state: Any) -> int | None:
        before = len(state.tokens)
        last = state.last_token()
        continuation = last is not None and last["type"] == "paragraph"
        res = super().parse_ref_link(m, state)
        if res and not continuation and len(state.tokens) == before:
            # a definition (mistune keeps only the first of a label in env; we record all)
            pos = m.end()
            src = state.src
            while pos < len(src) and src[pos] in " \t\n":
                pos += 1
            href, href_end = parse_link_href(src, pos, block=True)
            if href is None or href_end is None:
                return res
            if src.startswith("<", pos):
                url_s, url_e = pos + 1, href_end - 1
            else:
                url_s, url_e = pos, href_end
            label = m.group("reflink_1")
            ref = state.env["ref_links"].get(unikey(label), {})
            title = None
            tail = src[href_end:res].strip()
            if tail:
                title = ref.get("title") if ref.get("label") == label else tail[1:-1]
            state.tokens.append(
                {
                    "type": "ref_def",
                    "label": label,
                    "title": title,
                    "_url": (url_s, url_e),
                    "_s": m.start(),
                    "_e": res,
                }
            )
        return res


def _table_cells(src: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where the cells of a table line stand, white space trimmed; an escaped pipe is text."""
    start, end = _strip(src, start, end)
    if start < end and src[start] == "|":
        start += 1
    if end > start and src[end - 1] == "|" and not _escaped_at(src, end - 1):
        end -= 1
    cells = []
    cell = i = start
    while i < end:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "|":
            cells.append(_strip(src, cell, i))
            cell = i + 1
        i += 1
    cells.append(_strip(src, cell, end))
    return cells


def _escaped_at(src: str, i: int) -> bool:
    slashes = 0
    while i - slashes - 1 >= 0 and src[i - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _position_new(tokens: list[Token], before: int, start: int, end: int) -> None:
    """Give tokens created by one rule its range; a container stops where a break token starts."""
    new = tokens[before:]
    for t in new:
        s = t.get("_s")
        if s is not None and start < s < end:
            end = s
    for t in new:
        if "_s" not in t:
            t["_s"] = start
            t["_e"] = end


# ---------------------------------------------------------------------------------------------
# The document walk


_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]+;|[^\t\n\f <&#;]{1,32};)")
_SOFTBREAK = re.compile(r" *\n\s*")
_LINEBREAK = re.compile(r"(?:\\| {2,})\n\s*")
_BACKTICKS = re.compile(r"`+")
_EXPLICIT_ID = re.compile(r"[ \t]*\{#([^{}\s]+)\}[ \t]*$")
_UNDEFINED_REF = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\[((?:[^\[\]\\]|\\.)*)\]")
_SUPPRESSION = re.compile(
    r"<!--\s*postlint-(disable-next-line|disable|enable)(?![\w-])(.*?)-->", re.S
)
_A_CLOSE = re.compile(r"</a\s*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_ZOLA_SHORTCODE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\(([^()]*)\)\s*\}\}")
_HUGO_SHORTCODE = re.compile(r"\{\{[<%]\s*([A-Za-z_][\w/-]*)((?:[^}]|\}(?!\}))*?)\s*[>%]\}\}")
_SHORTCODE_ARG = re.compile(r"""([A-Za-z_]\w*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHORTCODE_SRC = ("src", "path", "image")


def _span_factory() -> Callable[[int, int, int, int, int, int], Span]:
    """Build Spans through their slot descriptors.

    A frozen dataclass's ``__init__`` goes through ``object.__setattr__`` once per field, which
    doubles the cost of the few hundred thousand spans a long post needs. Writing the slots
    directly gives equal objects; without slots we fall back to the constructor.
    """
    try:
        s0, s1, s2, s3, s4, s5 = (
            getattr(Span, name).__set__
            for name in ("start", "end", "line", "column", "end_line", "end_column")
        )
    except AttributeError:  # pragma: no cover - the model lost its slots
        return Span
    new = Span.__new__

    def make(a: int, b: int, c: int, d: int, e: int, f: int) -> Span:
        span = new(Span)
        s0(span, a)
        s1(span, b)
        s2(span, c)
        s3(span, d)
        s4(span, e)
        s5(span, f)
        return span

    return make


def _inline_factory() -> Callable[[str, Span, str, tuple[Inline, ...]], Inline]:
    """Build Inlines through their slot descriptors (see ``_span_factory``)."""
    try:
        s0, s1, s2, s3 = (getattr(Inline, n).__set__ for n in ("kind", "span", "text", "children"))
    except AttributeError:  # pragma: no cover
        return Inline
    new = Inline.__new__

    def make(kind: str, span: Span, text: str, children: tuple[Inline, ...]) -> Inline:
        node = new(Inline)
        s0(node, kind)
        s1(node, span)
        s2(node, text)
        s3(node, children)
        return node

    return make


def _run_factory() -> Callable[[str, Span, int], TextRun]:
    """Build TextRuns through their slot descriptors (see ``_span_factory``)."""
    try:
        s0, s1, s2 = (getattr(TextRun, n).__set__ for n in ("text", "span", "block"))
    except AttributeError:  # pragma: no cover
        return TextRun
    new = TextRun.__new__

    def make(text: str, span: Span, block: int) -> TextRun:
        run = new(TextRun)
        s0(run, text)
        s1(run, span)
        s2(run, block)
        return run

    return make


def _block_factory() -> Callable[
    [str, Span, tuple[Block, ...], tuple[Inline, ...], dict[str, Any]], Block
]:
    """Build Blocks through their slot descriptors (see ``_span_factory``)."""
    try:
        s0, s1, s2, s3, s4 = (
            getattr(Block, n).__set__ for n in ("kind", "span", "children", "inlines", "attrs")
        )
    except AttributeError:  # pragma: no cover
        return Block
    new = Block.__new__

    def make(
        kind: str,
        span: Span,
        children: tuple[Block, ...],
        inlines: tuple[Inline, ...],
        attrs: dict[str, Any],
    ) -> Block:
        block = new(Block)
        s0(block, kind)
        s1(block, span)
        s2(block, children)
        s3(block, inlines)
        s4(block, attrs)
        return block

    return make


_BLOCK = _block_factory()
_RUN = _run_factory()
_SPAN = _span_factory()
_INLINE = _inline_factory()


class _Misaligned(Exception):
    """The inline walk could not find a token's syntax where expected."""


_BLOCK_PARSER = _Parser()
_INLINE_PARSER = InlineParser()


def _parse_footnote_ref(parser: InlineParser, m: Match[str], state: Any) -> int:
    """``[^label]``: a footnote reference, defined or not (checks judge that)."""
    raw = m.group(0)
    if raw.startswith("!"):
        state.append_token({"type": "text", "raw": "!"})
        raw = raw[1:]
    state.append_token({"type": "footnote_ref", "raw": raw, "label": m.group("footnote_ref")})
    return m.end()


_INLINE_PARSER.register(
    "footnote", _FOOTNOTE_REF, _parse_footnote_ref, before="link", start_chars=("!", "[")
)
# Every default inline rule of mistune starts with one of these characters (``linebreak`` needs
# the newline), so a leaf without any of them is one text token: no need to run the parser.
_INLINE_MARKUP = re.compile(r"[\\`*_!\[\]<\n]")


def parse_body(text: str, body_start: int, lines: LineIndex, anchor_style: str = "zola") -> Body:
    """Parse ``text[body_start:]`` (``text`` is the whole decoded file) into a positioned Body.

    ``TextRun.block`` (and ``Block.attrs["leaf"]``) number the leaf blocks that hold prose, that
    is paragraphs (including tight list item text), headings and table cells, from 0 in document
    order, nested containers included; runs of one paragraph share the number.
    """
    # The parse allocates hundreds of thousands of small acyclic objects (tokens, spans, runs);
    # letting the cyclic collector rescan them all as they pile up costs more than the parse
    # on long posts. The one reference cycle we create is broken in build().
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Builder(text, body_start, lines, anchor_style).build()
    finally:
        if enabled:
            gc.enable()


class _Builder:
    def __init__(self, text: str, body_start: int, lines: LineIndex, anchor_style: str) -> None:
        self.text = text
        self.lines = lines
        self.anchor_style = anchor_style
        base = body_start
        if base == 0 and text.startswith("\ufeff"):
            base = 1
        body = text[base:]
        self.crs: list[int] = []
        if "\r\n" in body:
            parts = body.split("\r\n")
            crs = []
            pos = 0
            for part in parts[:-1]:
                pos += len(part)
                crs.append(pos)
                pos += 1
            self.crs = crs
            body = "\n".join(parts)
        self.base = base
        self.body_len = len(text) - base
        self.line_starts = lines.starts
        self.cached_line, self.cached_start, self.cached_next = 1, 0, 0
        self.bom = lines.bom
        if not body.endswith("\n"):
            body += "\n"
        self.src = body
        self.headings: list[tuple[Heading, Block | None]] = []
        self.heading_info: list[dict[str, Any]] = []
        self.links: list[Link] = []
        self.definitions: list[LinkDefinition] = []
        self.def_map: dict[str, LinkDefinition] = {}
        self.undefined: list[UndefinedReference] = []
        self.images: list[Image] = []
        self.runs: list[TextRun] = []
        self.suppressions: list[Suppression] = []
        self.footnotes: list[Footnote] = []
        self.footnote_references: list[FootnoteReference] = []
        self.leaf = 0

    # -- offsets ------------------------------------------------------------------------------

    def orig(self, root: int) -> int:
        """File offset of an offset in the normalised body."""
        crs = self.crs
        n = root + bisect_left(crs, root) if crs else root
        if n < 0:
            n = 0
        elif n > self.body_len:
            n = self.body_len
        return self.base + n

    def span(self, state: _State, start: int, end: int) -> Span:
        s = self.orig(state.to_root(start))
        e = self.orig(state.to_root(end)) if end > start else s
        return self.file_span(s, max(s, e))

    def root_span(self, start: int, end: int) -> Span:
        s = self.orig(start)
        return self.file_span(s, max(s, self.orig(end)))

    def file_span(self, s: int, e: int) -> Span:
        """``LineIndex.span`` with a same-line shortcut: spans are made by the ten thousand."""
        starts = self.line_starts
        if self.cached_start <= s < self.cached_next:
            line = self.cached_line  # spans come in document order: mostly the same line
        else:
            line = bisect_right(starts, s)
            self.cached_line = line
            self.cached_start = starts[line - 1]
            self.cached_next = starts[line] if line < len(starts) else self.cached_start
        ls = starts[line - 1]
        col = s - ls + 1
        if line == 1 and self.bom and s > 0:
            col -= 1
        if line < len(starts) and e < starts[line]:
            ecol = e - ls + 1
            if line == 1 and self.bom and e > 0:
                ecol -= 1
            return _SPAN(s, e, line, col, line, ecol)
        end_line, end_col = self.lines.position(e)
        return _SPAN(s, e, line, col, end_line, end_col)

    def mapper(self, state: _State, base: int) -> Callable[[int], int] | int:
        """A leaf's offset map: a constant shift when no container or CR stands in the way."""
        if state.starts is None and not self.crs:
            return self.base + base
        to_root = state.to_root
        orig = self.orig
        return lambda x: orig(to_root(base + x))

    def _state_span(self, state: _State, origin: int) -> Callable[[int, int], Span]:
        def span(a: int, b: int) -> Span:
            return self.span(state, origin + a, origin + b)

        return span

    # -- build --------------------------------------------------------------------------------

    def build(self) -> Body:
        state = _State()
        state.env["_items"] = {}
        state.env["_states"] = {}
        state.process(self.src)
        _BLOCK_PARSER.parse(state)
        self.env = state.env
        # definitions first: links resolve against them wherever they stand
        self._collect_definitions(state.tokens, state)
        try:
            blocks = self._blocks(state.tokens, state)
        finally:
            # child states point at their parents and env points at them: break the cycle so
            # reference counting frees the parse without the (disabled) cyclic collector
            state.env["_states"].clear()
        headings = self._finish_headings()
        return Body(
            blocks=blocks,
            headings=headings,
            links=tuple(sorted(self.links, key=_start)),
            definitions=tuple(self.definitions),
            undefined_references=tuple(self.undefined),
            images=tuple(sorted(self.images, key=_start)),
            runs=tuple(self.runs),
            suppressions=tuple(self.suppressions),
            footnotes=tuple(self.footnotes),
            footnote_references=tuple(self.footnote_references),
        )

    def _collect_definitions(self, tokens: list[Token], state: _State) -> None:
        stack: list[tuple[list[Token], _State]] = [(tokens, state)]
        while stack:
            toks, st = stack.pop()
            for tok in toks:
                t = tok["type"]
                if t == "ref_def":
                    us, ue = tok["_url"]
                    d = LinkDefinition(
                        label=tok["label"],
                        url=st.src[us:ue],
                        span=self.span(st, *_strip(st.src, tok["_s"], tok["_e"])),
                        url_span=self.span(st, us, ue),
                        title=tok["title"],
                    )
                    self.definitions.append(d)
                elif t == "block_quote" or t == "footnote":
                    stack.append((tok["children"], self._child_state(tok, st)))
                elif t == "list":
                    for item in tok["children"]:
                        stack.append((item["children"], self._child_state(item, st)))
        self.definitions.sort(key=lambda d: d.span.start)
        for d in self.definitions:
            self.def_map.setdefault(unikey(d.label), d)

    def _child_state(self, tok: Token, state: _State) -> _State:
        found = self.env["_states"].get(id(tok.get("children")))
        return found if isinstance(found, _State) else state

    def _blocks(self, tokens: list[Token], state: _State) -> tuple[Block, ...]:
        out: list[Block] = []
        for tok in tokens:
            block = self._block(tok, state)
            if block is not None:
                out.append(block)
        return tuple(out)

    def _block(self, tok: Token, state: _State) -> Block | None:
        t = tok["type"]
        if t == "blank_line" or ("_s" not in tok and t != "list_item"):
            return None
        src = state.src
        if t in ("paragraph", "block_text"):
            s, e = _strip(src, tok["_s"], tok["_e"])
            inlines = self._leaf_inlines(state, s, src[s:e])
            block = _BLOCK("paragraph", self.span(state, s, e), (), inlines, {"leaf": self.leaf})
            if t == "block_text":
                block.attrs["tight"] = True
            self.leaf += 1
            return block
        if t == "heading":
            return self._heading(tok, state)
        if t == "thematic_break":
            s, e = _strip(src, tok["_s"], tok["_e"])
            return Block("thematic_break", self.span(state, s, e))
        if t == "block_code":
            fenced = tok.get("style") == "fenced"
            s = tok["_s"]
            if fenced:
                s = _lstrip(src, s, tok["_e"])
            e = _rstrip(src, s, tok["_e"])
            attrs: dict[str, Any] = {
                "style": "fenced" if fenced else "indented",
                "info": (tok.get("attrs") or {}).get("info", ""),
                "closed": bool(tok.get("_closed", True)),
                "raw": tok.get("raw", ""),
            }
            return Block("code_block", self.span(state, s, e), attrs=attrs)
        if t == "block_html":
            s, e = _strip(src, tok["_s"], tok["_e"])
            raw = src[s:e]
            kind = (
                "html_comment" if raw.startswith("<!--") and raw.endswith("-->") else "html_block"
            )
            self._html(raw, self._state_span(state, s))
            return Block(kind, self.span(state, s, e), attrs={"raw": tok.get("raw", raw)})
        if t == "ref_def":
            s = tok["_s"]
            e = _rstrip(src, s, tok["_e"])
            return Block(
                "reference_definition",
                self.span(state, _lstrip(src, s, e), e),
                attrs={"label": tok["label"]},
            )
        if t == "block_quote":
            child = self._child_state(tok, state)
            s, e = _strip(src, tok["_s"], tok["_e"])
            return Block(
                "block_quote", self.span(state, s, e), children=self._blocks(tok["children"], child)
            )
        if t == "list":
            return self._list(tok, state)
        if t == "table":
            return self._table(tok, state)
        if t == "footnote":
            s, e = _strip(src, tok["_s"], tok["_e"])
            span = self.span(state, s, e)
            self.footnotes.append(Footnote(tok["label"], span, self.span(state, *tok["_label"])))
            children = self._blocks(tok["children"], self._child_state(tok, state))
            return Block("footnote", span, children, attrs={"label": tok["label"]})
        return None

    def _list(self, tok: Token, state: _State) -> Block:
        s, e = _strip(state.src, tok["_s"], tok["_e"])
        attrs = tok.get("attrs") or {}
        ordered = bool(attrs.get("ordered"))
        start = int(attrs.get("start", 1)) if ordered else None
        items: list[Block] = []
        positions: dict[int, tuple[int, int]] = self.env["_items"]
        for i, item in enumerate(tok["children"]):
            child = self._child_state(item, state)
            rs, re_ = positions.get(id(item["children"]), (state.to_root(s), state.to_root(s)))
            item_attrs: dict[str, Any] = {"number": (start or 1) + i} if ordered else {}
            item_attrs["bullet"] = tok.get("bullet")
            children = self._blocks(item["children"], child)
            items.append(_BLOCK("list_item", self.root_span(rs, re_), children, (), item_attrs))
        return Block(
            "list",
            self.span(state, s, e),
            children=tuple(items),
            attrs={
                "ordered": ordered,
                "start": start,
                "tight": bool(tok.get("tight")),
                "bullet": tok.get("bullet"),
            },
        )

    def _table(self, tok: Token, state: _State) -> Block:
        """A table of rows of cells; each cell is a leaf of its own, as the page shows it."""
        src = state.src
        align = tok["align"]
        rows = []
        for r, (rs, re_, cells) in enumerate(tok["rows"]):
            kids = []
            for c, (cs, ce) in enumerate(cells):
                inlines = self._leaf_inlines(state, cs, src[cs:ce])
                attrs = {"leaf": self.leaf, "head": r == 0, "align": align[c]}
                kids.append(_BLOCK("table_cell", self.span(state, cs, ce), (), inlines, attrs))
                self.leaf += 1
            rows.append(
                Block("table_row", self.span(state, rs, re_), tuple(kids), attrs={"head": r == 0})
            )
        s, e = _strip(src, tok["_s"], tok["_e"])
        return Block("table", self.span(state, s, e), tuple(rows), attrs={"align": tuple(align)})

    # -- headings -----------------------------------------------------------------------------

    def _heading(self, tok: Token, state: _State) -> Block:
        src = state.src
        s, e = _strip(src, tok["_s"], tok["_e"])
        level = int(tok["attrs"]["level"])
        style = tok.get("style", "atx")
        if style == "setext":
            # the paragraph text, then the underline
            nl = src.rfind("\n", s, e)
            ts, te = _strip(src, s, nl if nl > s else e)
        else:
            m = _ATX_PREFIX.match(src, s)
            ts = m.end() if m else s
            heading_text = tok.get("text", "")
            found = src.find(heading_text, ts, e + 1) if heading_text else -1
            if heading_text and found >= 0:
                ts, te = found, found + len(heading_text)
            else:
                ts, te = ts, ts
        inline_src = src[ts:te]
        explicit: str | None = None
        mid = _EXPLICIT_ID.search(inline_src)
        if mid:
            explicit = mid.group(1)
            inline_src = inline_src[: mid.start()]
            te = ts + len(inline_src)
        inlines = self._leaf_inlines(state, ts, inline_src)
        plain = _plain(inlines)
        block = Block(
            "heading",
            self.span(state, s, e),
            inlines=inlines,
            attrs={"level": level, "style": style, "anchor": "", "leaf": self.leaf},
        )
        if explicit:
            block.attrs["explicit_id"] = explicit
        self.leaf += 1
        heading = Heading(
            level=level,
            text=plain,
            anchor="",
            span=block.span,
            text_span=self.span(state, ts, te),
            style="setext" if style == "setext" else "atx",
            explicit_id=explicit,
        )
        self.headings.append((heading, block))
        return block

    def _finish_headings(self) -> tuple[Heading, ...]:
        anchors = heading_anchors([h.text for h, _ in self.headings], self.anchor_style)
        out = []
        for (h, block), anchor in zip(self.headings, anchors, strict=True):
            final = h.explicit_id or anchor
            if block is not None:
                block.attrs["anchor"] = final  # attrs is a plain dict: filled once, before return
            out.append(Heading(h.level, h.text, final, h.span, h.text_span, h.style, h.explicit_id))
        return tuple(out)

    # -- inlines ------------------------------------------------------------------------------

    def _leaf_inlines(self, state: _State, base: int, src: str) -> tuple[Inline, ...]:
        if not src:
            return ()
        if _INLINE_MARKUP.search(src) is None:
            # entities, shortcodes and bare URLs are not prose: the walk cuts them out of runs
            if "&" not in src and "{{" not in src and "://" not in src and "www." not in src:
                return self._plain_leaf(state, base, src)
            tokens: list[Token] = [{"type": "text", "raw": src}]  # what mistune would return
        else:
            tokens = _INLINE_PARSER(src, self.env)
        walker = _InlineWalker(self, state, base, src)
        try:
            inlines, _ = walker.walk(tokens, 0)
        except (_Misaligned, IndexError):
            return ()
        walker.finish(self.leaf)
        return tuple(inlines)

    def _plain_leaf(self, state: _State, base: int, src: str) -> tuple[Inline, ...]:
        """A leaf of literal prose on one line: one text node and one run, as the walk gives."""
        shift = self.mapper(state, base)
        if isinstance(shift, int):
            span = self.file_span(shift, shift + len(src))
            self.runs.append(_RUN(src, span, self.leaf))
        else:
            start = shift(0)
            span = self.file_span(start, max(start, shift(len(src))))
            if span.end - span.start == len(src) and self.text[span.start : span.end] == src:
                self.runs.append(_RUN(src, span, self.leaf))
        return (_INLINE("text", span, src, ()),)

    def _html(
        self, raw: str, span: Callable[[int, int], Span], leaf: str = "", after: int = 0
    ) -> None:
        """Links, images and suppressions inside raw HTML (offsets relative to ``raw``).

        For an inline tag, ``leaf[after:]`` is the Markdown after it, where an ``<a>``'s text and
        ``</a>`` are.
        """
        if "<!--" in raw:
            for m in _SUPPRESSION.finditer(raw):
                rules = tuple(r for r in re.split(r"[\s,]+", m.group(2).strip()) if r)
                action = m.group(1)
                self.suppressions.append(Suppression(action, rules, span(m.start(), m.end())))  # type: ignore[arg-type]
        lower = raw.lower()
        if "href" not in lower and "src" not in lower and "poster" not in lower:
            return
        if leaf:  # one inline tag
            found = start_tag(raw)
            tags = [found] if found is not None else []
        else:
            tags = elements(raw)
        for element in tags:
            tag, attrs = element.tag, element.attrs
            whole = span(element.start, element.end)
            for name in URL_ATTRIBUTES[tag]:
                value = attrs.get(name)
                if value is None:
                    continue
                if tag == "img" or name in ("srcset", "poster"):
                    self._html_images(tag, name, value, attrs, whole, span)
                elif tag == "a":
                    self.links.append(self._html_anchor(element, value, span, leaf, after))
                else:
                    url_span = span(value.start, value.end)
                    self.links.append(Link(value.raw, "", whole, url_span, "html", element=tag))

    def _html_images(
        self,
        tag: str,
        name: str,
        value: Attribute,
        attrs: dict[str, Attribute],
        whole: Span,
        span: Callable[[int, int], Span],
    ) -> None:
        places = srcset_urls(value.raw) if name == "srcset" else [(0, len(value.raw))]
        alt = attrs.get("alt") if name == "src" else None
        title = attrs.get("title") if tag == "img" else None
        for a, b in places:
            self.images.append(
                Image(
                    src=value.raw[a:b],
                    alt=alt.value if alt else "",
                    span=whole,
                    src_span=span(value.start + a, value.start + b),
                    kind="html",
                    alt_span=span(alt.start, alt.end) if alt else None,
                    title=title.value if title else None,
                    attribute=name,
                )
            )

    def _html_anchor(
        self,
        element: Element,
        href: Attribute,
        span: Callable[[int, int], Span],
        leaf: str,
        after: int,
    ) -> Link:
        text, end = element.text, element.close
        if end < 0:
            text, end = "", element.end
            close = _A_CLOSE.search(leaf, after) if leaf else None
            if close:  # an inline tag: the text is Markdown, up to the ``</a>`` of the leaf
                inner = leaf[after : close.start()].replace("*", "").replace("`", "")
                text = html.unescape(" ".join(_TAG.sub("", inner).split()))
                end = element.end + close.end() - after
        title = element.attrs.get("title")
        return Link(
            href.raw,
            text,
            span(element.start, end),
            span(href.start, href.end),
            "html",
            title.value if title else None,
            element="a",
        )


def _start(node: Link | Image) -> int:
    return node.span.start


def _strip(src: str, s: int, e: int) -> tuple[int, int]:
    e = _rstrip(src, s, e)
    return _lstrip(src, s, e), e


def _rstrip(src: str, s: int, e: int) -> int:
    while e > s and src[e - 1] in " \t\n\r\f\v":
        e -= 1
    return e


def _lstrip(src: str, s: int, e: int) -> int:
    while s < e and src[s] in " \t\n\r\f\v":
        s += 1
    return s


def _plain(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    parts: list[str] = []
    for node in inlines:
        if node.kind in ("text", "codespan"):
            parts.append(node.text)
        elif node.kind in ("softbreak", "linebreak"):
            parts.append(" ")
        elif node.children:
            parts.append(_plain(node.children))
    return "".join(parts)


class _InlineWalker:
    """Walks mistune's inline tokens alongside the leaf's inline source ``src``."""

    def __init__(self, builder: _Builder, state: _State, base: int, src: str) -> None:
        self.b = builder
        self.state = state
        self.base = base
        self.src = src
        self.pieces: list[tuple[int, int]] = []  # literal prose, offsets in src
        self.html: list[tuple[int, str]] = []
        self.links: list[Link] = []
        self.images: list[Image] = []
        self.footnote_references: list[FootnoteReference] = []
        self.map = builder.mapper(state, base)
        self.file_span = builder.file_span
        self.text_span_cache: dict[tuple[int, int], Span] = {}  # text tokens, in order
        self.text_spans: list[tuple[int, int]] | None = None

    def span(self, a: int, b: int) -> Span:
        m = self.map
        if isinstance(m, int):
            return self.file_span(a + m, b + m)
        s = m(a)
        return self.file_span(s, max(s, m(b)) if b > a else s)

    def _offset_span(self, origin: int) -> Callable[[int, int], Span]:
        def span(a: int, b: int) -> Span:
            return self.span(origin + a, origin + b)

        return span

    def walk(self, tokens: list[Token], pos: int) -> tuple[list[Inline], int]:
        out: list[Inline] = []
        append = out.append
        s = self.src
        pieces = self.pieces
        cache = self.text_span_cache
        shift = self.map
        file_span = self.file_span
        for tok in tokens:
            t = tok["type"]
            start = pos
            if t == "text":
                raw = tok["raw"]
                if "\\" not in raw and s.startswith(raw, pos):
                    pos += len(raw)
                    pieces.append((start, pos))
                else:
                    pos = self._escaped(raw, pos)
                if isinstance(shift, int):
                    sp = file_span(start + shift, pos + shift)
                else:
                    sp = self.span(start, pos)
                cache[(start, pos)] = sp
                append(_INLINE("text", sp, raw, ()))
            elif t in ("emphasis", "strong"):
                n = 1 if t == "emphasis" else 2
                if s[pos : pos + n].strip("*_"):
                    raise _Misaligned(t)
                kids, pos = self.walk(tok["children"], pos + n)
                if s[pos : pos + n].strip("*_") or pos + n > len(s):
                    raise _Misaligned(t)
                pos += n
                append(_INLINE(t, self.span(start, pos), "", tuple(kids)))
            elif t == "codespan":
                m = _BACKTICKS.match(s, pos)
                if not m:
                    raise _Misaligned(t)
                n = m.end() - pos
                end = _code_end(s, m.end(), n)
                pos = end + n
                append(_INLINE("codespan", self.span(start, pos), tok.get("raw", ""), ()))
            elif t == "softbreak" or t == "linebreak":
                m = (_SOFTBREAK if t == "softbreak" else _LINEBREAK).match(s, pos)
                if not m:
                    raise _Misaligned(t)
                pos = m.end()
                append(_INLINE(t, self.span(start, pos), "", ()))
            elif t == "inline_html":
                raw = tok["raw"]
                if not s.startswith(raw, pos):
                    raise _Misaligned(t)
                pos += len(raw)
                self.html.append((start, raw))
                append(_INLINE("html", self.span(start, pos), raw, ()))
            elif t in ("link", "image"):
                node, pos = self._link(tok, pos)
                append(node)
            elif t == "footnote_ref":
                raw = tok["raw"]
                if not s.startswith(raw, pos):
                    raise _Misaligned(t)
                pos += len(raw)
                sp = self.span(start, pos)
                self.footnote_references.append(FootnoteReference(tok["label"], sp))
                append(_INLINE("footnote_ref", sp, tok["label"], ()))
            else:
                raise _Misaligned(t)
        return out, pos

    def _escaped(self, raw: str, pos: int) -> int:
        """Match text whose backslash escapes mistune removed; literal pieces become prose."""
        s = self.src
        piece = pos
        for ch in raw:
            if s[pos] == "\\" and pos + 1 < len(s) and s[pos + 1] == ch and ch in _ESCAPABLE:
                if pos > piece:
                    self.pieces.append((piece, pos))
                pos += 2
                piece = pos
            elif s[pos] == ch:
                pos += 1
            else:
                raise _Misaligned("text")
        if pos > piece:
            self.pieces.append((piece, pos))
        return pos

    def _link(self, tok: Token, pos: int) -> tuple[Inline, int]:
        s = self.src
        start = pos
        attrs = tok.get("attrs") or {}
        image = tok["type"] == "image"
        if not image and s.startswith("<", pos):
            end = s.find(">", pos)
            if end < 0:
                raise _Misaligned("autolink")
            url = s[pos + 1 : end]
            pos = end + 1
            span = self.span(start, pos)
            kid = Inline("text", self.span(start + 1, end), url)
            self.links.append(Link(url, url, span, self.span(start + 1, end), "autolink"))
            return Inline("link", span, children=(kid,)), pos
        opener = "![" if image else "["
        if not s.startswith(opener, pos):
            raise _Misaligned("link")
        inner_start = pos + len(opener)
        kids, pos = self.walk(tok["children"], inner_start)
        if not s.startswith("]", pos):
            raise _Misaligned("link close")
        inner_end = pos
        pos += 1
        label: str | None = None
        url_s = url_e = -1
        definition: LinkDefinition | None = None
        if "label" in tok:
            label = tok["label"]
            if s.startswith("[", pos):
                found, next_pos = parse_link_label(s, pos + 1)
                if found is not None and next_pos is not None:
                    pos = next_pos
            definition = self.b.def_map.get(unikey(label or ""))
        else:
            if not s.startswith("(", pos):
                raise _Misaligned("link dest")
            _, next_pos = parse_link(s, pos + 1)
            if next_pos is None:
                raise _Misaligned("link dest")
            q = pos + 1
            while q < next_pos and s[q] in " \t\n":
                q += 1
            if s.startswith("<", q):
                url_s = q + 1
                url_e = s.find(">", url_s)
            else:
                url_s, url_e = q, _dest_end(s, q, next_pos)
            pos = next_pos
        span = self.span(start, pos)
        text = _plain(kids)
        title = attrs.get("title")
        if definition is not None:
            url, url_span = definition.url, definition.url_span
        elif url_s >= 0:
            url, url_span = s[url_s:url_e], self.span(url_s, url_e)
        else:
            url, url_span = str(attrs.get("url", "")), None
        if image:
            self.images.append(
                Image(
                    url,
                    text,
                    span,
                    url_span or span,
                    "markdown",
                    self.span(inner_start, inner_end),
                    title,
                )
            )
        else:
            kind: Any = "reference" if label is not None else "inline"
            self.links.append(Link(url, text, span, url_span, kind, title, label))
        return Inline(tok["type"], span, children=tuple(kids)), pos

    def finish(self, leaf: int) -> None:
        """Emit runs, links, images, undefined references, shortcodes and suppressions."""
        b = self.b
        s = self.src
        text = b.text
        runs = b.runs
        cuts = self._shortcodes() if "{{" in s else []
        if "://" in s or "www." in s:
            urls = [u for u in _bare_urls(s) if self._in_text(u[0])]
            if urls:
                cuts = sorted(cuts + urls)
        pieces = _cut(self.pieces, cuts) if cuts else self.pieces
        cache = self.text_span_cache
        if isinstance(self.map, int):
            # the leaf is a verbatim slice of the file: no need to check pieces against it
            for a, z in pieces:
                piece = s[a:z]
                sp = cache.get((a, z))
                if sp is not None and "&" not in piece and "\n" not in piece:
                    runs.append(_RUN(piece, sp, leaf))
                    continue
                for pa, pz in _split_piece(s, a, z):
                    runs.append(_RUN(s[pa:pz], self.span(pa, pz), leaf))
        else:
            for a, z in pieces:
                for pa, pz in _split_piece(s, a, z):
                    sp = cache.get((pa, pz)) or self.span(pa, pz)
                    piece = s[pa:pz]
                    if sp.end - sp.start == len(piece) and text[sp.start : sp.end] == piece:
                        runs.append(_RUN(piece, sp, leaf))
        # links and images in document order with html ones interleaved
        b.links.extend(self.links)
        b.images.extend(self.images)
        b.footnote_references.extend(self.footnote_references)
        for start, raw in self.html:
            b._html(raw, self._offset_span(start), s, start + len(raw))
        if "][" in s:
            self._undefined()

    def _in_text(self, pos: int) -> bool:
        spans = self.text_spans
        if spans is None:
            spans = self.text_spans = list(self.text_span_cache)  # walked in source order
        i = bisect_right(spans, (pos, 1 << 60)) - 1
        return i >= 0 and spans[i][0] <= pos < spans[i][1]

    def _undefined(self) -> None:
        defs = self.b.def_map
        for m in _UNDEFINED_REF.finditer(self.src):
            label = m.group(2) or m.group(1)
            key = unikey(label)
            if not key or key in defs:
                continue
            if m.start() > 0 and self.src[m.start() - 1] == "\\":
                continue
            close = m.start(2) - 2
            if all(self._in_text(p) for p in (m.start(), close, close + 1, m.end() - 1)):
                self.b.undefined.append(UndefinedReference(label, self.span(m.start(), m.end())))

    def _shortcodes(self) -> list[tuple[int, int]]:
        """Image shortcodes with a literal path; returns every shortcode's range (not prose)."""
        cuts: list[tuple[int, int]] = []
        for pattern in (_ZOLA_SHORTCODE, _HUGO_SHORTCODE):
            for m in pattern.finditer(self.src):
                if not self._in_text(m.start()):
                    continue
                cuts.append((m.start(), m.end()))
                args: dict[str, tuple[str, int, int]] = {}
                for am in _SHORTCODE_ARG.finditer(self.src, m.start(2), m.end(2)):
                    g = 2 if am.group(2) is not None else 3
                    args.setdefault(am.group(1), (am.group(g), am.start(g), am.end(g)))
                key = next((k for k in _SHORTCODE_SRC if k in args), None)
                if key is None:
                    continue
                src, ss, se = args[key]
                alt = args.get("alt")
                self.b.images.append(
                    Image(
                        src=src,
                        alt=alt[0] if alt else "",
                        span=self.span(m.start(), m.end()),
                        src_span=self.span(ss, se),
                        kind="shortcode",
                        alt_span=self.span(alt[1], alt[2]) if alt else None,
                        title=args["title"][0] if "title" in args else None,
                    )
                )
        cuts.sort()
        return cuts


_BARE_URL = re.compile(r"(?:\b[A-Za-z][A-Za-z0-9+.-]{1,31}://|\bwww\.)[^\s<>]+")


def _bare_urls(s: str) -> list[tuple[int, int]]:
    """URLs written as plain text (no autolink syntax): not prose, so not in runs.

    Trailing punctuation and an unbalanced closing parenthesis stay with the sentence.
    """
    out = []
    for m in _BARE_URL.finditer(s):
        end = m.end()
        while end > m.start():
            c = s[end - 1]
            unbalanced = c == ")" and s.count("(", m.start(), end) < s.count(")", m.start(), end)
            if c not in ".,:;!?'\"*_~" and not unbalanced:
                break
            end -= 1
        out.append((m.start(), end))
    return out


def _cut(pieces: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Remove the ``cuts`` ranges from the ``pieces`` ranges (both sorted by start), walking
    the two lists together: every cut against every piece was quadratic on a long line."""
    out: list[tuple[int, int]] = []
    first = 0
    for a, z in pieces:
        while first < len(cuts) and cuts[first][1] <= a:
            first += 1
        k = first
        while k < len(cuts) and cuts[k][0] < z:
            ca, cz = cuts[k]
            k += 1
            if cz <= a:
                continue
            if ca > a:
                out.append((a, ca))
            a = max(a, cz)
        if z > a:
            out.append((a, z))
    return out


def _split_piece(s: str, a: int, z: int) -> list[tuple[int, int]]:
    """Split a literal piece at line breaks and entities (neither is literal prose)."""
    out: list[tuple[int, int]] = []
    if "\n" not in s[a:z] and "&" not in s[a:z]:
        return [(a, z)]
    pos = a
    for m in _ENTITY.finditer(s, a, z) if "&" in s[a:z] else ():
        out.extend(_split_lines(s, pos, m.start()))
        pos = m.end()
    out.extend(_split_lines(s, pos, z))
    return out


def _split_lines(s: str, a: int, z: int) -> list[tuple[int, int]]:
    out = []
    while a < z:
        nl = s.find("\n", a, z)
        end = z if nl < 0 else nl
        if end > a:
            out.append((a, end))
        a = end + 1
    return out


_CODE_END_CACHE: dict[int, re.Pattern[str]] = {}


def _code_end(s: str, pos: int, n: int) -> int:
    pattern = _CODE_END_CACHE.get(n)
    if pattern is None:
        pattern = re.compile(r"(?<!`)`{" + str(n) + r"}(?!`)")
        _CODE_END_CACHE[n] = pattern
    m = pattern.search(s, pos)
    if not m:
        raise _Misaligned("codespan")
    return m.start()


def _dest_end(s: str, q: int, limit: int) -> int:
    """End of a bare link destination: whitespace or an unbalanced ``)`` ends it."""
    depth = 0
    i = q
    while i < limit:
        c = s[i]
        if c == "\\" and i + 1 < limit:
            i += 2
            continue
        if c in " \t\n":
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return i
