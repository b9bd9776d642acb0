"""Heading anchors as the site generator computes them (placeholder until the links issue)."""

from __future__ import annotations

import re


def heading_anchors(texts: list[str], style: str = "zola") -> list[str]:
    """The anchor id of each heading, in order, with duplicates numbered as the generator does."""
    seen: dict[str, int] = {}
    anchors = []
    for text in texts:
        base = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchors.append(base if count == 0 else f"{base}-{count}")
    return anchors
