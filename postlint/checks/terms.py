"""Terms: one spelling per term in a post, learned from the posts themselves."""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from postlint.checks.text import prose
from postlint.model import Edit, Finding, Fix, Post, Span
from postlint.rule import Context, Family, Option, Rule, Site

_TOKEN = re.compile(r"(?<![\w'’-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])")

# Pairs where the hyphen changes the meaning: "re-sign" is not "resign".
MEANING_PAIRS = frozenset(
    (
        "recover",
        "resign",
        "recreate",
        "recreation",
        "reform",
        "repress",
        "retreat",
        "resent",
        "reserve",
        "coop",
        "recount",
        "release",
        "reside",
        "refuse",
        "remark",
        "represent",
        "resort",
        "resound",
        "restrain",
        "unionized",
        "recollect",
        "redress",
        "reprint",
        "repose",
        "reseed",
        "recede",
        "relay",
    )
)


def term_key(form: str) -> str:
    """The key that ties spellings of one term together: lowercase, hyphens and spaces gone."""
    return form.replace("-", "").replace(" ", "").lower()


def term_class(form: str) -> str:
    """Spellings that differ only by a capital first letter (sentence start) are one spelling,
    and so are those that differ by the capital of a hyphenated part: "Password-Based" is title
    case (a heading, a name, link text), not another spelling."""
    if "-" in form:
        return "-".join(part[:1].lower() + part[1:] for part in form.split("-"))
    return form[:1].lower() + form[1:]


@dataclass(frozen=True, slots=True)
class TermUse:
    form: str
    cls: str
    span: Span
    initial: bool = False  # starts a sentence, a heading or a list item


def _starts_sentence(source: str, start: int) -> bool:
    """Whether a word opens a sentence, a heading, a list item or a paragraph (so its capital
    first letter is grammar, not spelling)."""
    window = source[max(0, start - 80) : start]
    newline = window.rfind("\n")
    prefix = window[newline + 1 :]
    if prefix.strip(' \t*_[("“‘>#+-0123456789.)') == "":  # the first word of its line
        if prefix.strip(' \t"“‘([*_'):
            return True  # after a heading, list or quote marker
        if newline < 0:
            return start < 80
        previous = window[:newline].rstrip(" \t\r*_")
        return not previous or previous[-1] in "\n.!?:"
    before = prefix.rstrip(' \t*_[("“‘')
    return before[-1:] in (".", "!", "?", ":")


# Pass 1 finds the marked spellings: hyphenated, or with a capital after the first letter.
# Pieces of paths, domains and handles (github/codeql, github.com, @GitHub) are not terms.
_MARKED = re.compile(
    r"(?<![\w'’/@.-])(?:[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+|[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*)"
    r"(?![\w/@-]|\.\w)"
)


@functools.lru_cache(maxsize=256)
def _plain_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Pass 2: every unhyphenated spelling of the marked terms, in any case."""
    words = "|".join(sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w'’/@.-])(?:{words})(?![\w/@-]|\.\w)", re.I)


def _shouting(form: str) -> bool:
    """All capitals (AI, FII, an all-caps heading): not a spelling of a term."""
    return form.isupper() and len(form) > 1


Use = tuple[str, str, int, int]  # form, class, start, end (file offsets)


def _boundary(t: str, i: int) -> tuple[int, int]:
    """The whitespace-delimited word around offset ``i`` of the joined prose."""
    lo = max(t.rfind(" ", 0, i), t.rfind("\n", 0, i), t.rfind("\x00", 0, i)) + 1
    hi = min(len(t), i + 200)
    for stop in (" ", "\n", "\x00"):
        found = t.find(stop, i, hi)
        if found >= 0:
            hi = found
    return lo, hi


def _term_facts(post: Post) -> dict[str, tuple[Counter[str], list[Use]]]:
    """Term key -> (spelling counts, every use with its position) for the terms that have a
    marked spelling in this post. Uses are only located when the post may mix spellings; the
    rest is found with C-speed string methods so ordinary prose costs almost nothing."""
    text = prose(post)
    t = text.text
    hyphenated: dict[str, list[Use]] = {}
    i = t.find("-")
    while i >= 0:
        if 0 < i < len(t) - 1 and t[i - 1].isalnum() and t[i + 1].isalnum():
            lo, hi = _boundary(t, i)
            for m in _MARKED.finditer(t, lo, hi):
                form = m.group()
                if "-" not in form or _shouting(form) or text.in_url(*m.span()):
                    continue
                start = text.file(m.start())
                hyphenated.setdefault(term_key(form), []).append(
                    (form, term_class(form), start, start + len(form))
                )
            i = t.find("-", max(hi, i + 1))
        else:
            i = t.find("-", i + 1)
    camel: dict[str, Counter[str]] = {}
    shape = text.shape()
    capitals = b"aA" in shape or b"AAa" in shape
    for word in itertools.filterfalse(str.islower, t.split()) if capitals else ():
        if word[1:].islower() or "://" in word or word.startswith("www."):
            continue
        for m in _MARKED.finditer(word):
            form = m.group()
            if "-" in form or _shouting(form):
                continue
            camel.setdefault(term_key(form), Counter())[term_class(form)] += 1
    keys = hyphenated.keys() | camel.keys()
    if not keys:
        return {}
    lowered = t.lower()
    facts: dict[str, tuple[Counter[str], list[Use]]] = {}
    scan: list[str] = []
    for key in keys:
        counts = Counter(camel.get(key, ()))
        for use in hyphenated.get(key, ()):
            counts[use[1]] += 1
        plain = lowered.count(key)
        if len(counts) > 1 or plain > sum(camel.get(key, Counter()).values()):
            scan.append(key)
        else:
            facts[key] = (counts, [])
    if scan:
        located: dict[str, list[Use]] = {key: list(hyphenated.get(key, ())) for key in scan}
        for m in _plain_pattern(tuple(sorted(scan))).finditer(t):
            form = m.group()
            if _shouting(form) or text.in_url(*m.span()):
                continue
            start = text.file(m.start())
            located[form.lower()].append((form, term_class(form), start, start + len(form)))
        for key, uses in located.items():
            uses.sort(key=lambda use: use[2])
            facts[key] = (Counter(use[1] for use in uses), uses)
    return facts


class TermInconsistent(Rule):
    """
    ## What it does
    Flags a term written two ways in one post: different internal capitals (`Deepseek` and
    `DeepSeek`) or with and without a hyphen (`e-mail` and `email`). The spellings are learned
    from the text: no list is needed. Each occurrence of a spelling other than the suggested one
    gives a finding, with both spellings and their counts.

    Only terms that have an internal capital or a hyphen in at least one spelling are compared,
    so ordinary words stay quiet. A capital first letter is not a different spelling ("Email"
    at the start of a sentence is "email"); all-caps words are skipped; each part of a
    hyphenated word may be capitalised, as title case does ("Open-Source Models"). Compounds
    written with a space ("open source" and "open-source") are left alone: the hyphen is often
    grammatical.
    Pairs where the hyphen changes the meaning ("re-sign" and "resign") are never compared.

    The suggested spelling is, in order: the one listed in `[terms] preferred`; else the one in
    the post's title; else the one most used across the site (in the posts where the term has
    a capital or hyphen); else the one most used in the post.

    ## Why is this bad?
    Readers notice a name spelled two ways, and search on the site finds only half the mentions.

    ## Options
    `preferred`: the spellings you want (`preferred = ["DeepSeek", "email"]`).

    ## Example
    ```markdown
    +++
    title = "Notes on DeepSeek"
    +++
    DeepSeek released a model. Deepseek says it is cheap.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes on DeepSeek"
    +++
    DeepSeek released a model. DeepSeek says it is cheap.
    ```

    ## Fix safety
    The fix writes the suggested spelling (keeping a sentence-initial capital). It is unsafe:
    sometimes the two spellings are two things (a product and a company). Terms decided by
    `preferred` or the title are judged per post, so `--fix --unsafe-fixes` applies them; terms
    decided by the site majority are found in the site phase, and `--fix` (which re-lints one
    post at a time) does not apply those yet.
    """

    code = "TRM001"
    name = "term-inconsistent"
    summary = "A term spelled two ways in one post"
    severity = "warning"
    fixable = True
    site_wide = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        """Terms decided by the post alone (a preferred spelling, the title): reported here, so
        ``--fix`` (which re-lints one post at a time) applies them."""
        preferred = {term_key(p): p for p in ctx.options["preferred"]}
        title_forms = _title_forms(post.title)
        for key, (counts, uses) in _post_facts(post).items():
            if uses and (key in preferred or key in title_forms):
                yield from self._findings(key, counts, uses, preferred, title_forms, None)

    def collect(self, post: Post, ctx: Context) -> Any:
        """Per term key: the spelling counts, and every use when the post mixes spellings and
        neither a preferred spelling nor the title decides."""
        preferred = {term_key(p) for p in ctx.options["preferred"]}
        title_forms = _title_forms(post.title)
        facts = {
            key: (counts, () if key in preferred or key in title_forms else uses)
            for key, (counts, uses) in _post_facts(post).items()
        }
        return facts or None

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        """The rest, decided by the spelling most used across the site."""
        collected: Mapping[str, dict[str, tuple[dict[str, int], tuple[TermUse, ...]]]]
        collected = site.collected(self.name)
        site_counts: dict[str, Counter[str]] = {}
        for facts in collected.values():
            for key, (counts, _) in (facts or {}).items():
                site_counts.setdefault(key, Counter()).update(counts)
        for path in sorted(collected):
            for key, (counts, uses) in (collected[path] or {}).items():
                if uses:
                    for finding in self._findings(key, counts, uses, {}, {}, site_counts.get(key)):
                        yield path, finding

    def _findings(
        self,
        key: str,
        counts: dict[str, int],
        uses: tuple[TermUse, ...],
        preferred: dict[str, str],
        title_forms: dict[str, str],
        site: Counter[str] | None,
    ) -> Iterator[Finding]:
        # the form shown for a class: its first use as written (the class folds a capital)
        by_class: dict[str, list[TermUse]] = {}
        for use in uses:
            by_class.setdefault(use.cls, []).append(use)
        shown = {cls: _display(cls, spelled) for cls, spelled in by_class.items()}
        written = {cls: _written(cls, spelled) for cls, spelled in by_class.items()}
        if key in preferred:
            target, why = preferred[key], "your preferred spelling"
        elif key in title_forms:
            target, why = title_forms[key], "as in the title"
        else:
            ranked = [(c, n) for c, n in (site or Counter()).most_common() if c in counts]
            elsewhere = site is not None and dict(site) != counts
            if elsewhere and len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
                cls, why = ranked[0][0], "the most used spelling on the site"
            else:
                best = max(counts.values())
                cls = next(u.cls for u in uses if counts[u.cls] == best)
                tied = list(counts.values()).count(best) > 1
                why = "used first in this post" if tied else "the most used spelling in this post"
            target = shown[cls]
        target_cls = term_class(target)
        listing = " and ".join(
            f"`{written[c]}` {n} time{'s' if n != 1 else ''}"
            for c, n in sorted(counts.items(), key=lambda item: -item[1])
        )
        edits = []
        for use in uses:
            if use.cls == target_cls or term_class(use.form) == target_cls:
                continue
            replacement = target
            if use.initial and use.form[:1].isupper() and target[:1].islower():
                replacement = target[:1].upper() + target[1:]
            edits.append(Edit(use.span, replacement))
        if not edits:
            return
        # one decision, one finding: at the first use to change, with a fix for every use
        others = len(edits) - 1
        where = f", here and in {others} more place{'s' if others != 1 else ''}" if others else ""
        yield self.finding(
            edits[0].span,
            f"This post writes {listing}: write `{target}` ({why}){where}.",
            Fix(tuple(edits), safe=False),
        )


def _written(cls: str, uses: list[TermUse]) -> str:
    """A spelling as the post writes it: the most used mid-sentence, the plain one on a tie."""
    middle = Counter(use.form for use in uses if not use.initial)
    counts = middle or Counter(use.form for use in uses)
    return max(counts, key=lambda form: (counts[form], form == cls))


def _display(cls: str, uses: list[TermUse]) -> str:
    """How to show a spelling: as written mid-sentence; a word only ever seen capitalised at a
    sentence start is shown in lowercase unless it has inner capitals (a name: DeepSeek)."""
    forms = Counter(use.form for use in uses)
    if cls in forms:
        return cls
    middle = Counter(use.form for use in uses if not use.initial)
    if middle:
        return middle.most_common(1)[0][0]
    if not any(c.isupper() for c in cls):
        return cls
    return forms.most_common(1)[0][0]


def _post_facts(post: Post) -> dict[str, tuple[dict[str, int], tuple[TermUse, ...]]]:
    """Per term key: spelling counts, and the uses when the post mixes spellings (once per
    post: ``check`` and ``collect`` share it)."""
    return post.derived(_build_facts)


def _build_facts(post: Post) -> dict[str, tuple[dict[str, int], tuple[TermUse, ...]]]:
    facts: dict[str, tuple[dict[str, int], tuple[TermUse, ...]]] = {}
    quoted = _headline_links(post) if post.links else []
    for key, (counts, uses) in _term_facts(post).items():
        if uses and quoted:  # a headline is spelled as its publisher spelled it
            uses = [u for u in uses if not any(a <= u[2] < b for a, b in quoted)]
            counts = Counter(use[1] for use in uses)
        mixed = len(counts) > 1 and not (
            (key in MEANING_PAIRS and all(not _has_upper(c) for c in counts))
            or _name_and_word(counts)
        )
        spelled = (
            tuple(
                TermUse(form, cls, post.span(s, e), _starts_sentence(post.text, s))
                for form, cls, s, e in uses
            )
            if mixed
            else ()
        )
        facts[key] = (dict(counts), spelled)
    return facts


def _name_and_word(counts: Mapping[str, int]) -> bool:
    """An ordinary hyphenated word and a name written in camel case (`re-arm` and `ReArm
    Europe`): two things, not two spellings of one."""
    word = any("-" in c and not _has_upper(c) for c in counts)
    name = any("-" not in c and _has_upper(c[1:]) for c in counts)
    return word and name


_QUOTES = "\"'“”‘’«»"


def _headline_links(post: Post) -> list[tuple[int, int]]:
    """The spans of links whose text is a headline: quoted, or five words or more (the title
    of the page it links to, spelled as its publisher spelled it)."""
    spans = []
    text = post.text
    for link in post.links:
        if link.kind not in ("inline", "reference"):
            continue
        start, end = link.span.start, link.span.end
        inner = link.text.strip()
        before = text[start - 1 : start] if start > 0 else ""
        quoted = (inner[:1] in _QUOTES and inner[:1]) or (before and before in _QUOTES)
        if quoted or len(inner.split()) >= 5:
            spans.append((start, end))
    return spans


def _has_upper(form: str) -> bool:
    return any(c.isupper() for c in form)


def _title_forms(title: str) -> dict[str, str]:
    forms: dict[str, str] = {}
    for m in _TOKEN.finditer(title):
        form = m.group()
        if form.isupper() and len(form) > 1:
            continue
        # titles are often title-cased: "Why Email Matters" says "email", "DeepSeek" stays
        marked = any(c.isupper() for c in form.replace("-", "")[1:])
        forms.setdefault(term_key(form), form if marked and "-" not in form else term_class(form))
    return forms


FAMILY = Family(
    name="terms",
    prefix="TRM",
    description="Terms: one spelling per term in a post.",
    rules=(TermInconsistent,),
    options=(
        Option(
            "preferred",
            (),
            'The spellings you want for terms written more than one way ("DeepSeek", "email").',
            list,
        ),
    ),
)
