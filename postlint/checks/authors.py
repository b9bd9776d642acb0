"""Authors: the people who write a multi-author post, named and formatted one way on the site.

Author sections come from the parser (``post.authors``). Names are judged against the
``roster`` when one is configured, else against the names the site uses often; forms are
judged against the form most sections on the site use.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from postlint.authors import find_author_sections
from postlint.model import AuthorForm, AuthorSection, Edit, Finding, Fix, Post
from postlint.rule import Context, Example, Family, Option, Rule, Site

_FREQUENT = 5  # a name seen this often (and three times as often as the rare one) is known


def _post(body: str, title: str = "Post") -> str:
    return f'+++\ntitle = "{title}"\n+++\n{body}'


def _near(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    if a == b or abs(len(a) - len(b)) > 2:
        return False
    limit = 2 if min(len(a), len(b)) >= 6 else 1
    return OSA.distance(a, b) <= limit


def _sections(site: Site) -> Iterable[tuple[str, AuthorSection]]:
    for path, summary in site.posts.items():
        for section in summary.authors:
            if isinstance(section, AuthorSection):
                yield path, section


class AuthorUnknown(Rule):
    """Reports an author name that is not one of the site's authors.

    ## What it does
    With a `roster` in `[authors]`, reports author sections whose name is not in it and suggests
    the closest roster name. Without a roster, reports a name seen only once or twice that is a
    near miss of a name the site uses often (`Bhuavn` next to `Bhuvan`), or a near miss used
    twenty times less often than the name it resembles.

    ## Why is this bad?
    A misspelled byline credits nobody: author pages, feeds and search miss the section.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    **Bhuavn**

    A thought.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    **Bhuvan**

    A thought.
    ```

    ## Options
    `roster`: the site's authors, as their names are written.
    """

    code = "AUT001"
    name = "author-unknown"
    summary = "An author name is not one of the site's authors"
    severity = "warning"
    site_wide = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad, good = super().examples()
        config = '[authors]\nroster = ["Bhuvan", "Pranav"]\n'
        return Example(bad.files, config), Example(good.files, config)

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        roster: Sequence[str] = ctx.options.get("roster", ())
        if not roster:
            return
        # with a roster the parser only takes roster names for authors: look again without it
        known = {" ".join(name.split()).casefold(): name for name in roster}
        for section in find_author_sections(post.text, post.blocks, post.lines):
            key = " ".join(section.author.split()).casefold()
            if key in known:
                continue
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = (
                f"; did you mean `{known[close[0]]}`?"
                if close
                else "; add it to `roster` in [authors] if this is a new author."
            )
            yield self.finding(
                section.name_span, f"`{section.author}` is not in the authors roster{hint}"
            )

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        if ctx.options.get("roster", ()):
            return  # judged post by post, in check
        sections = list(_sections(site))
        counts = Counter(section.author for _, section in sections)
        frequent = [name for name, n in counts.items() if n >= _FREQUENT]
        suspects: dict[str, str] = {}
        for name, seen in counts.items():
            # rare: once or twice next to a name used three times as often, or (a typo that
            # spread on a big site) twenty times less often than the name it is close to
            factor = 3 if seen <= 2 else 20
            matches = [f for f in frequent if counts[f] >= factor * seen and _near(name, f)]
            if matches:
                suspects[name] = max(matches, key=lambda f: (counts[f], f))
        for path, section in sections:
            name = section.author
            best = suspects.get(name)
            if best is None:
                continue
            seen = counts[name]
            times = {1: "once", 2: "twice"}.get(seen, f"{seen} times")
            yield (
                path,
                self.finding(
                    section.name_span,
                    f"`{name}` appears {times} on the site, `{best}` {counts[best]} times; "
                    f"did you mean `{best}`?",
                ),
            )


def _shape(form: AuthorForm) -> tuple[str, int, bool]:
    return (form.kind, form.level, form.emphasis)


def _describe(shape: tuple[str, int, bool], separator: str = "") -> str:
    kind, level, emphasis = shape
    return AuthorForm(kind, level, separator, emphasis).describe()  # type: ignore[arg-type]


def _rewrite(section: AuthorSection, shape: tuple[str, int, bool], separator: str) -> str | None:
    """The author line in the site's form, when that is a mechanical rewrite."""
    kind, level, emphasis = shape
    name = section.author
    if kind == "bold":
        return None if section.title else f"**{name}**"
    text = "#" * level + " " + (f"**{name}**" if emphasis else name)
    if section.title:
        if not separator:
            return None
        text += separator + section.title
    return text


class AuthorStyle(Rule):
    """Reports an author line written in a different form than most on the site.

    ## What it does
    Compares each author line with the form most author sections on the site use: a bold name
    on its own line or a heading (and its level), bold inside the heading or not, and the
    separator between name and title (`—`, ` — `, ` - `). It names the majority form and how
    many sections differ.

    ## Why is this bad?
    Readers skim multi-author posts by their bylines; when some are headings and others bold
    lines, or dashes change from post to post, the page looks unedited.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    ## Pranav — Editor

    A thought.

    ## Krishna — Analyst

    Another.

    ## Bhuvan - Intern

    A third.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    ## Pranav — Editor

    A thought.

    ## Krishna — Analyst

    Another.

    ## Bhuvan — Intern

    A third.
    ```

    ## Fix safety
    Unsafe: the line is rewritten in the majority form when that only moves markup (a title
    cannot be kept on a bold-name line, so those are left to the writer).
    """

    code = "AUT002"
    name = "author-style"
    summary = "An author line is written in a different form than most on the site"
    severity = "info"
    fixable = True
    site_wide = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        """Sections written differently within one post: judged against the post's own
        majority, so ``--fix`` can apply the rewrite."""
        sections = list(post.authors)
        if _strict_majority(sections):
            yield from _style_findings(self, sections, "in this post")

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        """Posts whose sections differ from the site's majority form."""
        by_post: dict[str, list[AuthorSection]] = {}
        for path, section in _sections(site):
            by_post.setdefault(path, []).append(section)
        everything = [s for sections in by_post.values() for s in sections]
        if len(everything) < 2:
            return
        judged = _judge(everything)  # once: every post is judged against the same majority
        # posts with a majority of their own were judged post by post (with fixes for --fix)
        rest = {
            path: sections
            for path, sections in by_post.items()
            if not (_strict_majority(sections) and _differing(sections, *_majority(sections)))
        }
        for path, sections in rest.items():
            for finding in _findings_against(self, sections, "on the site", judged):
                yield path, finding


def _majority(sections: Sequence[AuthorSection]) -> tuple[tuple[str, int, bool], str]:
    """The most common form (ties go to the one written first) and title separator."""
    order = {(_shape(s.form)): -i for i, s in reversed(list(enumerate(sections)))}
    shapes = Counter(_shape(s.form) for s in sections)
    shape = max(shapes, key=lambda k: (shapes[k], order[k]))
    titled = [s.form.separator for s in sections if s.title and s.form.separator]
    counts = Counter(titled)
    separator = max(counts, key=lambda k: (counts[k], -titled.index(k))) if counts else ""
    return shape, separator


def _strict_majority(sections: Sequence[AuthorSection]) -> bool:
    """True when more than half of the sections share one form."""
    if len(sections) < 2:
        return False
    shape, _ = _majority(sections)
    return sum(1 for s in sections if _shape(s.form) == shape) * 2 > len(sections)


def _differing(
    sections: Sequence[AuthorSection], shape: tuple[str, int, bool], separator: str
) -> list[AuthorSection]:
    return [
        s
        for s in sections
        if _shape(s.form) != shape or (s.title and separator and s.form.separator != separator)
    ]


@dataclass(frozen=True)
class _Majority:
    """The majority form of a pool of author sections, and how many sections follow it."""

    shape: tuple[str, int, bool]
    separator: str
    size: int  # sections in the pool
    count: int  # of them in the majority shape
    titled: int  # with a title after a separator
    same_separator: int  # of those, with the majority separator
    differ: int  # sections that differ from the majority


def _judge(pool: Sequence[AuthorSection]) -> _Majority:
    shape, separator = _majority(pool)
    titled = [s for s in pool if s.title and s.form.separator]
    return _Majority(
        shape,
        separator,
        len(pool),
        sum(1 for s in pool if _shape(s.form) == shape),
        len(titled),
        sum(1 for s in titled if s.form.separator == separator),
        len(_differing(pool, shape, separator)),
    )


def _style_findings(rule: Rule, sections: list[AuthorSection], where: str) -> Iterator[Finding]:
    """Findings for ``sections`` that differ from their own majority."""
    if len(sections) < 2:
        return
    yield from _findings_against(rule, sections, where, _judge(sections))


def _findings_against(
    rule: Rule, sections: list[AuthorSection], where: str, judged: _Majority
) -> Iterator[Finding]:
    """Findings for ``sections`` that differ from the majority ``judged``."""
    shape, separator = judged.shape, judged.separator
    for section in _differing(sections, shape, separator):
        if _shape(section.form) != shape:
            what = (
                f"This author line is {section.form.describe()}, while {judged.count} of "
                f"{judged.size} author sections {where} are {_describe(shape, separator)}"
            )
        else:
            what = (
                f"This author line separates name and title with `{section.form.separator}`, "
                f"while {judged.same_separator} of {judged.titled} titled author lines {where} "
                f"use `{separator}`"
            )
        line = _rewrite(section, shape, separator)
        fix = Fix((Edit(section.line_span, line),), safe=False) if line is not None else None
        yield rule.finding(
            section.line_span,
            f"{what}; write it the same way ({judged.differ} of {judged.size} differ).",
            fix,
        )


class AuthorSectionEmpty(Rule):
    """Reports an author section with nothing in it.

    ## What it does
    Reports an author line followed directly by the next author line or the end of the post.

    ## Why is this bad?
    Readers see a byline with nothing under it: a section was deleted or never written.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    **Pranav**

    **Krishna**

    A thought.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    **Pranav**

    A thought of mine.

    **Krishna**

    A thought.
    ```
    """

    code = "AUT003"
    name = "author-section-empty"
    summary = "An author section has no content"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for section in post.authors:
            rest = post.text[section.line_span.end : section.span.end]
            if not rest.strip(" \t\r\n*_-#"):
                yield self.finding(
                    section.line_span,
                    f"The section of `{section.author}` has no text; write it or remove the "
                    "author line.",
                )


class AuthorDuplicate(Rule):
    """Reports a second section by the same author in one post.

    ## What it does
    Reports an author line that directly follows a section by the same author. With
    `duplicate-sections = "any"`, also reports an author who comes back later in the post,
    unless several authors come back (a conversation).

    ## Why is this bad?
    Two sections by one person usually mean a paste in the wrong place or a byline that should
    name someone else.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    **Pranav**

    A thought.

    **Pranav**

    Another.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    **Pranav**

    A thought.

    **Krishna**

    Another.
    ```

    ## Options
    `duplicate-sections`: "adjacent" (default) or "any".
    """

    code = "AUT004"
    name = "author-duplicate"
    summary = "The same author has two sections in one post"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        keys = [" ".join(s.author.casefold().split()) for s in post.authors]
        repeated = {key for key, n in Counter(keys).items() if n > 1}
        # several people coming back is a conversation; "adjacent" (the default) reports only
        # a section that follows the same author's, which is never a conversation
        thread = len(repeated) > 1 or ctx.options.get("duplicate-sections") != "any"
        first: dict[str, AuthorSection] = {}
        for i, (key, section) in enumerate(zip(keys, post.authors, strict=True)):
            earlier = first.setdefault(key, section)
            if earlier is section:
                continue
            if thread and keys[i - 1] != key:
                continue
            if keys[i - 1] == key:
                previous = post.authors[i - 1].line_span.line
                message = (
                    f"`{section.author}` also wrote the section just before this one (line "
                    f"{previous}); merge the two sections or fix the name."
                )
            else:
                message = (
                    f"`{section.author}` already has a section in this post (line "
                    f"{earlier.line_span.line}); merge them or fix the name."
                )
            yield self.finding(section.name_span, message)


FAMILY = Family(
    name="authors",
    prefix="AUT",
    description="Authors: names from the roster, one byline form, no empty or repeated sections.",
    rules=(AuthorUnknown, AuthorStyle, AuthorSectionEmpty, AuthorDuplicate),
    options=(
        Option(
            "roster",
            (),
            "The site's authors as their names are written; also helps find name-only headings.",
            list,
        ),
        Option(
            "duplicate-sections",
            "adjacent",
            "Which repeated author sections author-duplicate reports: back to back only, or any.",
            ("adjacent", "any"),
        ),
    ),
)
