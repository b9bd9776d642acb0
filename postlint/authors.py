"""Author sections: a post written by several people, each part opened by an author line.

A minimal finder (the parser branch owns the full one): an author line is a top-level paragraph
that is only a bold name (``**Name**``), or a heading whose text is a name, optionally bold,
optionally followed by a separator and a title (``## Name — Editor``). A heading that is only a
name counts when the roster knows it or the post also writes that name as an author line in
another form, so an ordinary ``## Results`` heading is never taken for an author.
"""

from __future__ import annotations

import re
from typing import Any

from postlint.model import AuthorForm, AuthorSection, Block, LineIndex

_NAME = r"[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,3}"
_NAME_ONLY = re.compile(rf"^{_NAME}$")
_NAME_TITLE = re.compile(rf"^(?P<name>{_NAME}?)(?P<sep>\s*[—–]\s*| - )(?P<title>\S.*)$")
_SKIP = ("blank_line", "thematic_break")


# words that open a bold label or a heading, never a byline (**Update**, ## Key Takeaways)
_LABELS = frozenset(
    """
    note notes update updates edit disclaimer summary conclusion conclusions introduction
    takeaways takeaway sources source references reference caveat caveats context background
    bonus aside footnotes credits acknowledgements acknowledgments appendix related links
    reading further key thoughts questions question answer answers step part chapter section
    table figure chart contents overview results methods method data discussion faq tldr
    warning tip tips important example examples bottom line next previous prologue epilogue
    """.split()  # noqa: SIM905
)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        bool(_NAME_ONLY.match(text))
        and all(w[:1].isupper() for w in words)
        and not any(w.casefold().strip(".'’") in _LABELS for w in words)
    )


def _line(
    block: Block, text: str, roster: set[str]
) -> tuple[str, str, AuthorForm, int, int] | None:
    """(name, title, form, name start, name end) when the block is an author line."""
    inlines = [i for i in block.inlines if not (i.kind == "text" and not i.text.strip())]
    if not inlines:
        return None
    if block.kind == "paragraph":
        if (
            len(inlines) != 1
            or inlines[0].kind != "strong"
            or "\n" in text[block.span.start : block.span.end].strip()
        ):
            return None
        children = inlines[0].children
        if len(children) != 1 or children[0].kind != "text":
            return None
        name = children[0].text.strip()
        if not _looks_like_name(name):
            return None
        start = children[0].span.start + children[0].text.index(name)
        return name, "", AuthorForm("bold"), start, start + len(name)
    if block.kind != "heading" or block.attrs.get("level", 0) < 2:
        return None
    level = int(block.attrs["level"])
    first = inlines[0]
    emphasis = first.kind == "strong"
    if emphasis:
        if len(first.children) != 1 or first.children[0].kind != "text":
            return None
        name_node = first.children[0]
        name = name_node.text.strip()
        rest = "".join(i.text for i in inlines[1:] if i.kind == "text")
        if any(i.kind != "text" for i in inlines[1:]) or not _looks_like_name(name):
            return None
        start = name_node.span.start + name_node.text.index(name)
        sep_match = re.match(r"^(\s*[—–]\s*| - )(\S.*)$", rest) if rest.strip() else None
        if rest.strip() and sep_match is None:
            return None
        separator = sep_match.group(1) if sep_match else ""
        title = sep_match.group(2).strip() if sep_match else ""
        form = AuthorForm("heading", level, separator, True)
        return name, title, form, start, start + len(name)
    if len(inlines) != 1 or first.kind != "text":
        return None
    content = first.text.strip()
    start = first.span.start + first.text.index(content)
    m = _NAME_TITLE.match(content)
    if m and _looks_like_name(m.group("name")):
        name = m.group("name")
        form = AuthorForm("heading", level, m.group("sep"), False)
        return name, m.group("title").strip(), form, start, start + len(name)
    if _looks_like_name(content) and content.casefold() in roster:
        return content, "", AuthorForm("heading", level), start, start + len(content)
    return None


def find_author_sections(
    text: str, blocks: Any, lines: LineIndex, roster: tuple[str, ...] = ()
) -> tuple[AuthorSection, ...]:
    known = {name.casefold() for name in roster}
    found: list[tuple[int, tuple[str, str, AuthorForm, int, int]]] = []
    for index, block in enumerate(blocks):
        if block.kind in ("paragraph", "heading"):
            line = _line(block, text, known)
            if line is not None:
                found.append((index, line))
    if not found:
        return ()
    # a name-only heading counts when the post writes the same name as an author elsewhere
    names = {line[0].casefold() for _, line in found}
    for index, block in enumerate(blocks):
        if block.kind == "heading" and all(i != index for i, _ in found):
            line = _line(block, text, names)
            if line is not None:
                found.append((index, line))
    found.sort(key=lambda item: item[0])
    sections = []
    for n, (index, (name, title, form, start, end)) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(blocks)
        block = blocks[index]
        last = block.span.end
        for other in blocks[index + 1 : stop]:
            if other.kind not in _SKIP:
                last = other.span.end
        line_end = text.find("\n", block.span.start)
        line_end = len(text) if line_end < 0 else line_end
        line_end = max(line_end, block.span.end) if form.kind == "bold" else line_end
        sections.append(
            AuthorSection(
                author=name,
                title=title,
                form=form,
                line_span=lines.span(block.span.start, min(block.span.end, line_end)),
                name_span=lines.span(start, end),
                span=lines.span(block.span.start, last),
            )
        )
    return tuple(sections)
