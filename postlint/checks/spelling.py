"""Spelling: words of the prose that no dictionary, configuration or the site itself knows."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postlint.dictionary import DictionaryError, checker
from postlint.model import Edit, Finding, Fix, Link, Post, Span
from postlint.prose import paragraphs, word_list
from postlint.rule import Context, Family, Option, Rule, Site

if TYPE_CHECKING:
    pass

MAX_SUGGEST_LENGTH = 20  # longer unknown words get no suggestions: edits grow with the length
MAX_SUGGESTIONS = 3

# A chunk of prose between white space; what it holds decides whether its words are checked.
_CHUNK = re.compile(r"\S+")
_EDGE = "\"'“”‘’«»()[]{}<>,;:!?….*_~|"
_SKIP_CHUNK = re.compile(
    r"://|^www\.|@|^#\w|^[/~]|\\|"  # URLs, e-mail addresses, @handles, #tags, paths
    r"\w\.(?:[A-Za-z]{2,}\w*|[a-z])(?:$|[/?#.])|"  # file names and domains: x.csv, example.com
    r"[_=<>{}$%^|]|::|\(\)|"  # identifiers and code-like text: std::io, f(), a|b
    r"‚Ä|â€|Ã.|Â"  # mojibake: left to the encoding rules
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_HAS_DIGIT = re.compile(r"\d")
_ACRONYM = re.compile(r"^[A-Z]{2,}(?:['’]?s)?$|^[A-Z](?:\.[A-Z])+\.?$")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f'’]+$")
_CONTRACTION = re.compile(r"^(.+)'(s|ll|re|ve|d|m|t)$")
# Parts of hyphenated compounds that are not words alone: multi-head, Valley-esque, co-founder.
_AFFIXES = frozenset(
    word_list(
        "multi non pre post anti semi sub co inter intra mid self ex esque ish like wise un "
        "re de over under out bi tri uni mega micro macro meta pseudo quasi neo proto ultra "
        "ons ins ups offs outs downs overs"
    )
)
# Prefixes that make new words from known ones; the rest must be a known word of 5+ letters.
_PREFIX = re.compile(
    r"^(?:inter|intra|counter|over|under|multi|non|pre|post|anti|semi|super|hyper|micro|macro|"
    r"mega|cyber|crypto|re|un|sub|trans|cross|out|mis|geo|bio|eco|neo)(?=[a-z]{5})"
)
_PREVIOUS_CAPITAL = re.compile(r"(?:^|\s)[\"'“‘(*_]*[A-Z][\w'’.\-]*[*_]*[ \u00a0]+$")
_NEXT_CAPITAL = re.compile(r"[*_]*[ \u00a0]+[\"'“‘(*_]*[A-Z]")


@cache
def _known(language: str, word: str) -> bool:
    return word in checker(language)


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# British spellings made American, as (pattern, replacement): a British form is accepted when an
# American form it maps to is known (the English dictionary is American).
_GB_TO_US = (
    (re.compile(r"our(?=s?$|ed$|ing$|ite|ful|able|ably|less|ism|ist|er|y$|ies$|ie)"), "or"),
    (re.compile(r"is(?=e$|es$|ed$|ing$|er$|ers$|ation)"), "iz"),
    (re.compile(r"ys(?=e$|es$|ed$|ing$|er$)"), "yz"),
    (re.compile(r"([bcdfgmpstv])re(?=s?$)"), r"\1er"),
    (re.compile(r"([bcdfgmpstv])r(?=ed$|ing$)"), r"\1er"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"ll(?=ed$|ing$|er$|ers$)"), "l"),
    (re.compile(r"^sceptic"), "skeptic"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),
    (re.compile(r"(?<=[a-z])oe(?=[a-z])"), "e"),
    (re.compile(r"gramme(?=s?$)"), "gram"),
    (re.compile(r"eing$"), "ing"),
    (re.compile(r"dgement(?=s?$)"), "dgment"),
    (re.compile(r"^grey"), "gray"),
    (re.compile(r"^whilst$"), "while"),
    (re.compile(r"ou(?=ld$|lder$|lt$)"), "o"),
)
# American roots with a distinct British spelling, for variant = "gb".
_US_ROOTS = word_list(
    "color armor behavior candor clamor endeavor favor flavor harbor honor humor labor "
    "neighbor odor parlor rancor rigor rumor savor splendor tumor valor vapor vigor "
    "center fiber liter luster meager somber specter theater caliber saber defense "
    "offense pretense catalog analog analyze paralyze catalyze traveled traveling "
    "canceled canceling labeled labeling modeled modeling fueled fueling jewelry gray "
    "skeptic maneuver mold plow aging"
)
_US_ROOT = re.compile(
    r"^(?:" + "|".join(_US_ROOTS) + r")(?:s|ed|ing|ful|ite|ites|able|ably|less|er|ers|ist|y)?$"
)
_IZE = re.compile(r"(?<=[a-z]{3})iz(?=e$|es$|ed$|ing$|ation|ations$|er$|ers$)")
_IZE_EXCEPTIONS = frozenset(["capsize", "capsized", "capsizes", "capsizing"])


def _british_forms(word: str) -> set[str]:
    forms = {word}
    for pattern, replacement in _GB_TO_US:
        forms |= {pattern.sub(replacement, form) for form in forms}
    forms.discard(word)
    return forms


@cache
def accepted(language: str, variant: str, word: str) -> bool:
    """Whether a lower-case word is spelled right for this language and variant."""
    if _known(language, word):
        return not (variant == "gb" and _american_only(word))
    plain = _plain(word)
    if plain != word and _known(language, plain):
        return True
    match = _CONTRACTION.match(word)
    if match and accepted(language, variant, match.group(1)):
        return True
    if word.endswith("s'") and accepted(language, variant, word[:-1]):
        return True
    if len(word) > 3 and word.endswith("s") and _plural_of_known(language, variant, word):
        return True
    prefix = _PREFIX.match(word)
    if prefix and accepted(language, variant, word[prefix.end() :]):
        return True  # intergenerational, countercyclical: a prefix and a known word
    if language.startswith("en") and variant != "us":
        return any(_known(language, form) for form in _british_forms(word))
    return False


def _plural_of_known(language: str, variant: str, word: str) -> bool:
    """A plural the list lacks (``podcasts``, ``timelines``) of a noun it has."""
    if word.endswith("ies"):
        return accepted(language, variant, word[:-3] + "y")
    if word.endswith("es") and accepted(language, variant, word[:-2]):
        return True
    return not word.endswith("ss") and accepted(language, variant, word[:-1])


def _american_only(word: str) -> bool:
    if _US_ROOT.match(word):
        return True
    return word not in _IZE_EXCEPTIONS and bool(_IZE.search(word)) and not word.startswith("siz")


@cache
def suggestions(language: str, variant: str, word: str) -> tuple[str, ...]:
    """Up to three known words one edit away, most frequent first (none for long words)."""
    if len(word) > MAX_SUGGEST_LENGTH:
        return ()
    spell = checker(language)
    found: set[str] = set()
    if variant == "gb" and _known(language, word):
        found = {f for f in _to_british(word) if f != word}
    if not found:
        found = {
            w for w in spell.known(spell.edit_distance_1(word)) if accepted(language, variant, w)
        }
    ranked = sorted(found, key=lambda w: (-spell.word_usage_frequency(w), w))
    return tuple(ranked[:MAX_SUGGESTIONS])


def _to_british(word: str) -> set[str]:
    forms = {
        re.sub(r"or(?=s?$|ed$|ing$|ite|ful|able|ably|less|er|ist|y$)", "our", word),
        re.sub(r"er(?=s?$)", "re", word),
        re.sub(r"ense(?=s?$)", "ence", word),
        re.sub(r"og(?=s?$)", "ogue", word),
        re.sub(r"yz", "ys", word),
        re.sub(r"(?<=[aeiou])l(?=ed$|ing$)", "ll", word),
        re.sub(r"^skeptic", "sceptic", word),
        re.sub(r"^gray", "grey", word),
        _IZE.sub("is", word),
    }
    return {form for form in forms if word in _british_forms(form) or _IZE.search(word)}


# ---------------------------------------------------------------------------------------------
# Words of the prose


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as written (apostrophes as written)
    start: int  # file offsets
    end: int
    capitalised: bool  # a capital first letter
    beside_capital: bool  # capitalised next to another capitalised word: part of a name


def unknown_words(post: Post, language: str, variant: str) -> Iterator[Word]:
    """Words of the prose the dictionary does not know, possessives cut off, with file offsets.

    Chunks holding URLs, e-mail addresses, @handles, file names, digits, code-like text or
    mojibake are skipped whole; acronyms and words with inner capitals (names like ``DeepSeek``)
    are left out. Each paragraph's distinct words are looked up first (once per process), so
    only the rare unknown word costs more than a set lookup.
    """
    for paragraph in paragraphs(post):
        text = paragraph.text
        cleared = _cleared(language, variant)
        tokens = set(_WORD.findall(text)) - cleared  # a set difference skips the common words
        suspects = {t for t in tokens if _suspect(language, variant, t)}
        cleared.update(tokens - suspects)
        if not suspects:
            continue
        for match in _WORD.finditer(text):
            token = match.group()
            if token not in suspects:
                continue
            start, token_end = match.span()
            chunk_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
            chunk_end = _CHUNK.match(text, chunk_start)
            core = chunk_end.group().strip(_EDGE) if chunk_end else ""
            if not core or _HAS_DIGIT.search(core) or _SKIP_CHUNK.search(core):
                continue
            word = _without_possessive(token)
            hyphenated = text[start - 1 : start] == "-" or text[token_end : token_end + 1] == "-"
            if hyphenated and word.lower() in _AFFIXES:
                continue
            end = start + len(word)
            beside_capital = word[0].isupper() and bool(
                _PREVIOUS_CAPITAL.search(text, max(0, start - 40), start)
                or _NEXT_CAPITAL.match(text, token_end)
            )
            yield Word(
                word,
                paragraph.offset(start),
                paragraph.offset(end, end=True),
                word[0].isupper(),
                beside_capital,
            )


def _without_possessive(token: str) -> str:
    return token[:-2] if token[-2:] in ("'s", "’s", "'S", "’S") else token


@cache
def _cleared(language: str, variant: str) -> set[str]:
    """Tokens already found not to be suspects (grows as posts are read, once per process)."""
    return set()


@cache
def _suspect(language: str, variant: str, token: str) -> bool:
    """Whether a token, out of context, is a word the dictionary may not know."""
    word = _without_possessive(token)
    if len(word) < 2 or not _LATIN.match(word) or _ACRONYM.match(word):
        return False
    if any(c.isupper() for c in word[1:]):
        return False  # DeepSeek, iPhone, McDonald: names
    return not accepted(language, variant, _lookup_key(word))


def _lookup_key(word: str) -> str:
    return word.replace("’", "'").lower()


def _name_words(names: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for name in names:
        if isinstance(name, str):
            found.update(_lookup_key(w) for w in _WORD.findall(name))
    return found


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, (list, tuple)) else []


def post_names(post: Post, ctx: Context) -> set[str]:
    """Words of names this post and site use on purpose: authors, tags, preferred terms."""
    meta = post.meta
    extra = meta.get("extra") if isinstance(meta.get("extra"), dict) else {}
    names: list[Any] = [section.author for section in post.authors]
    names += list(post.tags)
    for holder in (meta, extra):
        for key in ("author", "authors"):
            names += _as_list(holder.get(key))  # type: ignore[union-attr]
    return _name_words(names) | site_names(ctx)


def site_names(ctx: Context) -> set[str]:
    tables = ctx.config.tables if ctx.config is not None else {}
    authors = tables.get("authors", {})
    terms = tables.get("terms", {})
    names: list[Any] = _as_list(authors.get("roster")) if isinstance(authors, Mapping) else []
    names += _as_list(terms.get("preferred")) if isinstance(terms, Mapping) else []
    site_config = ctx.site.config
    extra = site_config.get("extra") if isinstance(site_config.get("extra"), dict) else {}
    for holder in (site_config, extra):
        for key in ("author", "authors"):
            names += _as_list(holder.get(key))  # type: ignore[union-attr]
    return _name_words(names)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A word the dictionary does not know, as collected from one post."""

    word: str
    span: Span
    key: str  # lower case, straight apostrophes
    proper: bool  # capitalised: maybe a name
    named: bool  # part of a run of capitalised words (Liang Wenfeng): never reported
    suggestions: tuple[str, ...]


def _names_its_link(links: tuple[Link, ...], starts: list[int], word: Word, key: str) -> bool:
    """A word in a link's text that its URL also holds names the page: [ChinaTalk](chinatalk...).

    ``starts`` are the links' start offsets (links come sorted): a bisection, not a scan of
    every link for every unknown word, which was quadratic on long posts."""
    i = bisect_right(starts, word.start) - 1
    if i >= 0 and word.end <= links[i].span.end:
        return key in links[i].url.lower()
    return False


@dataclass(frozen=True, slots=True)
class Collected:
    """What one post tells the site phase: its unknown words, and how often the post uses
    the first suggestion of each lower-case one (to tell a habitual typo from jargon)."""

    unknowns: list[Unknown]
    near: dict[str, int]


TYPO_RATIO = 10  # a near miss used 10 times less than its correction on the site is a typo


def _counts(post: Post, words: set[str]) -> dict[str, int]:
    if not words:
        return {}
    counts: Counter[str] = Counter()
    for paragraph in paragraphs(post):
        counts.update(token for token in paragraph.tokens if token in words)
    return {word: counts[word] for word in words}


def _habitual_typo(unknown: Unknown, uses: int, near_uses: Mapping[str, int]) -> bool:
    """A lower-case word one letter from a word the site uses far more often (teh, the)."""
    if unknown.proper or not unknown.suggestions:
        return False
    return uses * TYPO_RATIO < near_uses.get(unknown.suggestions[0], 0)


def _spelled(word: str) -> str:
    return word.replace("’", "'")


def _cased(suggestion: str, word: str) -> str:
    if word[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


# ---------------------------------------------------------------------------------------------
# The rule


class Spelling(Rule):
    """
    ## What it does
    Flags words of the prose that the dictionary does not know, with up to three suggestions.
    Code, URLs, e-mail addresses, @handles, file names, raw HTML and front matter are never
    read. Words with digits (`H800`, `5.6bn`), acronyms (`GPUs`), names with inner capitals
    (`DeepSeek`), the post's authors and tags, the site's authors, preferred terms and your own
    word lists are accepted. British and American spellings are both accepted by default.

    A capitalised word in mid-sentence that the dictionary does not know is most often a name:
    it is flagged only when a word one letter away exists and the word appears once on the site.
    A word spelled the same way in at least `site-min-posts` posts is taken as the site's own
    vocabulary and accepted, unless it is a lower-case word one letter from a word the site
    uses ten times more often: that is a habit (`teh`), not jargon.

    ## Why is this bad?
    A misspelled word is the first thing a reader notices, and it survives every later edit.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    We shipped teh new release on Monday.
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    We shipped the new release on Monday.
    ```

    ## Options
    `language` (a pyspellchecker language, default `en`), `variant` (`any`, `us` or `gb`),
    `words` (accepted words), `dictionaries` (files of accepted words, one a line, `#`
    comments, relative to the configuration file), `site-vocabulary` and `site-min-posts`.

    ## Fix safety
    The fix replaces the word with the first suggestion. It is unsafe: only the writer knows
    which word was meant.
    """

    code = "SPL001"
    name = "spelling"
    summary = "A word the dictionary does not know"
    severity = "warning"
    fixable = True
    site_wide = True

    def collect(self, post: Post, ctx: Context) -> Collected:
        language = str(ctx.options["language"])
        variant = str(ctx.options["variant"])
        known_names: set[str] | None = None
        starts = [link.span.start for link in post.links]
        found = []
        for word in unknown_words(post, language, variant):
            key = _lookup_key(word.text)
            if known_names is None:
                known_names = post_names(post, ctx)
            if key in known_names or _names_its_link(post.links, starts, word, key):
                continue
            suggested = () if word.beside_capital else suggestions(language, variant, key)
            span = post.span(word.start, word.end)
            found.append(
                Unknown(word.text, span, key, word.capitalised, word.beside_capital, suggested)
            )
        near = {u.suggestions[0] for u in found if u.suggestions and not u.proper}
        return Collected(found, _counts(post, near))

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        collected: dict[str, Collected] = site.collected(self.name)
        allowed = custom_words(ctx)
        posts_using: Counter[str] = Counter()
        uses: Counter[str] = Counter()
        near_uses: Counter[str] = Counter()
        for facts in collected.values():
            posts_using.update({_spelled(u.word) for u in facts.unknowns})
            uses.update(_spelled(u.word) for u in facts.unknowns)
            near_uses.update(facts.near)
        vocabulary = bool(ctx.options["site-vocabulary"])
        min_posts = int(ctx.options["site-min-posts"])
        for path, facts in collected.items():
            for unknown in facts.unknowns:
                spelled = _spelled(unknown.word)
                if unknown.key in allowed or unknown.word in allowed or unknown.named:
                    continue
                if (
                    vocabulary
                    and posts_using[spelled] >= min_posts
                    and not _habitual_typo(unknown, uses[spelled], near_uses)
                ):
                    continue  # the site's own word
                if unknown.proper and (not unknown.suggestions or uses[spelled] > 1):
                    continue  # a name
                yield path, self._finding(unknown)

    def _finding(self, unknown: Unknown) -> Finding:
        cased = [_cased(s, unknown.word) for s in unknown.suggestions]
        if cased:
            quoted = ", ".join(f"“{s}”" for s in cased)
            message = f"“{unknown.word}” is not in the dictionary: did you mean {quoted}?"
            fix = Fix((Edit(unknown.span, cased[0]),), safe=False)
        else:
            message = (
                f"“{unknown.word}” is not in the dictionary: correct it, or add it to `words` "
                "in `[spelling]` if it is right."
            )
            fix = None
        return self.finding(unknown.span, message, fix)


def custom_words(ctx: Context) -> set[str]:
    """The configuration's accepted words: ``words`` and the ``dictionaries`` files."""
    words = {str(w) for w in ctx.options["words"]}
    root = ctx.config.root if ctx.config is not None else Path.cwd()
    for name in ctx.options["dictionaries"]:
        words |= _dictionary_file(str((root / str(name)).resolve()), str(name))
    return words | {_lookup_key(w) for w in words}


@cache
def _dictionary_file(path: str, name: str) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
        raise DictionaryError(
            f"[spelling] dictionaries: cannot read `{name}` ({path}): {reason}"
        ) from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


def _options() -> Sequence[Option]:
    return (
        Option("language", "en", "the dictionary's language (a pyspellchecker language code)"),
        Option(
            "variant",
            "any",
            "English spelling: any (British and American), us or gb",
            ("any", "us", "gb"),
        ),
        Option("words", [], "words that are spelled right", list),
        Option(
            "dictionaries",
            [],
            "files of words spelled right, one a line (# comments), relative to the configuration",
            list,
        ),
        Option(
            "site-vocabulary",
            True,
            "accept a word spelled the same way in at least site-min-posts posts",
        ),
        Option("site-min-posts", 3, "posts that must use a word for it to be the site's own"),
    )


FAMILY = Family(
    name="spelling",
    prefix="SPL",
    description="Spelling of the prose",
    rules=(Spelling,),
    options=tuple(_options()),
)
