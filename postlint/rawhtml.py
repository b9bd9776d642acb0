"""Find the URLs written in raw HTML, each with its exact place in the text.

The standard library's ``html.parser`` decides where tags are, the way a browser tokenizes them:
a quoted ``>`` stays inside its attribute, comments are skipped whole, and the text of
``<script>`` and ``<style>`` holds no tags. Each start tag found is then read again, with the
parser's own attribute grammar, to learn where every value stands in the text; values keep their
entities as written, since an edit of the file must replace exactly what is there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["URL_ATTRIBUTES", "Attribute", "Element", "elements", "srcset_urls", "start_tag"]

# The attributes that hold a URL, per element: what a page loads or links to.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
}

# CPython's ``html.parser`` grammar for a tag name and one attribute (``tagfind_tolerant``,
# ``attrfind_tolerant``): the parser's reading of a tag, with the positions it keeps to itself.
_TAG_NAME = re.compile(r"<([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
    r"('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)
_SPACE = " \t\n\r\f"


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute value: ``raw`` as written (quotes removed) at ``start:end`` of the text."""

    raw: str
    start: int
    end: int

    @property
    def value(self) -> str:
        """The value with its character references decoded, as the browser reads it."""
        return html.unescape(self.raw) if "&" in self.raw else self.raw


@dataclass(slots=True)
class Element:
    """A start tag at ``start:end`` of the text; for ``<a>``, its text and where it closes."""

    tag: str
    start: int
    end: int
    attrs: dict[str, Attribute] = field(default_factory=dict)  # the first of each name
    text: str = ""  # the text up to ``</a>``, tags removed and white space collapsed
    close: int = -1  # the end of ``</a>``, -1 when the text does not close the element


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = ""
        self.lines: list[int] = [0]
        self.tags: Collection[str] = ()
        self.found: list[Element] = []
        self.anchor: Element | None = None
        self.words: list[str] = []

    def scan(self, raw: str, tags: Collection[str]) -> list[Element]:
        self.reset()
        self.raw, self.tags, self.found, self.anchor, self.words = raw, tags, [], None, []
        lines = [0]
        pos = raw.find("\n")
        while pos >= 0:
            lines.append(pos + 1)
            pos = raw.find("\n", pos + 1)
        self.lines = lines
        self.feed(raw)
        self.close()
        self._end_anchor(-1)
        return self.found

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def _element(self, tag: str) -> Element | None:
        if tag not in self.tags:
            return None
        element = _read_tag(tag, self.get_starttag_text() or "", self._offset())
        self.found.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._element(tag)
        if tag == "a":
            self._end_anchor(-1)
            self.anchor = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.anchor is not None:
            start = self._offset()
            end = self.raw.find(">", start)
            self._end_anchor(len(self.raw) if end < 0 else end + 1)

    def handle_data(self, data: str) -> None:
        if self.anchor is not None:
            self.words.append(data)

    def _end_anchor(self, close: int) -> None:
        if self.anchor is not None:
            self.anchor.text = " ".join("".join(self.words).split())
            self.anchor.close = close
        self.anchor, self.words = None, []


def _read_tag(tag: str, text: str, start: int) -> Element:
    """The element of the start tag ``text``, found at ``start``, with its attributes' places."""
    element = Element(tag, start, start + len(text))
    m = _TAG_NAME.match(text)
    pos = m.end() if m else len(text)
    while pos < len(text):
        am = _ATTRIBUTE.match(text, pos)
        if not am or am.end() == pos:
            break
        pos = am.end()
        name = am.group(1).lower()
        if am.group(2) is None or name in element.attrs:
            continue
        a, b = am.start(3), am.end(3)
        if b - a >= 2 and text[a] in "'\"" and text[b - 1] == text[a]:
            a, b = a + 1, b - 1
        element.attrs[name] = Attribute(text[a:b], start + a, start + b)
    return element


def start_tag(raw: str, tags: Collection[str] = URL_ATTRIBUTES) -> Element | None:
    """The element of ``raw`` when it is one start tag named in ``tags`` (as Markdown's inline
    HTML is), read without the parser, which costs more than the tag."""
    m = _TAG_NAME.match(raw)
    if m is None or m.group(1).lower() not in tags or not raw.endswith(">"):
        return None
    return _read_tag(m.group(1).lower(), raw, 0)


_SCANNER = _Scanner()


def elements(raw: str, tags: Collection[str] = URL_ATTRIBUTES) -> list[Element]:
    """The start tags named in ``tags`` (lower case) in ``raw``, in order; none in comments."""
    return _SCANNER.scan(raw, tags)


def srcset_urls(value: str) -> list[tuple[int, int]]:
    """Where each candidate URL stands in a ``srcset`` value, as the HTML standard splits it.

    A URL runs to the next white space; commas at its end separate it from the next candidate,
    else its descriptors (``2x``, ``640w``) run to the next comma outside parentheses.
    """
    out: list[tuple[int, int]] = []
    pos, n = 0, len(value)
    while True:
        while pos < n and (value[pos] in _SPACE or value[pos] == ","):
            pos += 1
        if pos >= n:
            return out
        start = pos
        while pos < n and value[pos] not in _SPACE:
            pos += 1
        end = pos
        while end > start and value[end - 1] == ",":
            end -= 1
        if end > start:
            out.append((start, end))
        if end < pos:
            continue  # the commas ended the candidate: no descriptors
        depth = 0
        while pos < n:
            c = value[pos]
            pos += 1
            if c == "(":
                depth += 1
            elif c == ")":
                depth = max(0, depth - 1)
            elif c == "," and depth == 0:
                break
