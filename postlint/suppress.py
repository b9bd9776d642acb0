"""Inline suppressions and a post's own opt-outs, applied to every finding about the post.

``<!-- postlint-disable RULE -->`` ... ``<!-- postlint-enable RULE -->`` covers the lines between,
``<!-- postlint-disable-next-line RULE -->`` the next non-blank line, and
``[extra.postlint] ignore = [...]`` in the front matter the whole post. No rule means every rule.
A RULE is anything ``select`` takes: a name, a code, a code prefix or a family.

A suppression is itself judged, after every rule ran: one that names no rule is reported by
``suppression-unknown-rule``, one that silenced nothing by ``suppression-unused``. The engine says
which entries silenced a finding; the suppressor turns the others into findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from postlint.model import Finding, Post, Span
from postlint.registry import Catalogue, matches
from postlint.rule import Rule

UNKNOWN_RULE = "suppression-unknown-rule"
UNUSED = "suppression-unused"
_EVERY_RULE = "ALL"
_SELECTOR = re.compile(r"[^\s,]+")
_ACTION = re.compile(r"<!--\s*postlint-(?:disable-next-line|disable|enable)")

Matcher = Callable[[str, type[Rule]], bool]


@dataclass(frozen=True)
class Entry:
    """One rule named by one suppression: the lines it covers (inclusive; none for an
    ``enable``) and where the rule is written (the whole comment when it names none)."""

    selector: str
    first: int
    last: int
    span: Span
    bare: bool = False  # a comment that names no rule: every rule

    @property
    def silences_lines(self) -> bool:
        return self.first <= self.last


@dataclass(frozen=True)
class Suppressor:
    """The suppressions of one post, picklable for the cache."""

    entries: tuple[Entry, ...]

    def silencing(self, rule: type[Rule], line: int, matcher: Matcher = matches) -> list[int]:
        """The indexes of the entries that silence ``rule`` on ``line`` (empty: none does)."""
        return [
            index
            for index, entry in enumerate(self.entries)
            if entry.first <= line <= entry.last and matcher(entry.selector, rule)
        ]

    def silences(self, rule: type[Rule], line: int, matcher: Matcher = matches) -> bool:
        return bool(self.silencing(rule, line, matcher))

    def findings(
        self, used: Collection[int], catalogue: Catalogue, active: Sequence[type[Rule]]
    ) -> Iterator[Finding]:
        """An entry that names no known rule; an entry that silenced nothing though a rule it
        names ran (``active``: selected, and not switched off by its options)."""
        for index, entry in enumerate(self.entries):
            if catalogue.unknown_selectors([entry.selector]):
                yield Finding(
                    UNKNOWN_RULE,
                    entry.span,
                    f"No rule is called or coded `{entry.selector}`"
                    f"{catalogue.did_you_mean(entry.selector)}: this silences nothing.",
                )
            elif (
                entry.silences_lines
                and index not in used
                and any(catalogue.matches(entry.selector, rule) for rule in active)
            ):
                what = "every rule" if entry.bare else f"`{entry.selector}`"
                yield Finding(
                    UNUSED, entry.span, f"This suppression of {what} silences nothing: remove it."
                )


def suppressor_for(post: Post) -> Suppressor:
    last_line = len(post.lines.starts)
    entries = list(_own_ignores(post, last_line))
    open_from: dict[str, tuple[int, Span, bool]] = {}
    for item in post.suppressions:
        named = list(zip(item.rules, _selector_spans(post, item.span, item.rules), strict=True))
        bare = not item.rules
        if item.action == "disable-next-line":
            line = _next_content_line(post, item.span.end_line)
            if bare:
                entries.append(Entry(_EVERY_RULE, line, line, item.span, bare=True))
            entries.extend(Entry(selector, line, line, span) for selector, span in named)
        elif item.action == "disable":
            for selector, span in named or [(_EVERY_RULE, item.span)]:
                open_from.setdefault(selector, (item.span.line, span, bare))
        else:
            for selector in item.rules if item.rules else tuple(open_from):
                if selector in open_from:
                    first, span, was_bare = open_from.pop(selector)
                    entries.append(Entry(selector, first, item.span.line, span, was_bare))
            # an enable covers no line; it is listed so that a mistyped rule in it is reported
            entries.extend(Entry(selector, 1, 0, span) for selector, span in named)
    entries.extend(
        Entry(selector, first, last_line, span, bare)
        for selector, (first, span, bare) in open_from.items()
    )
    return Suppressor(tuple(entries))


def _own_ignores(post: Post, last_line: int) -> Iterator[Entry]:
    """``[extra.postlint] ignore = [...]``: the whole post, each rule at its place in the list."""
    extra = post.meta.get("extra")
    own = extra.get("postlint") if isinstance(extra, dict) else None
    ignore = own.get("ignore") if isinstance(own, dict) else None
    front = post.front_matter
    if front is None or not isinstance(ignore, (str, list)):
        return
    key = "extra.postlint.ignore"
    if isinstance(ignore, str):
        yield Entry(ignore, 1, last_line, front.key_span(key))
        return
    for index, rule in enumerate(ignore):
        yield Entry(str(rule), 1, last_line, front.key_span(f"{key}[{index}]"))


def _selector_spans(post: Post, comment: Span, selectors: Iterable[str]) -> list[Span]:
    """Where each rule is written inside the comment; the comment itself when the comment's
    text is not where its span says (a comment re-assembled from a container's lines)."""
    wanted = list(selectors)
    text = post.text[comment.start : comment.end]
    action = _ACTION.match(text)
    if action is not None and text.endswith("-->"):
        found = list(_SELECTOR.finditer(text, action.end(), len(text) - 3))
        if [m.group() for m in found] == wanted:
            return [post.span(comment.start + m.start(), comment.start + m.end()) for m in found]
    return [comment] * len(wanted)


def _next_content_line(post: Post, line: int) -> int:
    total = len(post.lines.starts)
    candidate = line + 1
    while candidate < total and not post.line_text(candidate).strip():
        candidate += 1
    return candidate
