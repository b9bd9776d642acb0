"""Authors: the people who write a multi-author post, named and formatted one way on the site.

Author sections come from the parser (``post.authors``). The rules run only on a multi-author
site: one with a ``roster``, or where bylines recur (two names or more that head sections in
two posts or more and are not ordinary words): on a single-author site, topic headings
(``## Problem``) and bold labels (``**Relevant PRs**``) look just like bylines. Names are judged
against the roster when one is configured, else against the names the site uses often; forms
are judged against the form most sections on the site use.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

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


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class _Bylines:
    """What the site says about its bylines: is it multi-author, and which names recur."""

    multi_author: bool
    recurring: frozenset[str]  # name keys that head sections in two posts or more


_LAST: list[tuple[Site, _Bylines]] = []


def bylines(site: Site, ctx: Context) -> _Bylines:
    """Judged once per run: a roster makes the site multi-author; without one, two or more
    names that head author sections in two posts or more, and either two of them are not made
    of ordinary words (a person's name, not `Problem` or `Relevant PRs`) or they take turns
    (their order changes from post to post, where a template's headings never move)."""
    if _LAST and _LAST[0][0] is site:
        return _LAST[0][1]
    posts: dict[str, set[str]] = {}
    order: dict[str, list[str]] = {}  # post -> its name keys, first appearance first
    for path, section in _sections(site):
        key = _key(section.author)
        posts.setdefault(key, set()).add(path)
        names = order.setdefault(path, [])
        if key not in names:
            names.append(key)
    recurring = frozenset(name for name, paths in posts.items() if len(paths) >= 2)
    roster = ctx.options.get("roster", ())
    if roster:
        multi = True
        recurring = recurring | {_key(name) for name in roster}
    else:
        multi = len(recurring) >= 2 and (
            _take_turns(order.values(), recurring) or sum(map(_person_like, recurring)) >= 2
        )
    found = _Bylines(multi, recurring)
    _LAST[:] = [(site, found)]
    return found


def _take_turns(orders: Iterable[list[str]], recurring: frozenset[str]) -> bool:
    """Whether two recurring names appear in one order in a post and the other in another."""
    seen: set[tuple[str, str]] = set()
    for names in orders:
        kept = [n for n in names if n in recurring]
        for i, first in enumerate(kept):
            for second in kept[i + 1 :]:
                if (second, first) in seen:
                    return True
                seen.add((first, second))
    return False


def _person_like(name: str) -> bool:
    """A name with a word that is neither an ordinary English word (British spellings and
    compounds such as `Bugfixes` included) nor an acronym."""
    words = [w.strip(".'’") for w in name.split()]
    if any(_ACRONYM.fullmatch(w) for w in words):
        return False
    return not all(_ordinary(w.lower()) for w in words if w)


def _ordinary(word: str) -> bool:
    from postlint.dictionary import checker

    known = checker("en").known
    american = word.replace("our", "or").replace("ise", "ize").replace("yse", "yze")
    if known([word, american]):
        return True
    return any(known([word[:i]]) and known([word[i:]]) for i in range(3, len(word) - 2))


_ACRONYM = re.compile(r"[A-Z0-9]{2,}s?")


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
        if ctx.options.get("roster", ()) or not bylines(site, ctx).multi_author:
            return  # with a roster: judged post by post, in check
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
    many sections differ, once per post, at the first line that differs. A post whose own
    sections mostly share one form is judged against that form.

    Only bylines are judged: names in the `roster`, or names that head sections in two posts
    or more (a heading that appears once is more likely a topic than a person), and only on a
    multi-author site.

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

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        return _with_roster(super().examples(), ["Pranav", "Krishna", "Bhuvan"])

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        """One finding per post whose bylines differ from the post's own majority form, or
        else from the site's."""
        known = bylines(site, ctx)
        if not known.multi_author:
            return
        by_post: dict[str, list[AuthorSection]] = {}
        for path, section in _sections(site):
            if _key(section.author) in known.recurring:
                by_post.setdefault(path, []).append(section)
        everything = [s for sections in by_post.values() for s in sections]
        if len(everything) < 2:
            return
        judged = _judge(everything)  # once: every post is judged against the same majority
        for path, sections in by_post.items():
            if not site.reports(path):
                continue
            if _strict_majority(sections) and _differing(sections, *_majority(sections)):
                finding = _style_finding(self, sections, "in this post", _judge(sections))
            else:
                finding = _style_finding(self, sections, "on the site", judged)
            if finding is not None:
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


def _style_finding(
    rule: Rule, sections: list[AuthorSection], where: str, judged: _Majority
) -> Finding | None:
    """One finding for the sections that differ from the majority ``judged``: at the first of
    them, with a fix that rewrites every line that can be rewritten mechanically."""
    shape, separator = judged.shape, judged.separator
    differ = _differing(sections, shape, separator)
    if not differ:
        return None
    first = differ[0]
    if _shape(first.form) != shape:
        what = (
            f"This author line is {first.form.describe()}, while {judged.count} of "
            f"{judged.size} author sections {where} are {_describe(shape, separator)}"
        )
    else:
        what = (
            f"This author line separates name and title with `{first.form.separator}`, "
            f"while {judged.same_separator} of {judged.titled} titled author lines {where} "
            f"use `{separator}`"
        )
    more = len(differ) - 1
    also = (
        f"; {more} more author line{'s' if more > 1 else ''} in this post "
        f"differ{'' if more > 1 else 's'} too"
        if more
        else ""
    )
    edits = []
    for section in differ:
        line = _rewrite(section, shape, separator)
        if line is not None:
            edits.append(Edit(section.line_span, line))
    fix = Fix(tuple(edits), safe=False) if edits else None
    return rule.finding(
        first.line_span,
        f"{what}{also}; write {'them' if more else 'it'} the same way ({judged.differ} of "
        f"{judged.size} differ).",
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
    site_wide = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        return _with_roster(super().examples(), ["Pranav", "Krishna"])

    def collect(self, post: Post, ctx: Context) -> Any:
        found = []
        for section in post.authors:
            rest = post.text[section.line_span.end : section.span.end]
            if not rest.strip(" \t\r\n*_-#"):
                found.append(
                    self.finding(
                        section.line_span,
                        f"The section of `{section.author}` has no text; write it or remove the "
                        "author line.",
                    )
                )
        return found or None

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        yield from _when_multi_author(self, site, ctx)


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
    site_wide = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        return _with_roster(super().examples(), ["Pranav", "Krishna"])

    def collect(self, post: Post, ctx: Context) -> Any:
        return list(self._duplicates(post, ctx)) or None

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        yield from _when_multi_author(self, site, ctx)

    def _duplicates(self, post: Post, ctx: Context) -> Iterator[Finding]:
        keys = [_key(s.author) for s in post.authors]
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


def _with_roster(examples: tuple[Example, Example], roster: list[str]) -> tuple[Example, Example]:
    """A rule's examples on a site with a roster: one post alone shows no recurring bylines."""
    config = "[authors]\nroster = [" + ", ".join(f'"{name}"' for name in roster) + "]\n"
    bad, good = examples
    return Example(bad.files, config), Example(good.files, config)


def _when_multi_author(rule: Rule, site: Site, ctx: Context) -> Iterator[tuple[str, Finding]]:
    """The findings ``rule`` collected post by post, on a multi-author site only."""
    if not bylines(site, ctx).multi_author:
        return
    collected = site.collected(rule.name)
    for path in sorted(collected):
        for finding in collected[path] or ():
            yield path, finding


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
