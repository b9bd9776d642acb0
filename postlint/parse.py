"""From bytes to a ``Post``: decode, split the front matter, parse the body, find the authors.

Every failure here is about the file, not about postlint: it comes back as a ``SourceProblem``
that the engine turns into a diagnostic on that file, and the other posts go on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postlint.authors import find_author_sections
from postlint.frontmatter import split_front_matter
from postlint.markdown import parse_body
from postlint.model import LineIndex, Post, Span

BINARY_SNIFF = 8192
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class SourceProblem:
    """Why a file could not be read as a post: ``rule`` names the rule that reports it."""

    rule: str
    message: str
    span: Span


def decode(data: bytes) -> str | SourceProblem:
    """The file's text, or the problem that stops it from being a post."""
    if b"\x00" in data[:BINARY_SNIFF]:
        return SourceProblem(
            "file-binary",
            "This file is binary, not a Markdown post (it contains NUL bytes).",
            Span(0, 0, 1, 1, 1, 1),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        if line == 1 and before.startswith(b"\xef\xbb\xbf"):
            column -= 1
        return SourceProblem(
            "file-encoding",
            f"This file is not valid UTF-8: byte 0x{data[exc.start]:02X} at line {line}, "
            f"column {column} cannot be decoded. Re-save the file as UTF-8.",
            Span(exc.start, exc.start + 1, line, column, line, column + 1),
        )


def parse_post(
    text: str, path: str = "<text>", anchors: str = "zola", authors: tuple[str, ...] = ()
) -> Post:
    """Parse decoded text into a read-only ``Post`` (``anchors`` names the slug style).

    A lone carriage return (old Mac line endings) ends a line for CommonMark, the generators and
    editors alike; it is read as a newline, which keeps every offset where it was in the file.
    """
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    lines = LineIndex(text)
    front_matter, body_start = split_front_matter(text, lines)
    body = parse_body(text, body_start, lines, anchors)
    sections = find_author_sections(text, body.blocks, lines, authors)
    return Post(
        path=path,
        text=text,
        lines=lines,
        front_matter=front_matter,
        body=lines.span(body_start, len(text)),
        blocks=body.blocks,
        headings=body.headings,
        links=body.links,
        definitions=body.definitions,
        undefined_references=body.undefined_references,
        images=body.images,
        runs=body.runs,
        authors=sections,
        suppressions=body.suppressions,
        bom=text.startswith("\ufeff"),
        crlf="\r\n" in text,
        footnotes=body.footnotes,
        footnote_references=body.footnote_references,
    )
