"""Footnotes: every mark has its note, and every note its mark.

Zola (pulldown-cmark) and Hugo (Goldmark) match a mark ``[^label]`` to its note
``[^label]: text`` by label, without regard to letter case, as link references are matched.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from postlint.model import Finding, Post
from postlint.rule import Context, Family, Rule


def label_key(label: str) -> str:
    """How a generator compares two labels: letter case does not count."""
    return label.casefold()


class FootnoteUndefined(Rule):
    """
    ## What it does
    Reports a footnote mark `[^label]` for which the post has no note `[^label]: text`.

    ## Why is this bad?
    Zola and Hugo turn a mark into a numbered link only when its note exists; without one the
    reader sees the literal `[^2]` in the sentence and never gets the source or aside it
    promised. A renamed or deleted note, or a typo in the label, leaves such marks behind.

    ## Example
    ```markdown
    +++
    title = "Rates"
    +++
    The bank raised rates twice this year.[^1] Analysts expect a third.[^2]

    [^1]: Reuters, 12 March.
    ```

    Use instead:
    ```markdown
    +++
    title = "Rates"
    +++
    The bank raised rates twice this year.[^1] Analysts expect a third.[^2]

    [^1]: Reuters, 12 March.
    [^2]: A survey of twelve economists, 2 April.
    ```
    """

    code = "FN001"
    name = "footnote-undefined"
    summary = "A footnote mark has no note"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        if not post.footnote_references:
            return
        defined = {label_key(note.label): note.label for note in post.footnotes}
        used = {label_key(ref.label) for ref in post.footnote_references}
        # a mark without a note is most often a typo of a note without a mark
        orphans = sorted(label for key, label in defined.items() if key not in used)
        hints: dict[str, str] = {}
        for ref in post.footnote_references:
            if label_key(ref.label) in defined:
                continue
            if ref.label not in hints:
                near = difflib.get_close_matches(ref.label, orphans, 1, 0.6)
                hints[ref.label] = f" (did you mean `[^{near[0]}]`?)" if near else ""
            hint = hints[ref.label]
            yield self.finding(
                ref.span,
                f"No note `[^{ref.label}]: ...` exists for this footnote mark, so the page shows "
                f"`[^{ref.label}]` as text; add the note or fix the label{hint}.",
            )


class FootnoteUnused(Rule):
    """
    ## What it does
    Reports a footnote note `[^label]: text` that no mark `[^label]` in the post refers to.

    ## Why is this bad?
    Hugo, and Zola with `bottom_footnotes`, leave a note without a mark off the page: the source
    or aside the writer added is silently lost. Without `bottom_footnotes`, Zola prints it where
    it stands, a numbered note that nothing in the text points to. Usually a mark was deleted or
    its label mistyped.

    ## Example
    ```markdown
    +++
    title = "Rates"
    +++
    The bank raised rates twice this year.

    [^1]: Reuters, 12 March.
    ```

    Use instead:
    ```markdown
    +++
    title = "Rates"
    +++
    The bank raised rates twice this year.[^1]

    [^1]: Reuters, 12 March.
    ```
    """

    code = "FN002"
    name = "footnote-unused"
    summary = "A footnote note has no mark in the text"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        if not post.footnotes:
            return
        used = {label_key(ref.label) for ref in post.footnote_references}
        for note in post.footnotes:
            if label_key(note.label) not in used:
                yield self.finding(
                    note.label_span,
                    f"No mark `[^{note.label}]` in the text refers to this footnote, so the page "
                    "drops it or shows it without a mark; cite it where it belongs or delete it.",
                )


FAMILY = Family(
    name="footnotes",
    prefix="FN",
    description="Footnotes: marks without notes and notes without marks.",
    rules=(FootnoteUndefined, FootnoteUnused),
)
