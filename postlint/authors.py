"""Find the author sections of a multi-author post.

A section starts at an *author line* and runs to the last block before the next author line
(or the end of the body); a thematic break that separates two sections therefore belongs to the
earlier one. Author lines are top-level blocks written as:

* a bold name alone on its line: ``**Pranav**`` (optionally ``**Pranav** — Title``);
* a level-2 or level-3 heading: ``## Pranav``, ``## Pranav—Title``, ``## Pranav — Title``,
  ``## Pranav - Title`` (an en dash works like the em dash), with emphasis around the name or
  the whole heading: ``## **Pranav** — Title``, ``### *Pranav—Title*``.

A bold line ending with a colon (``**Stray thoughts:**``, ``**Pranav:**``) is a lead-in, never an
author line: the colon is what writers use to introduce a list or a sign-off.

With a roster the name must match one of its entries (case-insensitively) and nothing else is
needed. Without one, a name is 1–3 capitalised words (particles such as "de" or "van" allowed
between them) that contain no common non-name word (Note, Update, Summary, Thanks, ...), and a
heading that is only a name must open the body or follow a thematic break, since ordinary
section headings ("## Background") look exactly like names. And when a post puts an author line
right after a thematic break, it separates sections that way: a bare name (no "— Title") only
counts where it opens the body or follows a break (a mid-section ``**Big Tech**`` is a lead-in).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from postlint.model import AuthorForm, AuthorSection, Block, Inline, LineIndex, Span

__all__ = ["find_author_sections", "looks_like_name"]

_SEPARATOR = re.compile(r"^(?P<name>.+?)(?P<sep>\s+[—–-]\s+|[—–])(?P<title>\S.*)$", re.S)
_LEADING_SEPARATOR = re.compile(r"^(?P<sep>\s+[—–-]\s+|[—–]\s*)(?P<title>\S.*)$", re.S)
_WORD = re.compile(r"^[A-Z\u00c0-\u00de][\w'’.\-]*$|^[A-Z]\.$")
_PARTICLES = frozenset(
    {
        "de",
        "da",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "bin",
        "al",
        "di",
        "du",
        "y",
    }
)
# Words that open sign-offs, asides and ordinary section headings, never a person's name.
_NOT_NAMES_TEXT = """
    a an the and or but of on in at to for with from by about my our your their his her its this
    that these those what why how who where when which
    note notes nb update updates edit edited summary summaries conclusion conclusions thanks thank
    disclaimer disclaimers introduction intro overview background appendix references reference
    sources source links link reading further recommended resources contents table index closing
    final finally thoughts thought stray takeaways takeaway key questions question answer answers
    bonus footnote footnotes context epilogue prologue postscript ps tl;dr tldr credits
    acknowledgements acknowledgments also meanwhile elsewhere today tomorrow yesterday next
    previously recap preface foreword afterword important warning caution tip tips hint
    correction corrections erratum errata addendum sidebar aside example examples chart charts
    figure image images video podcast newsletter part chapter section sections bottom line
    verdict faq faqs quote quotes highlights news headlines more misc miscellaneous other others
    everyone all authors author contributors team editorial editor editors staff guest welcome
    hello hi introducing upcoming coming soon announcement announcements
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def looks_like_name(name: str) -> bool:
    """1–3 capitalised words, particles allowed between them, no common non-name word."""
    words = name.split()
    if not words or len([w for w in words if w.lower() not in _PARTICLES]) > 3:
        return False
    if name.rstrip().endswith(":"):
        return False
    for i, word in enumerate(words):
        low = word.lower().strip(".")
        if low in _NOT_NAMES:
            return False
        if 0 < i < len(words) - 1 and low in _PARTICLES:
            continue
        if not _WORD.match(word):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int  # position among the top-level blocks
    author: str
    title: str
    form: AuthorForm
    name_span: Span
    strong: bool  # a bold line or a heading with a title: unambiguous without position


def find_author_sections(
    text: str,
    blocks: Sequence[Block],
    lines: LineIndex,
    roster: Sequence[str] = (),
) -> tuple[AuthorSection, ...]:
    """The author sections among the top-level ``blocks`` of a parsed body (see module doc)."""
    wanted = {" ".join(r.split()).casefold() for r in roster if r.strip()}
    candidates: list[_Candidate] = []
    for index, block in enumerate(blocks):
        cand = _candidate(text, block, index, lines)
        if cand is None:
            continue
        if wanted:
            if " ".join(cand.author.split()).casefold() not in wanted:
                continue
        else:
            if not looks_like_name(cand.author):
                continue
            if not cand.strong and not _opens_section(blocks, index):
                continue
        candidates.append(cand)
    if not wanted and any(c.index > 0 and _opens_section(blocks, c.index) for c in candidates):
        # the post separates its sections with thematic breaks: an author line elsewhere is a
        # bold lead-in or a sub-heading inside someone's section
        # (a "Name — Title" line is distinctive enough to stand anywhere)
        candidates = [c for c in candidates if c.form.separator or _opens_section(blocks, c.index)]

    sections: list[AuthorSection] = []
    for k, cand in enumerate(candidates):
        last = candidates[k + 1].index - 1 if k + 1 < len(candidates) else len(blocks) - 1
        first_block = blocks[cand.index]
        end = blocks[last].span.end if last >= cand.index else first_block.span.end
        sections.append(
            AuthorSection(
                author=cand.author,
                title=cand.title,
                form=cand.form,
                line_span=first_block.span,
                name_span=cand.name_span,
                span=lines.span(first_block.span.start, end),
            )
        )
    return tuple(sections)


def _opens_section(blocks: Sequence[Block], index: int) -> bool:
    """First block of the body, or right after a thematic break."""
    return index == 0 or blocks[index - 1].kind == "thematic_break"


def _candidate(text: str, block: Block, index: int, lines: LineIndex) -> _Candidate | None:
    if block.kind == "paragraph":
        # cheap tests first: most blocks are prose paragraphs, tested for every post
        if block.span.line != block.span.end_line:
            return None
        first = block.inlines[0] if block.inlines else None
        if first is not None and first.kind == "text" and first.text[:1].strip():
            return None  # starts with prose, not with a bold name
    elif block.kind != "heading":
        return None
    nodes = _trim(block.inlines)
    if not nodes:
        return None
    if block.kind == "paragraph":
        if nodes[0].kind != "strong":
            return None
        name = _plain(nodes[0].children).strip()
        rest = _plain(nodes[1:])
        if not rest.strip():
            title, sep = "", ""
        else:
            m = _LEADING_SEPARATOR.match(rest)
            if not m:
                return None
            title, sep = m.group("title").strip(), m.group("sep")
        form = AuthorForm("bold", 0, sep, False)
        strong = True
        name_node = nodes[0]
    elif block.kind == "heading" and block.attrs.get("level") in (2, 3):
        level = int(block.attrs["level"])
        emphasis = False
        name_node = None
        if len(nodes) == 1 and nodes[0].kind in ("strong", "emphasis"):
            emphasis = True
            inner = _trim(nodes[0].children)
            if len(inner) > 1 and inner[0].kind in ("strong", "emphasis"):
                nodes = inner  # ### *__Name__ — Title*
            else:
                nodes = inner
                name_node = nodes[0] if nodes else None
        if nodes and nodes[0].kind in ("strong", "emphasis") and len(nodes) > 1:
            emphasis = True
            name_node = nodes[0]
            name = _plain(nodes[0].children).strip()
            rest = _plain(nodes[1:])
            m = _LEADING_SEPARATOR.match(rest)
            if not m:
                return None
            title, sep = m.group("title").strip(), m.group("sep")
        else:
            whole = _plain(nodes)
            if len(nodes) == 1 and nodes[0].kind in ("strong", "emphasis"):
                emphasis = True
                whole = _plain(nodes[0].children)
            whole = whole.strip()
            m = _SEPARATOR.match(whole)
            if m and looks_like_name(m.group("name").strip()):
                name, sep, title = m.group("name").strip(), m.group("sep"), m.group("title").strip()
            else:
                name, sep, title = whole, "", ""
        form = AuthorForm("heading", level, sep, emphasis)
        strong = bool(sep)
    else:
        return None
    if not name or "\n" in name:
        return None
    start = _find(text, name, name_node.span if name_node else block.span)
    if start < 0:
        start = _find(text, name, block.span)
    if start < 0:
        return None
    return _Candidate(index, name, title, form, lines.span(start, start + len(name)), strong)


def _find(text: str, name: str, span: Span) -> int:
    return text.find(name, span.start, span.end)


def _trim(nodes: Sequence[Inline]) -> list[Inline]:
    """Drop whitespace-only text nodes and breaks at both ends."""
    out = list(nodes)
    while out and _blank(out[0]):
        out.pop(0)
    while out and _blank(out[-1]):
        out.pop()
    return out


def _blank(node: Inline) -> bool:
    return node.kind in ("softbreak", "linebreak") or (
        node.kind == "text" and not node.text.strip()
    )


def _plain(nodes: Sequence[Inline]) -> str:
    parts: list[str] = []
    for node in nodes:
        if node.kind in ("text", "codespan"):
            parts.append(node.text)
        elif node.kind in ("softbreak", "linebreak"):
            parts.append(" ")
        else:
            parts.append(_plain(node.children))
    return "".join(parts)
