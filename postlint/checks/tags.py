"""Tags: one spelling per topic across the whole site, learned from every post's tags.

Tags come from ``[taxonomies] tags`` (Zola) or ``tags`` (Hugo). Near duplicates are found
without comparing every tag with every other: tags are grouped by a normalised key (case,
plurals, spaces and hyphens removed), and misspellings by SymSpell-style deletion keys, so the
site phase grows with the number of tags, not with its square.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from postlint.config import ConfigError
from postlint.dictionary import checker
from postlint.model import Finding, Fix, Post, Span
from postlint.rule import Context, Example, Family, Option, PostSummary, Rule, Site

SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "vs",
        "via",
        "with",
    ]
)
CASES = ("as-is", "title", "lower", "sentence")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SEPARATORS = re.compile(r"[\s_\-‐‑–—./&+]+")
_ACRONYM_PLURAL = re.compile(r"^[A-Z0-9]{2,}s$")  # FIIs, LLMs
_MIN_TYPO_KEY = 5  # shorter keys (Iran / Iraq) are too often different words


def _post(tags: str, title: str = "Post") -> str:
    return f'+++\ntitle = "{title}"\n\n[taxonomies]\ntags = [{tags}]\n+++\nText.\n'


def _speller() -> Any:
    """The spelling dictionary, shared with the spelling rule (one load per process)."""
    return checker("en")


@functools.cache
def _known(word: str) -> bool:
    return bool(_speller().known([word]))


def _frequency(word: str) -> float:
    return float(_speller().word_usage_frequency(word) or 0.0)


def _is_acronym(word: str) -> bool:
    """AI, FIIs, LLMs, iPhone, McKinsey: an inner capital means the writer chose the case."""
    return any(c.isupper() for c in word[1:])


def tag_entries(post: Post) -> list[tuple[str, Span]]:
    """Each string tag with the span of its value in the front matter."""
    fm = post.front_matter
    if fm is None:
        return []
    taxonomies = fm.data.get("taxonomies")
    if isinstance(taxonomies, dict):
        raw, prefix = taxonomies.get("tags"), "taxonomies.tags["
    else:
        raw, prefix = fm.data.get("tags"), "tags["
    if not isinstance(raw, list):
        return []
    entries = []
    for i, tag in enumerate(raw):
        span = fm.keys.get(f"{prefix}{i}]")
        if isinstance(tag, str) and span is not None:
            entries.append((tag, span))
    return entries


def _summary_entries(
    tags: Sequence[str], spans: Sequence[Span], fallback: Span
) -> list[tuple[str, Span]]:
    if len(tags) == len(spans):
        return list(zip(tags, spans, strict=True))
    return [(tag, fallback) for tag in tags]


def _all_entries(site: Site) -> Iterator[tuple[str, str, Span]]:
    for path, summary in site.posts.items():
        for tag, span in _summary_entries(summary.tags, summary.tag_spans, summary.first_line):
            yield path, tag, span


@functools.lru_cache(maxsize=8)
def _vocabulary_file(path: str, mtime: float) -> tuple[str, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
        raise ConfigError(f"[tags] vocabulary-file: cannot read {path}: {reason}") from None
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def vocabulary(ctx: Context) -> tuple[str, ...]:
    words = tuple(ctx.options.get("vocabulary", ()))
    file = ctx.options.get("vocabulary-file", "")
    if file:
        path = Path(file)
        if not path.is_absolute():
            path = Path(ctx.config.root) / path if ctx.config is not None else path
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        words += _vocabulary_file(str(path), mtime)
    return words


def styled(tag: str, style: str, keep: frozenset[str] = frozenset()) -> str:
    """The tag written in ``style``; acronyms and ``keep`` words (as spelled) stay."""
    if style == "as-is":
        return tag
    out = []
    first = True
    for m in re.finditer(r"\S+", tag):
        word = m.group()
        core = _WORD.search(word)
        if core is None or _is_acronym(core.group()) or word in keep:
            out.append((m.start(), m.end(), word))
            first = False
            continue
        letters = core.group()
        if style == "lower":
            new = letters.lower()
        elif style == "title":
            new = (
                letters.lower()
                if not first and letters.lower() in SMALL_WORDS
                else (letters[:1].upper() + letters[1:])
            )
        elif first:
            new = letters[:1].upper() + letters[1:]
        elif letters[:1].isupper() and _known(letters.lower()):
            new = letters.lower()
        else:
            new = letters
        out.append((m.start(), m.end(), word[: core.start()] + new + word[core.end() :]))
        first = False
    result = list(tag)
    for start, end, word in reversed(out):
        result[start:end] = word
    return "".join(result)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normal_key(tag: str) -> str:
    """Case, plurals, spaces and hyphens removed: `Electric-Vehicles` -> `electricvehicle`."""
    words = [w[:-1] if _ACRONYM_PLURAL.match(w) else w for w in _SEPARATORS.split(tag)]
    return "".join(_singular(w.casefold()) for w in words if w)


def _deletes(key: str) -> Iterator[str]:
    yield key
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


def _spelled(tag: str, vocab: frozenset[str], british: bool = False) -> bool:
    """Every word is a dictionary word (or, with ``british``, its British spelling), an
    acronym, or in the vocabulary."""
    if tag in vocab:
        return True
    for word in _WORD.findall(tag):
        if _is_acronym(word) or word in vocab or len(word) < 3:
            continue
        if not _known(word.lower()) and not (british and _british_known(word.lower())):
            return False
    return True


class _Finder:
    """Union-find over distinct tags."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def near_duplicate_groups(
    tags: Iterable[str], vocab: frozenset[str] = frozenset()
) -> list[list[str]]:
    """Groups of distinct tags that are one tag written differently (linear in the tags)."""
    distinct = sorted(set(tags))
    finder = _Finder(distinct)
    by_key: dict[str, list[str]] = defaultdict(list)
    for tag in distinct:
        by_key[normal_key(tag)].append(tag)
    for group in by_key.values():
        for other in group[1:]:
            finder.union(group[0], other)
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        if len(key) >= _MIN_TYPO_KEY and not any(c.isdigit() for c in key):
            for deleted in set(_deletes(key)):
                buckets[deleted].append(key)
    checked: set[tuple[str, str]] = set()
    for keys in buckets.values():
        if len(keys) < 2 or len(keys) > 50:
            continue
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in checked:
                    continue
                checked.add(pair)
                if OSA.distance(a, b) != 1:
                    continue
                tag_a, tag_b = by_key[a][0], by_key[b][0]
                if _spelled(tag_a, vocab) and _spelled(tag_b, vocab):
                    continue  # two real words (Banks, Bands): different topics
                finder.union(tag_a, tag_b)
    clusters: dict[str, list[str]] = defaultdict(list)
    for tag in distinct:
        clusters[finder.find(tag)].append(tag)
    return [group for group in clusters.values() if len(group) > 1]


def _label(path: str) -> str:
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.name in ("index.md", "_index.md") else p.name


def _some(paths: Sequence[str], limit: int = 3) -> str:
    labels = [_label(p) for p in paths[:limit]]
    text = ", ".join(labels)
    if len(paths) > limit:
        text += f" and {len(paths) - limit} more"
    return text


def _site_style(tags: Iterable[str]) -> str:
    """Title or sentence case, as most multi-word tags on the site are written."""
    votes: Counter[str] = Counter()
    for tag in tags:
        words = [w for w in _WORD.findall(tag) if not _is_acronym(w)]
        later = [w for w in words[1:] if w.lower() not in SMALL_WORDS]
        if not later or not words[0][:1].isupper():
            continue
        votes["title" if all(w[:1].isupper() for w in later) else "sentence"] += 1
    return votes.most_common(1)[0][0] if votes else "as-is"


class _SiteTags:
    """Where every tag is used on the site."""

    def __init__(self, site: Site) -> None:
        self.uses: dict[str, list[tuple[str, Span]]] = defaultdict(list)
        self.posts_with: dict[str, list[str]] = defaultdict(list)
        self.tagged = 0
        self.eligible: list[str] = []
        self.repeated: dict[str, set[str]] = {}
        self._groups: dict[frozenset[str], list[list[str]]] = {}
        for path, summary in site.posts.items():
            if os.path.basename(summary.source) == "_index.md":
                continue
            self.eligible.append(path)
            entries = _summary_entries(summary.tags, summary.tag_spans, summary.first_line)
            if entries:
                self.tagged += 1
            seen: set[str] = set()
            folded = Counter(tag.casefold() for tag, _ in entries)
            if any(n > 1 for n in folded.values()):
                self.repeated[path] = {t for t, n in folded.items() if n > 1}
            for tag, span in entries:
                self.uses[tag].append((path, span))
                if tag not in seen:
                    seen.add(tag)
                    self.posts_with[tag].append(path)

    def groups(self, vocab: frozenset[str]) -> list[list[str]]:
        """Near-duplicate groups, computed once for the rules that need them."""
        if vocab not in self._groups:
            self._groups[vocab] = near_duplicate_groups(self.uses, vocab)
        return self._groups[vocab]

    def repeats(self, path: str, tag: str) -> bool:
        return tag.casefold() in self.repeated.get(path, ())


_LAST: list[tuple[Site, _SiteTags]] = []


def _tags_of(site: Site) -> _SiteTags:
    """The site's tag index, built once for the rules of one run."""
    if _LAST and _LAST[0][0] is site:
        return _LAST[0][1]
    _LAST[:] = [(site, _SiteTags(site))]
    return _LAST[0][1]


def _preferred(
    group: list[str], posts_with: Mapping[str, list[str]], vocab: frozenset[str], style: str
) -> str:
    def score(tag: str) -> tuple[bool, bool, bool, bool, int, float, str]:
        words = [w.lower() for w in _WORD.findall(tag)]
        frequency = sum(_frequency(w) for w in words) if words else 0.0
        return (
            tag in vocab,
            _spelled(tag, vocab, british=True),
            style != "as-is" and styled(tag, style, vocab) == tag,
            not re.search(r"[-_‐‑]", tag),
            len(posts_with.get(tag, ())),
            frequency,
            tag,
        )

    return max(group, key=score)


# ---------------------------------------------------------------------------------------------
# rules


class TagMissing(Rule):
    """Reports a post without tags on a site whose posts have tags.

    ## What it does
    When at least half of the posts (and at least three) have tags, reports each post that has
    none. Only posts count: pages in the folders where the tagged posts live, with a date when
    those posts have dates. Section pages (`_index.md`) and standalone pages
    (`content/about.md`, a search page) are left alone.

    ## Why is this bad?
    Readers browse by tag; an untagged post is missing from every tag page and feed.

    ## Example
    ```markdown
    +++
    title = "Untagged"
    date = 2025-01-06
    +++
    Text.
    ```

    Use instead:
    ```markdown
    +++
    title = "Tagged"

    [taxonomies]
    tags = ["Markets"]
    +++
    Text.
    ```
    """

    code = "TAG001"
    name = "tag-missing"
    summary = "A post has no tags while most posts on the site have some"
    severity = "warning"
    site_wide = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        tagged = {f"content/p{i}.md": _post('"Markets"') for i in range(3)}
        untagged = '+++\ntitle = "Untagged"\ndate = 2025-01-06\n+++\nText.\n'
        bad = {**tagged, "content/post.md": untagged}
        return Example(bad), Example({**tagged, "content/post.md": _post('"Markets"')})

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        tags = _tags_of(site)
        # posts live where the tagged posts live, and have a date when those do; the rest
        # (an about page, a search page) are pages
        tagged = [site.posts[path] for path in tags.eligible if site.posts[path].tags]
        folders = Counter(_folder(summary) for summary in tagged)
        dated = Counter(_folder(summary) for summary in tagged if summary.date is not None)
        posts = []
        for path in tags.eligible:
            summary = site.posts[path]
            folder = _folder(summary)
            if summary.tags or (
                folder in folders
                and (summary.date is not None or dated[folder] * 2 < folders[folder])
            ):
                posts.append(path)
        total = len(posts)
        if tags.tagged < 3 or tags.tagged * 2 < total:
            return
        for path in posts:
            summary = site.posts[path]
            if not summary.tags and site.reports(path):
                yield (
                    path,
                    self.finding(
                        summary.first_line,
                        f"This post has no tags, while {tags.tagged} of {total} posts on the site "
                        "have some; add tags so readers can find it.",
                    ),
                )


def _folder(summary: PostSummary) -> str:
    """The section a post belongs to: its folder, or the folder above for a page bundle."""
    source = os.fspath(summary.source)  # os.path: called for every post on every run
    folder = os.path.dirname(source)
    bundle = os.path.basename(source) in ("index.md", "_index.md")
    return os.path.dirname(folder) if bundle else folder


class TagUnknown(Rule):
    """Reports a tag outside the configured vocabulary.

    ## What it does
    When `vocabulary` or `vocabulary-file` is set, reports tags that are not in it and suggests
    the nearest entry.

    ## Why is this bad?
    A new tag made up on the spot splits a topic into two tag pages.

    ## Example
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Marktes"]
    +++
    Text.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Markets"]
    +++
    Text.
    ```

    ## Options
    `vocabulary`: the allowed tags. `vocabulary-file`: a file with one tag a line (relative to
    the configuration file).
    """

    code = "TAG002"
    name = "tag-unknown"
    summary = "A tag is not in the configured vocabulary"
    severity = "warning"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad, good = super().examples()
        config = '[tags]\nvocabulary = ["Markets", "Economy"]\n'
        return Example(bad.files, config), Example(good.files, config)

    site_wide = True  # judged in the site phase, against the vocabulary file as it is now

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        vocab = vocabulary(ctx)
        if not vocab:
            return
        allowed = set(vocab)
        folded = {v.casefold(): v for v in vocab}
        for path, tag, span in _all_entries(site):
            if tag in allowed:
                continue
            if tag.casefold() in folded:
                hint = f"; the vocabulary writes it `{folded[tag.casefold()]}`."
            else:
                close = _closest(tag, vocab)
                hint = (
                    f"; did you mean `{close}`?"
                    if close
                    else "; add it to the vocabulary or use a listed tag."
                )
            yield path, self.finding(span, f"The tag `{tag}` is not in the tag vocabulary{hint}")


def _closest(tag: str, vocab: Sequence[str]) -> str | None:
    folded = {v.casefold(): v for v in vocab}
    match = difflib.get_close_matches(tag.casefold(), list(folded), n=1, cutoff=0.75)
    return folded[match[0]] if match else None


class TagCase(Rule):
    """Reports a tag that breaks the configured letter case style.

    ## What it does
    With `case = "title"`, `"lower"` or `"sentence"`, reports tags written otherwise and shows
    the tag in that style. Acronyms and words with inner capitals (AI, FIIs, iPhone) and words
    spelled that way in the vocabulary keep their case. In sentence case, later words are
    lowercased only when the dictionary knows them (so names it does not know stay).

    ## Why is this bad?
    Tag pages and tag clouds show tags side by side; mixed styles look careless, and some
    generators make `Stock Market` and `Stock market` two pages.

    ## Example
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["stock Market"]
    +++
    Text.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Stock Market", "AI"]
    +++
    Text.
    ```

    ## Options
    `case`: "as-is" (default, no check), "title", "lower" or "sentence".
    """

    code = "TAG003"
    name = "tag-case"
    summary = "A tag breaks the configured letter case style"
    severity = "warning"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad, good = super().examples()
        config = '[tags]\ncase = "title"\n'
        return Example(bad.files, config), Example(good.files, config)

    site_wide = True  # judged in the site phase, against the vocabulary file as it is now

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        style = ctx.options.get("case", "as-is")
        if style == "as-is":
            return
        keep = frozenset(w for v in vocabulary(ctx) for w in v.split())
        for path, tag, span in _all_entries(site):
            want = styled(tag, style, keep)
            if want != tag:
                yield (
                    path,
                    self.finding(span, f"The tag `{tag}` is not in {style} case; write `{want}`."),
                )


class TagDuplicate(Rule):
    """Reports the same tag twice in one post.

    ## What it does
    Reports a tag that repeats an earlier tag of the same post, ignoring letter case.

    ## Why is this bad?
    The repeat adds nothing, and when the case differs the generator may list the post under
    two tag pages.

    ## Example
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Markets", "Economy", "markets"]
    +++
    Text.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Markets", "Economy"]
    +++
    Text.
    ```

    ## Fix safety
    Safe: the repeated entry and its comma are removed; the rest of the list is untouched.
    """

    code = "TAG004"
    name = "tag-duplicate"
    summary = "The same tag appears twice in one post"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        entries = tag_entries(post)
        seen: dict[str, str] = {}
        for i, (tag, span) in enumerate(entries):
            key = " ".join(tag.casefold().split())
            if key not in seen:
                seen[key] = tag
                continue
            previous = entries[i - 1][1]
            fix = (
                Fix((post.edit(previous.end, span.end, ""),))
                if previous.end <= span.start
                else None
            )
            first = seen[key]
            same = "" if first == tag else f" (as `{first}`)"
            yield self.finding(
                span, f"The tag `{tag}` is already on this post{same}; remove the repeat.", fix
            )


class TagNearDuplicate(Rule):
    """Reports a tag that is another tag of the site written differently.

    ## What it does
    Finds tags that differ from another tag used on the site only by letter case, a plural,
    spacing or hyphens, or a small misspelling (`Tarriff` and `Tariff`, `Stock mmarket` and
    `Stock market`, `Electric Vehicles` and `Electric vehicles`), and suggests one form: the one
    in the vocabulary, else the correctly spelled one, else the one in the site's case style,
    else the most used. It names the posts that use each form.

    ## Why is this bad?
    Each spelling gets its own tag page, so readers who follow a tag miss half the posts.

    ## Example
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Tarriff"]
    +++
    Text.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Tariff"]
    +++
    Text.
    ```
    """

    code = "TAG005"
    name = "tag-near-duplicate"
    summary = "A tag is another tag of the site spelled differently"
    severity = "warning"
    site_wide = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        others = {f"content/p{i}.md": _post('"Tariff"', f"P{i}") for i in range(2)}
        bad = {**others, "content/post.md": _post('"Tarriff"')}
        return Example(bad), Example({**others, "content/post.md": _post('"Tariff"')})

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        tags = _tags_of(site)
        vocab = frozenset(vocabulary(ctx))
        style = ctx.options.get("case", "as-is")
        if style == "as-is":
            style = _site_style(tags.uses)
        for group in tags.groups(vocab):
            best = _preferred(group, tags.posts_with, vocab, style)
            best_posts = tags.posts_with[best]
            for tag in group:
                if tag == best:
                    continue
                how = _difference(tag, best)
                reason = ""
                if len(best_posts) < len(tags.posts_with[tag]):
                    if not _spelled(tag, vocab, british=True):
                        reason = ", which is spelled correctly"
                    elif style != "as-is" and styled(tag, style, vocab) != tag:
                        reason = f", in the {style} case most tags on the site use"
                for path, span in tags.uses[tag]:
                    if tags.repeats(path, tag):
                        continue  # a repeat within the post: tag-duplicate reports it
                    yield (
                        path,
                        self.finding(
                            span,
                            f"The tag `{tag}` {how} `{best}` (on {_count(best_posts)}: "
                            f"{_some(best_posts)}); `{tag}` is on {_count(tags.posts_with[tag])} "
                            f"({_some(tags.posts_with[tag])}); use `{best}`{reason}.",
                        ),
                    )


def _count(paths: Sequence[str]) -> str:
    return f"{len(paths)} post" + ("" if len(paths) == 1 else "s")


def _difference(tag: str, best: str) -> str:
    if tag.casefold() == best.casefold():
        return "differs only in letter case from"
    if normal_key(tag) == normal_key(best):
        return "is another way of writing"
    return "looks like a misspelling of"


class TagSpelling(Rule):
    """Reports a misspelled word in a tag.

    ## What it does
    Checks each word of each tag against an English dictionary and suggests corrections. Skips
    acronyms, words with digits, words used in tags of three or more posts, vocabulary words,
    tags already reported as near duplicates, and words with no close correction (names).

    ## Why is this bad?
    A misspelled tag is a tag page with a misspelled title that readers see and search misses.

    ## Example
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Dolar"]
    +++
    Text.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"

    [taxonomies]
    tags = ["Dollar"]
    +++
    Text.
    ```
    """

    code = "TAG006"
    name = "tag-spelling"
    summary = "A word of a tag is misspelled"
    severity = "warning"
    languages = ("en",)
    site_wide = True

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        tags = _tags_of(site)
        vocab = frozenset(vocabulary(ctx))
        vocab_words = frozenset(w.casefold() for v in vocab for w in _WORD.findall(v))
        grouped = {t for group in tags.groups(vocab) for t in group}
        word_posts: Counter[str] = Counter()
        for tag, paths in tags.posts_with.items():
            for word in {w.casefold() for w in _WORD.findall(tag)}:
                word_posts[word] += len(paths)
        for tag, uses in tags.uses.items():
            if tag in grouped or tag in vocab:
                continue
            for word in _WORD.findall(tag):
                lower = word.casefold()
                if (
                    len(word) < 3
                    or _is_acronym(word)
                    or lower in vocab_words
                    or word_posts[lower] >= 3
                    or _known(lower)
                ):
                    continue
                suggestions = _suggest(word)
                if not suggestions:
                    continue
                shown = ", ".join(f"`{s}`" for s in suggestions)
                for path, span in uses:
                    yield (
                        path,
                        self.finding(
                            span,
                            f"`{word}` in the tag `{tag}` looks misspelled: did you mean {shown}?",
                        ),
                    )


_BRITISH = (
    ("isation", "ization"),
    ("ise", "ize"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("iser", "izer"),
    ("our", "or"),
    ("ours", "ors"),
    ("ence", "ense"),
    ("yse", "yze"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("logue", "log"),
    ("elled", "eled"),
    ("elling", "eling"),
)


def _british_known(word: str) -> bool:
    """A British spelling (labour, defence, fertiliser) of a word the dictionary knows."""
    for british, american in _BRITISH:
        if word.endswith(british) and _known(word[: -len(british)] + american):
            return True
    return False


@functools.cache
def _suggest(word: str) -> tuple[str, ...]:
    lower = word.casefold()
    candidates = _speller().candidates(lower) or set()
    ranked = sorted((c for c in candidates if c != lower), key=lambda c: (-_frequency(c), c))
    if _british_known(lower):
        return ()
    if word[:1].isupper():
        # a capitalised word may be a name (Tata, Zomato): suggest only common words that
        # keep its first letter, as typos rarely change it
        ranked = [c for c in ranked if _frequency(c) >= 1e-6 and c[:1] == lower[:1]]
        ranked = [c[:1].upper() + c[1:] for c in ranked]
    return tuple(ranked[:3])


FAMILY = Family(
    name="tags",
    prefix="TAG",
    description="Tags: one spelling per topic across the site.",
    rules=(TagMissing, TagUnknown, TagCase, TagDuplicate, TagNearDuplicate, TagSpelling),
    options=(
        Option("vocabulary", (), "The allowed tags (tag-unknown runs when this is set).", list),
        Option(
            "vocabulary-file",
            "",
            "A file of allowed tags, one a line (relative to the configuration file).",
            str,
            path=True,
        ),
        Option("case", "as-is", "The tags' letter case style.", CASES),
    ),
)
