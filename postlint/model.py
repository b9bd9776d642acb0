"""The read-only model of a post: every node knows exactly where it stands in the file.

Offsets index ``Post.text`` (the decoded file, BOM and CR characters kept), so an edit made from
a span can be written back byte for byte. Lines and columns are 1-based and count characters;
ends are exclusive, as in SARIF and LSP.
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Literal, TypeVar

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")

_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle a frozen slots dataclass as a call to its constructor with its field values.

    What ``dataclass`` gives slots classes instead walks ``dataclasses.fields`` for every object
    it restores. Results (spans, links, headings ...) cross from worker processes and come back
    from the cache by the hundred thousand, and this way they load several times faster.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    assert len(names) > 1  # attrgetter returns a tuple only for two names or more
    values = operator.attrgetter(*names)

    def __reduce__(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """A range of the file: offsets into ``Post.text`` and the same range as lines and columns."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class LineIndex:
    """Turns offsets into 1-based line and column numbers (a BOM takes no column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.bom = text.startswith("\ufeff")
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        line = bisect.bisect_right(self.starts, offset)
        column = offset - self.starts[line - 1] + 1
        if line == 1 and self.bom and offset > 0:
            column -= 1
        return line, column

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(start, end, line, column, end_line, end_column)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of the file with ``replacement``."""

    span: Span
    replacement: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Fix:
    """Edits that together repair one finding; unsafe fixes change words the writer chose."""

    edits: tuple[Edit, ...]
    safe: bool = True


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """What a check reports: the engine adds path, severity and docs URL to make a Diagnostic."""

    rule: str
    span: Span
    message: str
    fix: Fix | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, as every report format and the Python API see it (the JSON contract)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: Severity
    message: str
    fix: tuple[Edit, ...] | None = None
    url: str = ""
    fix_safe: bool | None = None
    start: int = 0
    end: int = 0

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


# ---------------------------------------------------------------------------------------------
# Front matter


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FrontMatterError:
    message: str
    span: Span


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The metadata block: ``format`` is "toml" (``+++``) or "yaml" (``---``)."""

    format: Literal["toml", "yaml"]
    data: dict[str, Any]
    span: Span  # the whole block, delimiters included
    inner: Span  # the text between the delimiters
    keys: dict[str, Span]  # dotted key path ("extra.postlint.ignore") -> span of the key
    error: FrontMatterError | None = None
    leading_junk: Span | None = None  # blank lines before the opening delimiter

    def key_span(self, dotted: str) -> Span:
        """The span of a key, else of its nearest enclosing table, else of the opening line."""
        while dotted:
            if dotted in self.keys:
                return self.keys[dotted]
            dotted = dotted.rpartition(".")[0]
        return self.span


# ---------------------------------------------------------------------------------------------
# Body


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class TextRun:
    """Literal prose: ``text`` equals ``Post.text[span.start:span.end]`` character for character.

    Escapes, entities, code, URLs and markup are never inside a run, so any offset found in
    ``text`` maps to ``span.start + offset`` in the file.
    """

    text: str
    span: Span
    block: int  # the leaf block (paragraph or heading) it belongs to, numbered in document order


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Inline:
    """An inline node: text, emphasis, strong, codespan, link, image, html, linebreak, softbreak,
    footnote_ref (``text`` is the label)."""

    kind: str
    span: Span
    text: str = ""  # literal text for text and codespan nodes; raw HTML for html nodes
    children: tuple[Inline, ...] = ()


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Block:
    """A block node. ``kind``: paragraph, heading, list, list_item, block_quote, code_block,
    html_block, html_comment, thematic_break, reference_definition, footnote, blank_line."""

    kind: str
    span: Span
    children: tuple[Block, ...] = ()
    inlines: tuple[Inline, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)
    # heading: level, style ("atx"|"setext"), anchor; list: ordered, start, tight, bullet;
    # list_item: number (ordered) or bullet; code_block: style ("fenced"|"indented"), info,
    # closed (bool); html_block / html_comment: raw; footnote: label


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # plain text, as the generator slugifies it
    anchor: str  # the id the generator gives it (explicit {#id} wins)
    span: Span  # the whole heading line(s)
    text_span: Span  # the heading's text
    style: Literal["atx", "setext"] = "atx"
    explicit_id: str | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Link:
    """A link: ``kind`` is inline, reference, autolink or html (a URL in raw HTML that a page
    links to or embeds: ``<a href>``, and the ``src`` of ``iframe``, ``embed``, ``video``,
    ``audio`` and ``source``; ``element`` names which)."""

    url: str  # the destination as written (reference links: from their definition)
    text: str  # the link text as plain text
    span: Span  # the whole link (html: the start tag, to ``</a>`` for an ``<a>``)
    url_span: Span | None  # the destination as written in the file (the definition's for refs)
    kind: Literal["inline", "reference", "autolink", "html"]
    title: str | None = None
    label: str | None = None  # reference label
    element: str = ""  # html links: the element, lower case ("a", "iframe", ...)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class LinkDefinition:
    label: str
    url: str
    span: Span
    url_span: Span
    title: str | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class UndefinedReference:
    """``[text][label]`` or ``[label]`` that mistune left as text because no definition exists."""

    label: str
    span: Span


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote definition, ``[^label]: text``; its text is the ``footnote`` block's children
    (paragraphs and more, continued on lines indented four columns)."""

    label: str  # as written between ``[^`` and ``]``
    span: Span  # the whole definition
    label_span: Span  # ``[^label]``


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FootnoteReference:
    """``[^label]`` in the text: a footnote mark, whether or not a definition exists."""

    label: str
    span: Span


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Image:
    """An image: ``kind`` is markdown, html or shortcode.

    Raw HTML gives one image per URL: an ``<img>``'s ``src``, each candidate of a ``srcset``
    (on ``<img>`` or ``<source>``) and a ``<video>``'s ``poster``; ``attribute`` says which.
    Only ``src`` images carry the alt text: the others are other files for the same picture.
    """

    src: str  # as written
    alt: str  # entities decoded
    span: Span  # the whole image (html: the start tag)
    src_span: Span
    kind: Literal["markdown", "html", "shortcode"]
    alt_span: Span | None = None
    title: str | None = None
    attribute: str = "src"  # html: src, srcset or poster


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class AuthorForm:
    """How an author line is written, so a site can keep one style."""

    kind: Literal["bold", "heading"]
    level: int = 0  # heading level, 0 for a bold line
    separator: str = ""  # between name and title: "—", " — ", " - ", "" when no title
    emphasis: bool = False  # emphasis inside the heading (## **Name**)

    def describe(self) -> str:
        if self.kind == "bold":
            return "a bold name on its own line (**Name**)"
        text = "#" * self.level + (" **Name**" if self.emphasis else " Name")
        if self.separator:
            text += f"{self.separator}Title"
        return f"a level-{self.level} heading ({text})"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class AuthorSection:
    author: str
    title: str
    form: AuthorForm
    line_span: Span  # the author line
    name_span: Span  # the name itself
    span: Span  # the whole section, author line to the last block before the next section


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline ``<!-- postlint-disable ... -->`` comment."""

    action: Literal["disable", "enable", "disable-next-line"]
    rules: tuple[str, ...]  # empty means every rule
    span: Span


@dataclass(frozen=True)
class Post:
    """A parsed post. Built once by ``parse.parse_post``; checks only read it."""

    path: str
    text: str
    lines: LineIndex
    front_matter: FrontMatter | None
    body: Span  # the Markdown after the front matter
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    definitions: tuple[LinkDefinition, ...]
    undefined_references: tuple[UndefinedReference, ...]
    images: tuple[Image, ...]
    runs: tuple[TextRun, ...]
    authors: tuple[AuthorSection, ...]
    suppressions: tuple[Suppression, ...]
    bom: bool = False
    crlf: bool = False
    footnotes: tuple[Footnote, ...] = ()
    footnote_references: tuple[FootnoteReference, ...] = ()

    def span(self, start: int, end: int) -> Span:
        return self.lines.span(start, end)

    def edit(self, start: int, end: int, replacement: str) -> Edit:
        return Edit(self.lines.span(start, end), replacement)

    @property
    def meta(self) -> dict[str, Any]:
        return self.front_matter.data if self.front_matter else {}

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        return title if isinstance(title, str) else ""

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Tags from ``[taxonomies] tags`` (Zola) or ``tags`` (Hugo, Jekyll)."""
        meta = self.meta
        taxonomies = meta.get("taxonomies")
        tags = taxonomies.get("tags") if isinstance(taxonomies, dict) else meta.get("tags")
        if isinstance(tags, list):
            return tuple(t for t in tags if isinstance(t, str))
        return ()

    def line_text(self, line: int) -> str:
        starts = self.lines.starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")
