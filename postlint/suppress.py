"""Inline suppressions and a post's own opt-outs, applied to every finding about the post.

``<!-- postlint-disable RULE -->`` ... ``<!-- postlint-enable RULE -->`` covers the lines between,
``<!-- postlint-disable-next-line RULE -->`` the next non-blank line, and
``[extra.postlint] ignore = [...]`` in the front matter the whole post. No rule means every rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from postlint.model import Post
from postlint.registry import matches
from postlint.rule import Rule

_EVERY_RULE = ("ALL",)


@dataclass(frozen=True)
class Suppressor:
    """Line ranges (inclusive) in which some rules are silenced, picklable for the cache."""

    ranges: tuple[tuple[tuple[str, ...], int, int], ...]

    def silences(self, rule: type[Rule], line: int) -> bool:
        return any(
            first <= line <= last and any(matches(s, rule) for s in selectors)
            for selectors, first, last in self.ranges
        )


def suppressor_for(post: Post) -> Suppressor:
    last_line = len(post.lines.starts)
    ranges: list[tuple[tuple[str, ...], int, int]] = []
    extra = post.meta.get("extra")
    own = extra.get("postlint") if isinstance(extra, dict) else None
    ignore = own.get("ignore") if isinstance(own, dict) else None
    if isinstance(ignore, str):
        ignore = [ignore]
    if isinstance(ignore, list):
        ranges.append((tuple(str(rule) for rule in ignore), 1, last_line))
    open_from: dict[str, int] = {}
    for item in post.suppressions:
        selectors = item.rules or _EVERY_RULE
        if item.action == "disable-next-line":
            line = _next_content_line(post, item.span.end_line)
            ranges.append((selectors, line, line))
        elif item.action == "disable":
            for selector in selectors:
                open_from.setdefault(selector, item.span.line)
        else:
            for selector in selectors if item.rules else tuple(open_from):
                if selector in open_from:
                    ranges.append(((selector,), open_from.pop(selector), item.span.line))
    ranges.extend(((selector,), first, last_line) for selector, first in open_from.items())
    return Suppressor(tuple(ranges))


def _next_content_line(post: Post, line: int) -> int:
    total = len(post.lines.starts)
    candidate = line + 1
    while candidate < total and not post.line_text(candidate).strip():
        candidate += 1
    return candidate
