"""TEMPORARY stub replaced by the parser branch."""

from __future__ import annotations

from typing import Any

from postlint.model import AuthorSection, LineIndex


def find_author_sections(
    text: str, blocks: Any, lines: LineIndex, roster: tuple[str, ...] = ()
) -> tuple[AuthorSection, ...]:
    return ()
