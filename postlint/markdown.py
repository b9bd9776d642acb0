"""TEMPORARY stub replaced by the parser branch."""

from __future__ import annotations

from dataclasses import dataclass

from postlint.model import (
    Block,
    Heading,
    Image,
    LineIndex,
    Link,
    LinkDefinition,
    Suppression,
    TextRun,
    UndefinedReference,
)


@dataclass(frozen=True)
class Body:
    blocks: tuple[Block, ...] = ()
    headings: tuple[Heading, ...] = ()
    links: tuple[Link, ...] = ()
    definitions: tuple[LinkDefinition, ...] = ()
    undefined_references: tuple[UndefinedReference, ...] = ()
    images: tuple[Image, ...] = ()
    runs: tuple[TextRun, ...] = ()
    suppressions: tuple[Suppression, ...] = ()


def parse_body(text: str, body_start: int, lines: LineIndex, anchor_style: str = "zola") -> Body:
    return Body()
