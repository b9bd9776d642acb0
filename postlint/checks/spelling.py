"""Spelling: words of the prose that no dictionary, configuration or the site itself knows."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from postlint.dictionary import DictionaryError, checker, knows
from postlint.model import Edit, Finding, Fix, Link, Post, Span
from postlint.prose import paragraphs, word_list
from postlint.rule import Context, Family, Option, Rule, Site, speaks
from postlint.slug import heading_anchors

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
_LETTERS = r"(?:[^\W\d_][\u0300-\u036f]*)+"  # letters, with combining marks (Mu\u0308ller)
_WORD = re.compile(_LETTERS + r"(?:['’]" + _LETTERS + ")*")
_HAS_DIGIT = re.compile(r"\d")
_ACRONYM = re.compile(r"^[A-Z]{2,}(?:['’]?s)?$|^[A-Z](?:\.[A-Z])+\.?$")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f'’]+$")
_CONTRACTION = re.compile(r"^(.+)'(s|ll|re|ve|d|m|t)$")
# Parts of hyphenated compounds that are not words alone: multi-head, Valley-esque, co-founder.
_AFFIXES = frozenset(
    word_list(
        "multi non pre post anti semi sub co inter intra mid self ex esque ish like wise un "
        "re de over under out bi tri uni mega micro macro meta pseudo quasi neo proto ultra "
        "ons ins ups offs outs downs overs tos"
    )
)
# Prefixes that make new words from known ones; the rest must be a known word of 5+ letters.
_PREFIX = re.compile(
    r"^(?:inter|intra|counter|over|under|multi|non|pre|post|anti|semi|super|hyper|micro|macro|"
    r"mega|cyber|crypto|re|un|sub|trans|cross|out|mis|geo|bio|eco|neo)(?=[a-z]{5})"
)
_PREVIOUS_CAPITAL = re.compile(r"(?:^|\s)[\"'“‘(*_]*([A-Z][\w'’.\-]+)[*_]*[ \u00a0]+$")
_NEXT_CAPITAL = re.compile(r"[*_]*[ \u00a0]+[\"'“‘(*_]*[A-Z][\w'’]")


@cache
def _known(language: str, word: str) -> bool:
    return knows(language, word)


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


COMMON_USAGE = 1000  # a word used this often in the dictionary's corpus is a common word
SPLIT_USAGE = 150_000  # two words this frequent run together are a typo (eventhough, infact)


@cache
def suggestions(language: str, variant: str, word: str) -> tuple[str, ...]:
    """Up to three known words one edit away, most frequent first; failing that, two words
    run together (``eventhough``: ``even though``) or, for long words, a common word two
    edits away. None for words longer than ``MAX_SUGGEST_LENGTH``. Memoised per word."""
    if len(word) > MAX_SUGGEST_LENGTH:
        return ()
    found: set[str] = set()
    if variant == "gb" and _known(language, word):
        found = {f for f in _to_british(word) if f != word}
    if variant == "us":
        found = {f for f in _british_forms(word) if accepted(language, variant, f)}
    if not found:
        found = {w for w in _one_edit(language, word) if accepted(language, variant, w)}
    if not found:
        found = _split(language, variant, word)
    if not found and len(word) >= 8:
        found = {w for w in _two_edits(language, word) if accepted(language, variant, w)}
    found.discard(word)
    counts = checker(language).word_frequency.dictionary
    ranked = sorted(found, key=lambda w: (w not in counts, -_usage(language, w), w))
    return tuple(ranked[:MAX_SUGGESTIONS])


def _one_edit(language: str, word: str) -> set[str]:
    """Dictionary words one edit from the word, or from its American spelling (then spelled
    back the British way) or from what follows a prefix (``rebalacing``: ``rebalancing``)."""
    spell = checker(language)
    words = spell.word_frequency.dictionary.keys()
    found = spell.edit_distance_1(word) & words
    for form in _british_forms(word):
        if form in words:
            found.add(form)  # colour, for variant = "us"
            continue
        for near in spell.edit_distance_1(form) & words:
            found |= {b for b in _to_british(near) if b != near} or {near}
    prefix = _PREFIX.match(word)
    if prefix:
        head, rest = word[: prefix.end()], word[prefix.end() :]
        found |= {head + near for near in spell.edit_distance_1(rest) & words}
    return found


def _split(language: str, variant: str, word: str) -> set[str]:
    """Two very frequent words run together: ``eventhough``, ``alot``, ``infact``."""
    found = set()
    for i in range(1, len(word)):
        first, second = word[:i], word[i:]
        if (len(first) > 1 or first in "ai") and len(second) > 1 and _frequent(language, second):
            found |= {f"{first} {second}"} if _frequent(language, first) else set()
    return found


def _frequent(language: str, word: str) -> bool:
    return _usage(language, word) >= SPLIT_USAGE


def _common(language: str, word: str) -> bool:
    return _usage(language, word) >= COMMON_USAGE


@cache
def _common_words(language: str) -> dict[str, list[str]]:
    """The dictionary's common words by first letter (for the search two edits away)."""
    table: dict[str, list[str]] = {}
    for w, count in checker(language).word_frequency.dictionary.items():
        if count >= COMMON_USAGE and len(w) >= 6:
            table.setdefault(w[0], []).append(w)
    return table


def _two_edits(language: str, word: str) -> set[str]:
    """Common words two edits from the word that keep its first letter."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    choices = [w for w in _common_words(language).get(word[0], ()) if abs(len(w) - len(word)) <= 2]
    return {w for w, _, _ in extract(word, choices, scorer=OSA.distance, score_cutoff=2, limit=5)}


def _usage(language: str, word: str) -> int:
    """How often the dictionary's corpus uses the word (or the spelling it is accepted as)."""
    counts = checker(language).word_frequency.dictionary
    if word in counts:
        return int(counts[word])
    prefix = _PREFIX.match(word)
    forms = [*_british_forms(word), word[prefix.end() :] if prefix else ""]
    return max((int(counts[f]) for f in forms if f in counts), default=0)


@cache
def near_common_word(language: str, variant: str, word: str, initial: bool) -> bool:
    """Whether a capitalised word is a likely misspelling of a common word: one edit that keeps
    its first letter, or, at the start of a sentence or in a heading, where any word takes a
    capital, two edits for a long word or two frequent words run together. Mid-sentence, a
    word that is further off (``Brannoch``, ``Trustfall``) is a name. Memoised per word."""
    return any(
        (initial or _distance(word, s) == 1) and s[0] == word[0] and _common(language, s)
        if " " not in s
        else initial
        for s in suggestions(language, variant, word)
    )


def _distance(word: str, other: str) -> int:
    from rapidfuzz.distance import OSA

    return int(OSA.distance(word, other))


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
    name: bool  # a name or a handle, as its place shows (Liang Wenfeng, Ana Rao (anarao))
    initial: bool  # the first word of a sentence, or a word of a heading


# What stands before a word that starts a sentence (or a paragraph, heading or list item).
_INITIAL = re.compile(r"(?:^|[.!?:…][\"'”’)\]*_]*\s+)[\"'“‘(\[*_]*$")
_ROMAN = re.compile(
    r"^(?=[ivxlcdm]{2,}$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$"
)
_AFTER_NUMBER = re.compile(r"\d[\d.,]*\s+$")  # 5 kg, 60 kmph, 1,200 sq ft
_UNIT_LENGTH = 5
# Words shortened with an apostrophe, as written: ol' (old), an' (and), 'tis, 'til.
_ELIDED_BEFORE = frozenset(word_list("ol an o th"))
_ELIDED_AFTER = frozenset(word_list("tis twas til cept bout round em"))
_ITEM_EDGE = ",;()\n"
_ITEM_EDGES = re.compile("[" + re.escape(_ITEM_EDGE) + "]")


def unknown_words(post: Post, language: str, variant: str) -> Iterator[Word]:
    """Words of the prose the dictionary does not know, possessives cut off, with file offsets.

    Chunks holding URLs, e-mail addresses, @handles, file names, digits, code-like text,
    several hyphens or mojibake are skipped whole; acronyms and words with inner capitals
    (names like ``DeepSeek``) and words glued to code (```dev`elopment``) are left out. Units
    after a number (``5 kg``), Roman numerals (``(ii)``), elisions (``ol'``), names (``Liang
    Wenfeng``) and handles (a chat nickname, a word in brackets after a name, a list item of
    one word, a list of unknown words) come marked as names: never reported, but counted as
    the site's vocabulary. Each paragraph's distinct words are looked up first (once per
    process), so only the rare unknown word costs more than a set lookup.
    """
    source = post.text
    for paragraph in paragraphs(post):
        text = paragraph.text
        cleared = _cleared(language, variant)
        tokens = set(_WORD.findall(text)) - cleared  # a set difference skips the common words
        suspects = {t for t in tokens if _suspect(language, variant, t)}
        cleared.update(tokens - suspects)
        if not suspects:
            continue
        lone_item = paragraph.listed and (
            len(_WORD.findall(_BRACKETED.sub("", text))) == 1 or _ends_with_handle(text, suspects)
        )
        for match in word_matches(text, suspects):
            token = match.group()
            start, token_end = match.span()
            space = text.rfind(" ", 0, start)  # then a line break after it: no scan to the start
            chunk_start = max(space, text.rfind("\n", space + 1, start)) + 1
            chunk_end = _CHUNK.match(text, chunk_start)
            core = chunk_end.group().strip(_EDGE) if chunk_end else ""
            if not core or _HAS_DIGIT.search(core) or _SKIP_CHUNK.search(core):
                continue
            if core.count("-") > 1:
                continue  # wg-cargo-std-aware, hank-der-hafenarbeiter: a repository or a handle
            word = _without_possessive(token)
            hyphenated = text[start - 1 : start] == "-" or text[token_end : token_end + 1] == "-"
            if hyphenated and word.lower() in _AFFIXES:
                continue
            end = start + len(word)
            file_start, file_end = paragraph.offset(start), paragraph.offset(end, end=True)
            before, after = source[file_start - 1 : file_start], source[file_end : file_end + 2]
            if before == "`" or after[:1] == "`":
                continue  # `dev`elopment: part of the word is code
            capitalised = word[0].isupper()
            heading = paragraph.kind == "heading"
            name = (  # the cheaper tests first: a name beside a capital is common
                (before == "<" and ">" in after)  # <anarao>, \<anarao\>: a chat nickname
                or lone_item
                or (capitalised and not heading and _beside_capital(language, text, start, end))
                or _not_a_word(text, start, token_end, word, suspects)
            )
            initial = heading or _initial(text, start)
            yield Word(word, file_start, file_end, capitalised, name, initial)


_LETTER = re.compile(r"[^\W\d_]")


def word_matches(text: str, tokens: set[str]) -> list[re.Match[str]]:
    """The matches of ``_WORD.finditer(text)`` whose token is one of ``tokens``, in order.

    Each token is looked for with ``str.find`` and kept where a word begins: a Python loop
    over every word of every paragraph, to pick out the few unknown ones, cost more than
    the checks of those words."""
    found: list[re.Match[str]] = []
    for token in tokens:
        i = text.find(token)
        while i >= 0:
            if _word_start(text, i):
                match = _WORD.match(text, i)
                if match is not None and match.group() == token:
                    found.append(match)
            i = text.find(token, i + 1)
    found.sort(key=lambda m: m.start())
    return found


def _word_start(text: str, i: int) -> bool:
    """Whether a ``_WORD`` match of ``finditer`` can begin at ``i``: the word before it (a
    letter, then combining marks) does not run on into it, directly or over an apostrophe."""
    if _ends_letters(text, i):
        return False
    return not (i and text[i - 1] in "'’" and _ends_letters(text, i - 1))


def _ends_letters(text: str, i: int) -> bool:
    """Whether the characters before ``i`` end with a letter and any combining marks."""
    j = i
    while j and "\u0300" <= text[j - 1] <= "\u036f":
        j -= 1
    return bool(j) and _LETTER.match(text, j - 1) is not None


_BRACKETED = re.compile(r"\([^()]*\)")
_LAST_BRACKETED = re.compile(r"\(\s*@?([^\s()]+)\s*\)[\s.]*$")


def _ends_with_handle(text: str, suspects: set[str]) -> bool:
    """A list item that ends with a handle in brackets: a roster entry (``Cui Li (cuili)``)."""
    match = _LAST_BRACKETED.search(text)
    return match is not None and _name_like(match.group(1), suspects)


_PARTICLES = frozenset(word_list("van von der den de da di del la le du bin al y"))
_SEGMENT_EDGE = re.compile(r"[,;:()\[\]\"“”!?|]|\.(?=\s|$)")


def _name_run(text: str, start: int, end: int) -> bool:
    """Whether the word stands in a run of two to six capitalised words (and particles) that
    fills its clause: a name (``Andrew Foote``, ``Harald van Dijk``)."""
    edges = [m.end() for m in _SEGMENT_EDGE.finditer(text, max(0, start - 60), start)]
    following = _SEGMENT_EDGE.search(text, end, end + 60)
    first = edges[-1] if edges else max(0, start - 60)
    words = _WORD.findall(text, first, following.start() if following else end + 60)
    return 2 <= len(words) <= 6 and all(w[0].isupper() or w in _PARTICLES for w in words)


_NAME_HYPHEN = re.compile(r"(?<![\w'’])[A-Z][\w'’]*-$")
_HYPHEN_NAME = re.compile(r"-[A-Z]")


def _initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence (or the paragraph)."""
    return bool(_INITIAL.search(text, max(0, start - 12), start))


def _beside_capital(language: str, text: str, start: int, end: int) -> bool:
    """Next to another capitalised word (not ``I``, nor a common word that starts a sentence):
    part of a name such as ``Liang Wenfeng``."""
    previous = _PREVIOUS_CAPITAL.search(text, max(0, start - 40), start)
    if previous and not (
        _initial(text, previous.start(1)) and _common(language, previous.group(1).lower())
    ):
        return True  # Ana Rao, Andrei Oprea: not The Rao
    if _NAME_HYPHEN.search(text, max(0, start - 40), start) or _HYPHEN_NAME.match(text, end):
        return True  # Tunde-Ajayi, Michaels-Ober
    if _name_run(text, start, end):
        return True
    return bool(_NEXT_CAPITAL.match(text, end))


def _not_a_word(text: str, start: int, end: int, word: str, suspects: set[str]) -> bool:
    """A unit, a numeral, an elision or a handle, judged from the words around it."""
    key = word.lower()
    if _ROMAN.match(key):
        return True
    if len(word) <= _UNIT_LENGTH and _AFTER_NUMBER.search(text, max(0, start - 20), start):
        return True
    if text[end : end + 1] in "'’" and key in _ELIDED_BEFORE and end - start == len(word):
        return True
    if text[start - 1 : start] in "'’" and start > 0 and key in _ELIDED_AFTER:
        return True
    return _handle(text, start, end, suspects)


def _handle(text: str, start: int, end: int, suspects: set[str]) -> bool:
    """A word alone in brackets after a name or closing a roster's entry (``Ana Rao (anarao)``),
    or one of a list of single words, most of them unknown: a roster of handles
    (``thanks to alexc, kennytm, sgrif and Mark-Simulacrum``)."""
    before = _item_start(text, start)
    after = _item_end(text, end)
    alone = not text[before:start].strip() and not text[end:after].strip()
    if alone and text[before - 1 : before] == "(" and text[after : after + 1] == ")":
        name = text[max(0, before - 41) : before - 1].split()
        closing = text[after + 1 : after + 3].strip()[:1] in ("", ",", ";")
        if name and (name[-1][:1].isupper() or closing):
            return True  # Ana Rao (anarao), ravi (ravi-k),
    return _in_roster(text, start, end, suspects)


@lru_cache(maxsize=1)
def _item_edges(text: str) -> list[int]:
    """Where the characters that bound a list item stand, found once per text: a search from
    every word to the ends of a long paragraph was quadratic."""
    return [m.start() for m in _ITEM_EDGES.finditer(text)]


def _item_start(text: str, index: int) -> int:
    edges = _item_edges(text)
    k = bisect_left(edges, index)
    return edges[k - 1] + 1 if k else 0


def _item_end(text: str, index: int) -> int:
    edges = _item_edges(text)
    k = bisect_left(edges, index)
    return edges[k] if k < len(edges) else len(text)


_CLAUSE_EDGE = re.compile(r"[.!?:;()\[\]\n]")
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or|&)\s+)?|\s+(?:and|or|&)\s+")
_HANDLE_LIKE = re.compile(r"^[\w.\-]*(?:[a-z][A-Z]|\d|-)[\w.\-]*$")


def _in_roster(text: str, start: int, end: int, suspects: set[str]) -> bool:
    """Whether the word is an item of a list of single words, three or more of them (and most)
    unknown or shaped like handles, or capitalised like it (``Akamai, Shopify and Bitly``);
    the list's first item is its lead-in's last word."""
    edges = [m.end() for m in _CLAUSE_EDGE.finditer(text, max(0, start - 300), start)]
    first = edges[-1] if edges else max(0, start - 300)
    following = _CLAUSE_EDGE.search(text, end, end + 300)
    last = following.start() if following else min(len(text), end + 300)
    pieces = _LIST_SEPARATOR.split(text[first:last])
    if len(pieces) < 3:
        return False
    pieces[0] = (pieces[0].split() or [""])[-1]  # "thanks to alexc": alexc
    word = text[start:end]
    runs: list[list[str]] = [[]]
    for piece in pieces:
        item = piece.strip().strip(_EDGE)
        if item and len(item.split()) == 1:
            runs[-1].append(_without_possessive(item))
        else:
            runs.append([])
    for run in runs:
        if len(run) >= 3 and word in run:
            capital = word[:1].isupper()  # a capitalised word among capitalised ones: names
            names = sum(_name_like(i, suspects) or (capital and i[:1].isupper()) for i in run)
            return names >= 3 and 2 * names > len(run)
    return False


def _name_like(word: str, suspects: set[str]) -> bool:
    """A word that is unknown or shaped like a handle (``Mark-Simulacrum``, ``oli-obk``)."""
    return word in suspects or bool(_HANDLE_LIKE.match(word))


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
    named: bool  # a name, never reported: part of a run of capitalised words (Liang Wenfeng),
    # or capitalised and no near miss of a common word (Nithin)
    initial: bool  # the first word of a sentence or a word of a heading
    suggestions: tuple[str, ...]
    heading: str | None = None  # the text of the heading it is in, when that names its anchor
    anchor: str = ""  # that heading's anchor


def _names_its_link(links: tuple[Link, ...], starts: list[int], word: Word, key: str) -> bool:
    """A word in a link's text that its URL also holds names the page: [ChinaTalk](chinatalk...).

    ``starts`` are the links' start offsets (links come sorted): a bisection, not a scan of
    every link for every unknown word, which was quadratic on long posts."""
    i = bisect_right(starts, word.start) - 1
    if i >= 0 and word.end <= links[i].span.end:
        return key in links[i].url.lower()
    return False


# Sites whose first path part names a person or a project: github.com/estebank.
_PROFILE_URL = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|sr\.ht|"
    r"twitter\.com|x\.com|bsky\.app/profile|linkedin\.com/in|instagram\.com|medium\.com|"
    r"dev\.to|crates\.io/users|keybase\.io)/[@~]?([^/?#]+)",
    re.IGNORECASE,
)


def url_names(post: Post) -> set[str]:
    """The people and projects the post links to (``github.com/estebank`` makes ``estebank``
    a name in its prose, as a contributor list writes it)."""
    urls = [link.url for link in post.links] + [d.url for d in post.definitions]
    return {m.group(1).lower() for m in map(_PROFILE_URL.match, urls) if m}


@dataclass(frozen=True, slots=True)
class Collected:
    """What one post tells the site phase: its unknown words, and how often the post uses
    the first suggestion of each lower-case one (to tell a habitual typo from jargon)."""

    unknowns: list[Unknown]
    near: dict[str, int]
    fragments: frozenset[str] = frozenset()  # the #anchors the post's links point to


TYPO_RATIO = 10  # a near miss used 10 times less than its correction on the site is a typo


def _counts(post: Post, words: set[str]) -> dict[str, int]:
    if not words:
        return {}
    counts: Counter[str] = Counter()
    for paragraph in paragraphs(post):
        counts.update(token for token in paragraph.tokens if token in words)
    return {word: counts[word] for word in words}


def _habitual_typo(unknown: Unknown, uses: int, near_uses: Mapping[str, int]) -> bool:
    """A lower-case word one letter from a word the site uses far more often (teh, the).
    Two-letter words are left out: every one of them is a letter from a frequent word."""
    if unknown.proper or not unknown.suggestions or len(unknown.key) < 3:
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
    The dictionary is pyspellchecker's, plus the words real English text uses often (derived
    from wordfreq, less habitual misspellings) and Indian English (`crore`, `sabzi`, `kirana`).
    Code, URLs, e-mail addresses, @handles, file names, raw HTML and front matter are never
    read. Words with digits (`H800`, `5.6bn`), units after a number (`60 kmph`), Roman
    numerals (`(ii)`), acronyms (`GPUs`), names with inner capitals (`DeepSeek`), the post's
    authors and tags, the site's authors, preferred terms, the people its links name
    (`github.com/...`), handles in rosters and your own word lists are accepted. British and
    American spellings are both accepted by default.

    A capitalised word the dictionary does not know is a name, unless it is a near miss of a
    common word: one edit away keeping its first letter (`Milimetre`), or, where any word
    takes a capital (a sentence's start, a heading), two edits away or two frequent words run
    together (`Eventhough`). A name written more than once on the site, once at least in
    mid-sentence, is taken as meant. A word spelled the same way in at least
    `site-min-posts` posts is the site's own vocabulary and accepted, unless it is a
    lower-case word one letter from a word the site uses ten times more often: that is a
    habit (`teh`), not jargon.

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
    which word was meant. There is no fix for a word in a heading whose anchor a link on the
    site points to (`#instalation-notes`) when the correction would change that anchor: the
    links would break. Correct the word and the links together.
    """

    code = "SPL001"
    name = "spelling"
    summary = "A word the dictionary does not know"
    severity = "warning"
    languages = ("en",)
    fixable = True
    site_wide = True

    def judges(self, language: str | None, ctx: Context) -> bool:
        """Pages in the dictionary's language only (the `language` option, `en` by default)."""
        return speaks(language, (str(ctx.options["language"]),))

    def collect(self, post: Post, ctx: Context) -> Collected:
        language = str(ctx.options["language"])
        variant = str(ctx.options["variant"])
        known_names: set[str] | None = None
        starts = [link.span.start for link in post.links]
        headings = [h for h in post.headings if h.explicit_id is None]
        heading_starts = [h.text_span.start for h in headings]
        found = []
        for word in unknown_words(post, language, variant):
            key = _lookup_key(word.text)
            if known_names is None:
                known_names = post_names(post, ctx) | url_names(post)
            named = (
                word.name
                or key in known_names
                or _names_its_link(post.links, starts, word, key)
                or (word.capitalised and not near_common_word(language, variant, key, word.initial))
            )
            suggested = () if named else suggestions(language, variant, key)
            span = post.span(word.start, word.end)
            unknown = Unknown(
                word.text, span, key, word.capitalised, named, word.initial, suggested
            )
            k = bisect_right(heading_starts, word.start) - 1
            if suggested and k >= 0 and word.end <= headings[k].text_span.end:
                unknown = replace(unknown, heading=headings[k].text, anchor=headings[k].anchor)
            found.append(unknown)
        near = {u.suggestions[0] for u in found if u.suggestions and not u.proper}
        return Collected(found, _counts(post, near), _fragments(post))

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        collected: dict[str, Collected] = site.collected(self.name)
        allowed = custom_words(ctx)
        posts_using: Counter[str] = Counter()
        uses: Counter[str] = Counter()
        mid_sentence: Counter[str] = Counter()
        near_uses: Counter[str] = Counter()
        for facts in collected.values():
            posts_using.update({_spelled(u.word) for u in facts.unknowns})
            uses.update(_spelled(u.word) for u in facts.unknowns)
            mid_sentence.update(_spelled(u.word) for u in facts.unknowns if not u.initial)
            near_uses.update(facts.near)
        vocabulary = bool(ctx.options["site-vocabulary"])
        min_posts = int(ctx.options["site-min-posts"])
        linked = frozenset().union(*(facts.fragments for facts in collected.values()))
        for path, facts in collected.items():
            if not site.reports(path):
                continue
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
                if unknown.proper and uses[spelled] > 1 and mid_sentence[spelled]:
                    continue  # a name the site uses again, in mid-sentence
                yield path, self._finding(unknown, linked, ctx.site.anchors)

    def _finding(self, unknown: Unknown, linked: frozenset[str], style: str) -> Finding:
        cased = [_cased(s, unknown.word) for s in unknown.suggestions]
        if cased:
            quoted = ", ".join(f"“{s}”" for s in cased)
            message = f"“{unknown.word}” is not in the dictionary: did you mean {quoted}?"
            fix: Fix | None = Fix((Edit(unknown.span, cased[0]),), safe=False)
            if unknown.anchor in linked and _moves_anchor(unknown, cased[0], style):
                message += (
                    f" No fix is offered: links point to this heading's anchor "
                    f"`#{unknown.anchor}`, which the correction would change; correct the "
                    "word and those links together."
                )
                fix = None
        else:
            message = (
                f"“{unknown.word}” is not in the dictionary: correct it, or add it to `words` "
                "in `[spelling]` if it is right."
            )
            fix = None
        return self.finding(unknown.span, message, fix)


def _fragments(post: Post) -> frozenset[str]:
    """The anchors the post's links point to (``#intro``, ``/posts/a/#intro``), decoded."""
    urls = [link.url for link in post.links] + [d.url for d in post.definitions]
    return frozenset(unquote(url.partition("#")[2]) for url in urls if "#" in url)


def _moves_anchor(unknown: Unknown, correction: str, style: str) -> bool:
    """Whether correcting the word changes its heading's anchor (a correction of case alone
    does not where the generator lowercases anchors)."""
    if unknown.heading is None:
        return False
    corrected = re.sub(rf"(?<!\w){re.escape(unknown.word)}(?!\w)", correction, unknown.heading)
    return heading_anchors([corrected], style) != heading_anchors([unknown.heading], style)


def custom_words(ctx: Context) -> set[str]:
    """The configuration's accepted words: ``words`` and the ``dictionaries`` files."""
    words = {str(w) for w in ctx.options["words"]}
    root = ctx.config.root if ctx.config is not None else Path.cwd()
    for name in ctx.options["dictionaries"]:
        path = (root / str(name)).resolve()
        words |= _dictionary_file(str(path), str(name), _stamp(path))
    return words | {_lookup_key(w) for w in words}


def _stamp(path: Path) -> tuple[int, int]:
    """The file's size and time: an edited word list is read again (an editor's server lives
    through edits), an unchanged one is not."""
    try:
        found = path.stat()
    except OSError:
        return (-1, -1)
    return (found.st_size, found.st_mtime_ns)


@lru_cache(maxsize=64)
def _dictionary_file(path: str, name: str, stamp: tuple[int, int]) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
        raise DictionaryError(
            f"[spelling] dictionaries: cannot read `{name}` ({path}): {reason}"
        ) from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


def _language(value: str) -> str:
    from spellchecker import SpellChecker

    known = sorted(SpellChecker.languages())
    if value not in known:
        raise ValueError(f"there is no dictionary for `{value}` (there is: {', '.join(known)})")
    return value


def _options() -> Sequence[Option]:
    return (
        Option(
            "language",
            "en",
            "the dictionary's language (a pyspellchecker language code)",
            validate=_language,
        ),
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
            path=True,
        ),
        Option(
            "site-vocabulary",
            True,
            "accept a word spelled the same way in at least site-min-posts posts",
        ),
        Option(
            "site-min-posts", 3, "posts that must use a word for it to be the site's own", minimum=1
        ),
    )


FAMILY = Family(
    name="spelling",
    prefix="SPL",
    description="Spelling of the prose",
    rules=(Spelling,),
    options=tuple(_options()),
)
