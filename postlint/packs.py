"""Rule packs: house style as data.

A pack is a TOML file with a ``[pack]`` table and ``[[rule]]`` tables. Each pack becomes a
``Family`` whose rules are ``Rule`` subclasses built here, so selection, suppressions, ``postlint
rules`` and the configuration treat them exactly like built-in checks. The packs shipped with
postlint live in ``postlint/rules/*.toml``; a site adds its own with
``packs = ["style/house.toml"]``.

Loading is strict: an unknown key, a wrong type, a bad regular expression or a pattern that could
backtrack catastrophically is a ``ConfigError`` naming the file and the line. Matching reads prose
only: the post's text runs (never code, URLs, raw HTML or front matter keys), heading text, link
text, alt text, the title and the tags.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import hashlib
import importlib
import re
import string
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import regex
import tomli

from postlint import quotes
from postlint.config import ConfigError
from postlint.model import Edit, Finding, Fix, Post
from postlint.rule import Context, Example, Family, Rule
from postlint.site import smart_punctuation
from postlint.tomlkeys import key_offsets
from postlint.version import __version__

KINDS = (
    "existence",
    "substitution",
    "consistency",
    "occurrence",
    "capitalization",
    "repetition",
    "quotes",
)
SCOPES = ("prose", "title", "headings", "link-text", "alt", "tags")
SEVERITY_NAMES = ("error", "warning", "info")
CHUNK = 8192  # the most text one regular expression call sees
PATTERN_BUDGET = 1.0  # seconds one pattern may run on one post before it is stopped
# Packs are written in the syntax of ``re`` and run by the ``regex`` module, which can stop a
# match that takes too long (``re`` cannot be interrupted from within a thread).
Pattern = regex.Pattern[str]

PACK_KEYS: dict[str, Any] = {
    "name": str,
    "prefix": str,
    "description": str,
    "min-postlint": str,
    "default": bool,
    "language": str,
}
COMMON_KEYS: dict[str, Any] = {
    "code": str,
    "name": str,
    "kind": str,
    "severity": str,
    "summary": str,
    "description": str,
    "message": str,
    "scope": (str, list),
    "ignore-case": bool,
    "default": bool,
    "exceptions": list,
    "only-if": str,
    "unless-smart-punctuation": bool,
    "skip-quotations": bool,
    "example": list,
}
KIND_KEYS: dict[str, dict[str, Any]] = {
    "existence": {"words": list, "patterns": list},
    "substitution": {"swap": dict, "regex": bool, "safe": bool},
    "consistency": {"either": list, "regex": bool, "safe": bool},
    "occurrence": {"pattern": str, "max": int, "per": str},
    "capitalization": {"style": str, "safe": bool},
    "repetition": {"pattern": str, "safe": bool},
    "quotes": {"safe": bool},
}
EXAMPLE_KEYS = {"bad": str, "good": str}
PLACEHOLDERS = {
    "existence": {"match"},
    "substitution": {"match", "replacement"},
    "consistency": {"match", "replacement", "count", "other_count"},
    "occurrence": {"match", "count", "max"},
    "capitalization": {"match", "replacement", "style"},
    "repetition": {"match", "replacement"},
    "quotes": {"match", "replacement"},
}
DEFAULT_MESSAGES = {
    "existence": "Avoid `{match}`.",
    "substitution": "Use `{replacement}` instead of `{match}`.",
    "consistency": (
        "`{match}` and `{replacement}` are both used in this post: keep `{replacement}` "
        "(used {other_count} times)."
    ),
    "occurrence": "`{match}` is used {count} times here; the house style allows at most {max}.",
    "capitalization": "Write this in {style} case: `{replacement}`.",
    "repetition": "`{match}` repeats a word: write `{replacement}`.",
    "quotes": "Straight `{match}` in a post that mostly uses curly quotes: write `{replacement}`.",
}
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "so",
        "yet",
        "as",
        "at",
        "by",
        "in",
        "of",
        "on",
        "to",
        "up",
        "via",
        "vs",
        "per",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "than",
        "off",
        "out",
    ]
)
_TYPE_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    list: "a list",
    dict: "a table",
}


class PackError(ConfigError):
    """A pack that cannot be loaded: names the file, the line and what is wrong."""


# ---------------------------------------------------------------------------------------------
# Loading


def shipped_pack_files() -> list[Any]:
    """The packs installed with postlint (``postlint/rules/*.toml``), sorted by name."""
    folder = resources.files("postlint") / "rules"
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)


@functools.cache
def shipped_families() -> tuple[Family, ...]:
    return tuple(
        load_pack_text(p.read_text(encoding="utf-8"), f"postlint/rules/{p.name}")
        for p in shipped_pack_files()
    )


def read_pack_list(path: Path | None) -> tuple[str, ...]:
    """The ``packs`` key of a configuration file, read before the rest (packs are families)."""
    if path is None:
        return ()
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return ()  # load_config reports it properly
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("postlint", {})
    packs = data.get("packs", [])
    if isinstance(packs, str):
        packs = [packs]
    if not isinstance(packs, list):
        return ()
    return tuple(p for p in packs if isinstance(p, str))


def load_pack_files(
    paths: Sequence[str], root: Path, config_path: Path | None = None
) -> list[Family]:
    """The packs a configuration names, paths relative to ``root``."""
    families = []
    seen: set[Path] = set()
    for name in paths:
        path = (root / name).resolve()
        if path in seen:
            continue
        seen.add(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            where = f"{config_path}: " if config_path else ""
            raise PackError(f"{where}cannot read the rule pack `{name}` ({path}): {exc}") from None
        families.append(_load_cached(text, str(path)))
    return families


@functools.lru_cache(maxsize=64)
def _load_cached(text: str, where: str) -> Family:
    return load_pack_text(text, where)


def load_pack_text(text: str, where: str) -> Family:
    """Validate a pack's TOML text and build its family (``where`` names it in errors)."""
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise PackError(f"{where}: the rule pack is not valid TOML: {exc}") from None
    return _Builder(data, text, where).family()


class _Builder:
    def __init__(self, data: dict[str, Any], text: str, where: str) -> None:
        self.data = data
        self.text = text
        self.where = where
        self._offsets: dict[str, tuple[int, int]] | None = None
        self.example_index = 0
        self.digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    def at(self, dotted: str) -> str:
        if self._offsets is None:
            self._offsets = key_offsets(self.text)
        while dotted and dotted not in self._offsets:
            dotted = dotted.rpartition(".")[0]
        if not dotted:
            return self.where
        return f"{self.where}:{self.text.count(chr(10), 0, self._offsets[dotted][0]) + 1}"

    def fail(self, dotted: str, message: str) -> PackError:
        return PackError(f"{self.at(dotted)}: {message}")

    def keys(
        self, table: Mapping[str, Any], allowed: Mapping[str, Any], dotted: str, label: str
    ) -> None:
        for key, value in table.items():
            path = f"{dotted}.{key}"
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
                hint = (
                    f" (did you mean `{close[0]}`?)"
                    if close
                    else (f" ({label} takes: {', '.join(sorted(allowed))})")
                )
                raise self.fail(path, f"unknown key `{key}` in {label}{hint}.")
            kind = allowed[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                kinds = kind if isinstance(kind, tuple) else (kind,)
                expected = " or ".join(_TYPE_NAMES[k] for k in kinds)
                raise self.fail(path, f"`{key}` must be {expected} (got {value!r}).")

    def family(self) -> Family:
        unknown = [k for k in self.data if k not in ("pack", "rule")]
        if unknown:
            close = difflib.get_close_matches(unknown[0], ["pack", "rule"], n=1)
            hint = (
                f" (did you mean `{close[0]}`?)" if close else " (a pack has [pack] and [[rule]])"
            )
            raise self.fail(unknown[0], f"unknown key `{unknown[0]}`{hint}.")
        pack = self.data.get("pack")
        if not isinstance(pack, dict):
            raise PackError(f"{self.where}: a rule pack needs a [pack] table.")
        self.keys(pack, PACK_KEYS, "pack", "[pack]")
        for key in ("name", "prefix", "description"):
            if key not in pack:
                raise self.fail("pack", f"[pack] needs `{key}`.")
        name, prefix = pack["name"], pack["prefix"]
        if not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", name):
            raise self.fail("pack.name", f"the pack name `{name}` must be kebab-case.")
        if not re.fullmatch(r"[A-Z]{2,5}", prefix):
            raise self.fail("pack.prefix", f"the prefix `{prefix}` must be 2 to 5 capital letters.")
        needed = pack.get("min-postlint", "0")
        if _version(needed) > _version(__version__):
            raise self.fail(
                "pack.min-postlint",
                f"the pack `{name}` needs postlint {needed} or later (this is {__version__}).",
            )
        rules_data = self.data.get("rule", [])
        if not isinstance(rules_data, list) or not rules_data:
            raise PackError(f"{self.where}: the pack `{name}` has no [[rule]] tables.")
        rules: list[type[Rule]] = []
        seen: set[str] = set()
        for index, raw in enumerate(rules_data):
            rule = self.rule(raw, index, pack)
            for key in (rule.code, rule.name):
                if key in seen:
                    raise self.fail(f"rule[{index}]", f"`{key}` is used by two rules of this pack.")
                seen.add(key)
            rules.append(rule)
        return Family(name=name, prefix=prefix, description=pack["description"], rules=tuple(rules))

    def rule(self, raw: dict[str, Any], index: int, pack: Mapping[str, Any]) -> type[PackRule]:
        dotted = f"rule[{index}]"
        kind = raw.get("kind")
        if kind not in KINDS:
            raise self.fail(
                f"{dotted}.kind" if "kind" in raw else dotted,
                f"`kind` must be one of {', '.join(KINDS)} (got {kind!r}).",
            )
        allowed = {**COMMON_KEYS, **KIND_KEYS[kind]}
        self.keys(raw, allowed, dotted, f"{_article(kind)} {kind} [[rule]]")
        for key in ("code", "name", "severity"):
            if key not in raw:
                raise self.fail(dotted, f"this [[rule]] needs `{key}`.")
        code, name, severity = raw["code"], raw["name"], raw["severity"]
        if not re.fullmatch(re.escape(pack["prefix"]) + r"\d{3}", code):
            raise self.fail(
                f"{dotted}.code", f"`{code}` must be the prefix {pack['prefix']} and 3 digits."
            )
        if not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", name):
            raise self.fail(f"{dotted}.name", f"the rule name `{name}` must be kebab-case.")
        if severity not in SEVERITY_NAMES:
            raise self.fail(f"{dotted}.severity", "`severity` must be error, warning or info.")
        scope = raw.get("scope", "prose")
        scopes = (scope,) if isinstance(scope, str) else tuple(scope)
        for item in scopes:
            if item not in SCOPES:
                raise self.fail(
                    f"{dotted}.scope",
                    f"unknown scope {item!r}{_hint(str(item), SCOPES)} "
                    f"(scopes: {', '.join(SCOPES)}).",
                )
        if kind == "capitalization" and not set(scopes) <= {"title", "headings"}:
            raise self.fail(f"{dotted}.scope", "capitalization applies to `title` and `headings`.")
        if kind == "quotes" and scopes != ("prose",):
            raise self.fail(f"{dotted}.scope", "a quotes rule reads the prose only.")
        message = raw.get("message", DEFAULT_MESSAGES[kind])
        for _, placeholder, _, _ in string.Formatter().parse(message):
            if placeholder is not None and placeholder not in PLACEHOLDERS[kind]:
                raise self.fail(
                    f"{dotted}.message",
                    f"the message uses {{{placeholder}}}; {_article(kind)} {kind} rule offers "
                    + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS[kind]))
                    + ".",
                )
        # ^ and $ match at the start and end of each paragraph, heading, title or tag
        flags = re.MULTILINE | (re.IGNORECASE if raw.get("ignore-case", True) else 0)
        spec = _Spec(kind=kind, flags=flags, exceptions=self.exceptions(raw, dotted))
        getattr(self, f"kind_{kind}")(raw, dotted, spec)
        if "only-if" in raw:
            spec.only_if = self.compile(raw["only-if"], f"{dotted}.only-if", flags)
        spec.unless_smart = raw.get("unless-smart-punctuation", False)
        spec.skip_quotations = raw.get("skip-quotations", False)
        phrases = [x for x in raw.get("exceptions", []) if len(_norm(x).split()) > 1]
        if phrases:  # a match inside one of these phrases is not reported
            spec.exception_phrases = re.compile(
                "|".join(r"\s+".join(map(re.escape, _norm(x).split())) for x in phrases), re.I
            )
        examples = self.examples(raw, dotted)
        attrs: dict[str, Any] = {
            "code": code,
            "name": name,
            "summary": raw.get("summary") or spec.summary(),
            "severity": severity,
            "fixable": spec.fixable,
            "default": raw.get("default", pack.get("default", True)),
            "aliases": (pack["name"],),
            "languages": (pack["language"],) if "language" in pack else (),
            "digest": self.digest,
            "pack": pack["name"],
            "spec": spec,
            "scopes": scopes,
            "message": message,
            "pack_examples": examples,
            "__module__": __name__,
        }
        if attrs["summary"].endswith("."):
            raise self.fail(f"{dotted}.summary", "`summary` takes no final period.")
        cls = type(_class_name(name), (PackRule,), attrs)
        cls.__doc__ = _docstring(cls, raw, pack)
        return cls

    def exceptions(self, raw: Mapping[str, Any], dotted: str) -> frozenset[str]:
        items = raw.get("exceptions", [])
        self.strings(items, f"{dotted}.exceptions")
        return frozenset(_norm(x) for x in items)

    def strings(self, items: Any, dotted: str, min_items: int = 0) -> list[str]:
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise self.fail(dotted, f"`{dotted.rpartition('.')[2]}` must be a list of strings.")
        if len(items) < min_items:
            raise self.fail(dotted, f"`{dotted.rpartition('.')[2]}` needs {min_items} entries.")
        return items

    def examples(self, raw: Mapping[str, Any], dotted: str) -> tuple[tuple[str, str], ...]:
        items = raw.get("example", [])
        if not items:
            raise self.fail(
                dotted, "each [[rule]] needs at least one [[rule.example]] with bad and good."
            )
        out = []
        for item in items:
            where = f"rule.example[{self.example_index}]"
            self.example_index += 1
            if not isinstance(item, dict):
                raise self.fail(where, "[[rule.example]] must be a table.")
            self.keys(item, EXAMPLE_KEYS, where, "[[rule.example]]")
            if "bad" not in item or "good" not in item:
                raise self.fail(where, "[[rule.example]] needs both `bad` and `good`.")
            out.append((item["bad"], item["good"]))
        return tuple(out)

    def compile(self, pattern: str, dotted: str, flags: int) -> Pattern:
        """A pattern in the syntax of ``re``, vetted for backtracking, compiled by ``regex``."""
        try:
            re.compile(pattern, flags)
            compiled = regex.compile(pattern, flags | regex.VERSION0)
        except (re.error, regex.error) as exc:
            raise self.fail(
                dotted, f"the regular expression {pattern!r} does not compile: {exc}."
            ) from None
        except RecursionError:
            raise self.fail(
                dotted, f"the regular expression {pattern!r} nests its groups too deeply."
            ) from None
        problem = backtracking_risk(pattern, flags)
        if problem:
            raise self.fail(
                dotted,
                f"the regular expression {pattern!r} could take exponential time ({problem}); "
                "rewrite it without a repeated group that can match the same text in several ways.",
            )
        return compiled

    def alternation(self, phrases: Iterable[str], dotted: str, spec: _Spec) -> Pattern:
        """One pattern for literal phrases, whole words only (validated here, used as a key):
        at match time only the phrases whose every word occurs in the text are searched for."""
        ordered = tuple(sorted(set(phrases), key=len, reverse=True))
        pattern = self.compile(_phrases_source(ordered), dotted, spec.flags)
        spec.gates[pattern] = (
            ordered,
            tuple(frozenset(_LETTERS.findall(p.lower())) for p in ordered),
        )
        return pattern

    # -- the kinds -------------------------------------------------------------------------

    def kind_existence(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        if "words" not in raw and "patterns" not in raw:
            raise self.fail(dotted, "an existence rule needs `words` or `patterns`.")
        if "words" in raw:
            words = self.strings(raw["words"], f"{dotted}.words", 1)
            spec.patterns.append(self.alternation(words, f"{dotted}.words", spec))
            spec.listing = words
        for i, pattern in enumerate(self.strings(raw.get("patterns", []), f"{dotted}.patterns")):
            spec.patterns.append(self.compile(pattern, f"{dotted}.patterns[{i}]", spec.flags))
            spec.listing.append(pattern)

    def kind_substitution(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        swap = raw.get("swap")
        if not swap:
            raise self.fail(dotted, 'a substitution rule needs `swap = { wrong = "right" }`.')
        for key, value in swap.items():
            if not isinstance(value, str):
                raise self.fail(
                    f"{dotted}.swap.{key}", f"the replacement for `{key}` must be a string."
                )
        spec.regex = raw.get("regex", False)
        spec.safe = raw.get("safe", False)
        spec.fixable = True
        if spec.regex:
            for key, value in swap.items():
                spec.swaps.append((self.compile(key, f"{dotted}.swap.{key}", spec.flags), value))
        else:
            spec.patterns.append(self.alternation(swap, f"{dotted}.swap", spec))
            spec.table = {_norm(k): v for k, v in swap.items()}
        spec.listing = [f"{k} → {v}" for k, v in swap.items()]

    def kind_consistency(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        if "either" not in raw:
            raise self.fail(dotted, 'a consistency rule needs `either = ["one", "other"]`.')
        either = self.strings(raw["either"], f"{dotted}.either", 2)
        spec.regex = raw.get("regex", False)
        spec.safe = raw.get("safe", False)
        spec.fixable = not spec.regex
        for i, item in enumerate(either):
            where = f"{dotted}.either[{i}]"
            spec.patterns.append(
                self.compile(item, where, spec.flags)
                if spec.regex
                else self.alternation([item], where, spec)
            )
        spec.listing = either

    def kind_occurrence(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        for key in ("pattern", "max"):
            if key not in raw:
                raise self.fail(dotted, f"an occurrence rule needs `{key}`.")
        if raw["max"] < 0:
            raise self.fail(f"{dotted}.max", "`max` must be 0 or more.")
        per = raw.get("per", "post")
        if per not in ("post", "paragraph"):
            raise self.fail(f"{dotted}.per", f'`per` must be "post" or "paragraph" (got {per!r}).')
        spec.patterns.append(self.compile(raw["pattern"], f"{dotted}.pattern", spec.flags))
        spec.max, spec.per = raw["max"], per
        spec.listing = [raw["pattern"]]

    def kind_capitalization(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        style = raw.get("style")
        if style not in ("sentence", "title"):
            raise self.fail(
                f"{dotted}.style" if "style" in raw else dotted,
                'a capitalization rule needs `style = "sentence"` or `style = "title"`.',
            )
        spec.style = style
        spec.safe = raw.get("safe", False)
        spec.fixable = style == "title"

    def kind_quotes(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        spec.safe = raw.get("safe", False)
        spec.fixable = True

    def kind_repetition(self, raw: Mapping[str, Any], dotted: str, spec: _Spec) -> None:
        token = raw.get("pattern", r"[^\W\d_]+")
        self.compile(token, f"{dotted}.pattern", spec.flags)
        if re.search(r"\\\d|\(\?P=", token):
            raise self.fail(f"{dotted}.pattern", "the token pattern cannot use backreferences.")
        # the token was vetted above; one repeat per match (a fix round takes the next)
        lead = r"\b" if token == r"[^\W\d_]+" else r"(?<!\w)"
        spec.patterns.append(
            regex.compile(
                rf"{lead}(?P<tok>{token})(?P<rep>[ \t]+(?P=tok))(?!\w)", spec.flags | regex.V0
            )
        )
        spec.safe = raw.get("safe", False)
        spec.fixable = True
        spec.listing = [token]


def _literal(phrase: str) -> str:
    words = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in phrase.split()]
    return r"\s+".join(words) + (r"(?![\w-])" if re.search(r"\w$", phrase) else "")


def _phrases_source(phrases: Sequence[str]) -> str:
    """Literal phrases as one alternation; whole words: the word before is checked after the
    match (a leading look-behind would stop the engine from skipping ahead)."""
    return "|".join(_literal(p) for p in phrases)


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrases: tuple[str, ...], flags: int) -> Pattern:
    return regex.compile(_phrases_source(phrases), flags)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _hint(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _class_name(name: str) -> str:
    return "Pack" + "".join(part.capitalize() for part in name.split("-"))


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


# ---------------------------------------------------------------------------------------------
# Regular expressions that could backtrack for ever

# A character set: sample characters, or None for "any character" (what cannot be told).
_Chars = frozenset[str] | None


def backtracking_risk(pattern: str, flags: int = 0) -> str:
    """Why ``pattern`` could take exponential time, or "" when it cannot (by its structure).

    Rejected: a group repeated more than once (``+``, ``*``, ``{2,}``, ``{20}``) in which text
    can be shared out between the repeats in several ways: a variable repeat inside it that can
    also match what follows it, the group's next round included (``(a+)+``, ``(.*a){20}``,
    ``(a{1,10}){1,10}``, ``(\\w+\\s?)+``), or alternatives that can start alike (``(a|aa)+``,
    ``(a|b|ab)*``). Characters are judged on a sample, so an unusual overlap can pass: a run
    also stops each pattern after ``PATTERN_BUDGET`` seconds a post.
    """
    parse = importlib.import_module("re._parser").parse
    try:
        try:
            tree = parse(_alternatives_kept(pattern), flags & _RE_FLAGS)
        except re.error:  # the marks went astray (comments of a verbose pattern): as written
            tree = parse(pattern, flags & _RE_FLAGS)
        return _Ambiguity(bool(flags & re.IGNORECASE)).walk(list(tree), frozenset(), False)
    except RecursionError:
        return "it nests too deeply to be checked"


_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII | re.UNICODE


def _alternatives_kept(pattern: str) -> str:
    """``pattern`` with an empty look-ahead closing each alternative, so that its parse keeps
    ``(?:x|\\w)`` as two alternatives: ``re`` merges them into one set, but the ``regex``
    module that runs packs tries both, and backtracks over both."""
    tokens = importlib.import_module("re._parser").Tokenizer(pattern)
    out: list[str] = []
    bars: list[list[int]] = [[]]  # for each open group, where its alternatives end in ``out``
    while tokens.next is not None:
        token = tokens.get()
        if token == "[":  # a set, copied through its closing bracket
            out.append(token)
            for lead in ("^", "]"):
                if tokens.next == lead:
                    out.append(tokens.get())
            while tokens.next not in (None, "]"):
                out.append(tokens.get())
            token = tokens.get() or ""
        elif token == "(":
            bars.append([])
        elif token == "|":
            bars[-1].append(len(out))
        elif token == ")" and len(bars) > 1 and bars.pop():
            out.append("(?=)")
        out.append(token)
        if token == "|":
            out[-1] = "(?=)|"
    if bars[0]:
        out.append("(?=)")
    return "".join(out)


class _Ambiguity:
    """The walk of ``backtracking_risk`` over the parse tree of ``re`` (``re._parser``)."""

    def __init__(self, ignore_case: bool) -> None:
        self.c = _sre_constants()
        self.ignore_case = ignore_case

    def walk(self, items: list[Any], follow: _Chars, looped: bool) -> str:
        """The first problem in ``items``; ``follow`` can come after them, ``looped`` says
        whether they sit in a group repeated more than once."""
        c = self.c
        for i, (op, av) in enumerate(items):
            if op in (c.POSSESSIVE_REPEAT, c.ATOMIC_GROUP):
                continue  # cannot be backtracked into
            if op in (c.ASSERT, c.ASSERT_NOT):
                found = self.walk(list(av[1]), frozenset(), False)  # look-arounds are atomic
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.SUBPATTERN, c.BRANCH, c.GROUPREF_EXISTS):
                found = self.nested(op, av, self.first(items[i + 1 :], follow), looped)
            else:
                found = ""
            if found:
                return found
        return ""

    def nested(self, op: Any, av: Any, after: _Chars, looped: bool) -> str:
        """The problem in a group, a repeat or alternatives, which ``after`` can follow."""
        c = self.c
        if op == c.SUBPATTERN:
            return self.walk(list(av[3]), after, looped)
        if op == c.GROUPREF_EXISTS:
            return next(
                (f for b in av[1:] if b is not None and (f := self.walk(list(b), after, looped))),
                "",
            )
        if op == c.BRANCH:
            alternatives = [list(b) for b in av[1]]
            if looped:
                firsts = [self.first(b, after) for b in alternatives]
                if any(_meet(a, b) for n, a in enumerate(firsts) for b in firsts[n + 1 :]):
                    return "a repeated group has alternatives that can match the same text"
            return next((f for b in alternatives if (f := self.walk(b, after, looped))), "")
        low, high, body = av[0], av[1], list(av[2])
        starts = self.first(body, frozenset())
        if looped and low != high and _meet(starts, after):
            return "a repeated group holds a repeat that can also match what follows it"
        if high <= 1:
            return self.walk(body, after, looped)
        return self.walk(body, _union(starts, after), True)

    def first(self, items: list[Any], follow: _Chars) -> _Chars:
        """The characters ``items`` can start with, followed by ``follow``."""
        chars: _Chars = frozenset()
        for op, av in items:
            start, empty = self.start(op, av)
            chars = _union(chars, start)
            if not empty:
                return chars
        return _union(chars, follow)

    def start(self, op: Any, av: Any) -> tuple[_Chars, bool]:
        """What one item can start with, and whether it can match the empty string."""
        c = self.c
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            return _sample_chars(op, tuple(av) if op == c.IN else av, self.ignore_case), False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return frozenset(), True
        if op == c.SUBPATTERN:
            return self.sequence(list(av[3]))
        if op == c.ATOMIC_GROUP:
            return self.sequence(list(av))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            chars, empty = self.sequence(list(av[2]))
            return chars, empty or av[0] == 0
        if op == c.BRANCH:
            found = [self.sequence(list(b)) for b in av[1]]
            union: _Chars = frozenset()
            for chars, _ in found:
                union = _union(union, chars)
            return union, any(empty for _, empty in found)
        return None, True  # back-references and the rest: anything, maybe nothing

    def sequence(self, items: list[Any]) -> tuple[_Chars, bool]:
        chars: _Chars = frozenset()
        for op, av in items:
            start, empty = self.start(op, av)
            chars = _union(chars, start)
            if not empty:
                return chars, False
        return chars, True


@functools.cache
def _sample_chars(op: Any, av: Any, ignore_case: bool) -> frozenset[str]:
    """The sample characters one character item (a literal, a set, ``.``) accepts."""
    return frozenset(ch for ch in _SAMPLE if _accepts(op, av, ch, ignore_case))


def _accepts(op: Any, av: Any, ch: str, ignore_case: bool) -> bool:
    c = _sre_constants()
    # a character's other case, when it is one character ("ß".upper() is "SS")
    variants = {v for v in (ch, ch.lower(), ch.upper()) if len(v) == 1} if ignore_case else {ch}
    if op == c.LITERAL:
        return any(ord(v) == av for v in variants)
    if op == c.NOT_LITERAL:
        return all(ord(v) != av for v in variants)
    if op == c.ANY:
        return ch != "\n"
    negate = hit = False
    for item_op, item_av in av:
        if item_op == c.NEGATE:
            negate = True
        elif item_op == c.LITERAL:
            hit |= any(ord(v) == item_av for v in variants)
        elif item_op == c.RANGE:
            hit |= any(item_av[0] <= ord(v) <= item_av[1] for v in variants)
        elif item_op == c.CATEGORY:
            hit |= _category(item_av, ch)
        else:
            hit = True  # unknown to this walk: assume it can
    return hit != negate


def _union(a: _Chars, b: _Chars) -> _Chars:
    return None if a is None or b is None else a | b


def _meet(a: _Chars, b: _Chars) -> bool:
    """Whether two character sets share a character (None is any character)."""
    if a is None:
        return b is None or bool(b)
    return bool(a) if b is None else bool(a & b)


@functools.cache
def required_literal(pattern: Pattern) -> str:
    """The longest text every match must contain (lowercased under IGNORECASE), or "": the
    pattern is not run on text without it. Only literals at the top level of the pattern count."""
    c = _sre_constants()
    best = run = ""
    parsed = importlib.import_module("re._parser").parse(pattern.pattern, pattern.flags & _RE_FLAGS)
    for op, av in parsed:
        if op == c.LITERAL:
            run += chr(av)
            if len(run) > len(best):
                best = run
        elif op not in (c.AT,):
            run = ""
    return best.lower() if pattern.flags & re.IGNORECASE else best


def _sre_constants() -> Any:
    """The regular expression parser's opcodes (a private module of ``re``, stable since 3.11)."""
    return importlib.import_module("re._constants")


# Sample characters: ASCII, spaces, letters and digits of other scripts, a combining mark.
_SAMPLE = (
    string.ascii_letters
    + string.digits
    + string.punctuation
    + " \t\n\r\x0b\x0c\x00\x7f\xa0éßſ\u212aЖ’“”—…\u00ad\u0301\u2028\u3000中ك٣க😀"
)


def _category(category: Any, ch: str) -> bool:
    name = str(category).upper()
    positive = "NOT" not in name
    if "DIGIT" in name:
        result = ch.isdigit()
    elif "SPACE" in name:
        result = ch.isspace()
    elif "WORD" in name:
        result = ch.isalnum() or ch == "_"
    else:
        result = True
    return result if positive else not result


# ---------------------------------------------------------------------------------------------
# What a pack rule reads: prose in scopes, with offsets back into the file


@dataclass
class _Piece:
    text_start: int
    text_len: int
    file_start: int
    file_len: int
    group: int  # paragraph (leaf block) or front matter value index
    kind: str  # "text" (character for character), "gap" (one space for a line break between
    # runs of a paragraph) or "opaque" (a front matter value written with escapes)


def _quotations(post: Post) -> list[tuple[int, int]]:
    """File spans of quoted words: block quotes, and text between a pair of quotation marks."""
    spans: list[tuple[int, int]] = []
    stack = list(post.blocks)
    while stack:
        block = stack.pop()
        if block.kind == "block_quote":
            spans.append((block.span.start, block.span.end))
        else:
            stack.extend(block.children)
    for found in quotes.quotes(post):
        for opening, closing in found.pairs:
            if opening.double and opening.offset >= 0 and closing.offset >= 0:
                spans.append((opening.offset, closing.offset + 1))
    return spans


class ScopeText:
    """The prose of some scopes joined into one string, with a map back to file offsets.

    Runs of one paragraph separated only by a line break (and block quote or list indentation)
    are joined with one space, so a phrase wrapped over two lines is still found; other runs
    are separated by ``"\\n\\0\\n"``, which no prose pattern crosses.
    """

    SEPARATOR = "\n\0\n"

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[_Piece] = []
        self.length = 0
        self._starts: list[int] = []
        self.text = ""
        self.masked: list[tuple[int, int]] = []
        self.post: Post | None = None  # the post the text comes from

    def add(
        self,
        text: str,
        file_start: int,
        group: int,
        joined: bool = False,
        gap: int = 0,
        opaque_len: int | None = None,
    ) -> None:
        if self.pieces and joined:
            self.pieces.append(_Piece(self.length, 1, file_start - gap, gap, group, "gap"))
            self.parts.append(" ")
            self.length += 1
        elif self.pieces:
            self.parts.append(self.SEPARATOR)
            self.length += len(self.SEPARATOR)
        if opaque_len is None:
            piece = _Piece(self.length, len(text), file_start, len(text), group, "text")
        else:
            piece = _Piece(self.length, len(text), file_start, opaque_len, group, "opaque")
        self.pieces.append(piece)
        self.parts.append(text)
        self.length += len(text)

    def finish(self) -> ScopeText:
        self.text = "".join(self.parts)
        self._starts = [p.text_start for p in self.pieces]
        self.masked = [m.span() for m in _URL.finditer(self.text)]
        if "@" in self.text:
            self.masked.extend(m.span() for m in _EMAIL.finditer(self.text))
        if "{" in self.text:  # Zola and Hugo shortcodes are markup, not prose
            self.masked.extend(m.span() for m in _SHORTCODE.finditer(self.text))
        return self

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def piece_at(self, offset: int) -> tuple[int, int]:
        """The file span of the text piece at ``offset`` (or the next one, on a separator)."""
        i = self.index(offset)
        piece = self.pieces[i]
        if offset >= piece.text_start + piece.text_len and i + 1 < len(self.pieces):
            piece = self.pieces[i + 1]
        return piece.file_start, piece.file_start + piece.file_len

    def to_file(self, start: int, end: int) -> tuple[int, int, bool, int]:
        """File offsets of text[start:end], whether an edit may replace them, and the group.

        A match inside a front matter value written with escapes maps to the whole value and
        cannot be edited; a match over a line break between runs covers the break."""
        i, j = self.index(start), self.index(max(start, end - 1))
        first, last = self.pieces[i], self.pieces[j]
        if any(p.kind == "opaque" for p in self.pieces[i : j + 1]):
            return first.file_start, first.file_start + first.file_len, False, first.group
        a = first.file_start + (start - first.text_start if first.kind == "text" else 0)
        b = last.file_start + (end - last.text_start if last.kind == "text" else last.file_len)
        return a, b, True, first.group

    @functools.cached_property
    def lower(self) -> str:
        return self.text.lower()

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """Every run of letters in the text, lowercased (the gate of literal phrase lists)."""
        return frozenset(_LETTERS.findall(self.text.lower()))

    def is_masked(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.masked)

    def chunks(self) -> Iterator[tuple[int, int]]:
        """Windows of at most CHUNK characters, cut at separators (or, failing that, spaces)."""
        text, n, pos = self.text, self.length, 0
        while pos < n:
            end = min(n, pos + CHUNK)
            if end < n:
                cut = text.rfind(self.SEPARATOR, pos, end)
                if cut <= pos:
                    cut = text.rfind(" ", pos, end)
                end = cut if cut > pos else end
            yield pos, end
            pos = end


_URL = re.compile(r"(?:https?://|www\.)[^\s\0]+")
_SHORTCODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_SOFT_GAP = re.compile(r"[ \t]*\r?\n[ \t>]*")


class _ScopeCache:
    """The scope texts of the last post seen: every pack rule reads the same post in turn."""

    post: ClassVar[Post | None] = None
    texts: ClassVar[dict[tuple[str, ...], ScopeText]] = {}


def scope_text(post: Post, scopes: tuple[str, ...]) -> ScopeText:
    if _ScopeCache.post is not post:
        _ScopeCache.post = post
        _ScopeCache.texts = {}
    found = _ScopeCache.texts.get(scopes)
    if found is None:
        found = _ScopeCache.texts[scopes] = _build_scope(post, scopes)
    return found


def _build_scope(post: Post, scopes: tuple[str, ...]) -> ScopeText:
    out = ScopeText()
    out.post = post
    wanted = set(scopes)
    if wanted & {"prose", "headings", "link-text", "alt"}:
        alts = sorted((i.alt_span.start, i.alt_span.end) for i in post.images if i.alt_span)
        links = (
            sorted(
                (link.span.start, link.span.end)
                for link in post.links
                if link.kind in ("inline", "reference")
            )
            if "link-text" in wanted
            else []
        )
        heads = (
            sorted((h.text_span.start, h.text_span.end) for h in post.headings)
            if "headings" in wanted
            else []
        )
        prose = "prose" in wanted
        previous = None
        for run in post.runs:
            start = run.span.start
            in_alt = bool(alts) and _inside(alts, start)
            take = (prose and not in_alt) or (in_alt and "alt" in wanted)
            if not take and links and not in_alt:
                take = _inside(links, start)
            if not take and heads:
                take = _inside(heads, start)
            if not take:
                previous = None
                continue
            joined = False
            gap = 0
            if previous is not None and previous.block == run.block:
                between = post.text[previous.span.end : start]
                joined = bool(_SOFT_GAP.fullmatch(between))
                gap = len(between)
            out.add(run.text, start, run.block, joined, gap)
            previous = run
    fm = post.front_matter
    if fm is not None and fm.error is None:
        values: list[str] = []
        if "title" in wanted and isinstance(fm.data.get("title"), str):
            values.append("title")
        if "tags" in wanted:
            values.extend(k for k in fm.keys if re.fullmatch(r"(?:taxonomies\.)?tags\[\d+\]", k))
        for group, key in enumerate(values, start=1_000_000):
            _add_value(out, post, key, group)
    return out.finish()


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(spans, (offset, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _add_value(out: ScopeText, post: Post, key: str, group: int) -> None:
    """A front matter string value: exact offsets when written without escapes."""
    fm = post.front_matter
    assert fm is not None
    span = fm.keys[key]
    value = _lookup(fm.data, key)
    if not isinstance(value, str) or not value:
        return
    if key.endswith("]"):
        literal_start, literal_end = span.start, span.end
    else:
        m = re.compile(r"[ \t]*[=:][ \t]*").match(post.text, span.end)
        if not m:
            return
        literal_start = m.end()
        line_end = post.text.find("\n", literal_start)
        literal_end = len(post.text) if line_end < 0 else line_end
    raw = post.text[literal_start:literal_end].rstrip("\r")
    index = raw.find(value)
    if index >= 0 and (index == 0 or raw[index - 1] in "\"' "):
        out.add(value, literal_start + index, group)
    else:  # escapes or a multi-line value: findings point at the whole value, without a fix
        out.add(value, literal_start, group, opaque_len=len(raw.rstrip()))


def _lookup(data: Mapping[str, Any], key: str) -> Any:
    value: Any = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if part.startswith("["):
            index = int(part[1:-1])
            value = value[index] if isinstance(value, list) and index < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
    return value


# ---------------------------------------------------------------------------------------------
# The rules


@dataclass
class _Spec:
    """A rule's compiled matching data."""

    kind: str
    flags: int
    exceptions: frozenset[str]
    patterns: list[Pattern] = field(default_factory=list)
    swaps: list[tuple[Pattern, str]] = field(default_factory=list)
    # literal phrase patterns -> (their phrases, each phrase's words)
    gates: dict[Pattern, tuple[tuple[str, ...], tuple[frozenset[str], ...]]] = field(
        default_factory=dict
    )
    table: dict[str, str] = field(default_factory=dict)  # literal swaps, normalized keys
    listing: list[str] = field(default_factory=list)  # what the documentation lists
    regex: bool = False
    safe: bool = False
    fixable: bool = False
    only_if: Pattern | None = None
    unless_smart: bool = False
    skip_quotations: bool = False
    exception_phrases: re.Pattern[str] | None = None
    max: int = 0
    per: str = "post"
    style: str = ""

    def summary(self) -> str:
        items = self.listing
        shown = ", ".join(f"`{i}`" for i in items[:3]) + (
            f" and {len(items) - 3} more" if len(items) > 3 else ""
        )
        return {
            "existence": f"Avoid {shown}",
            "substitution": f"Replace {shown}",
            "consistency": f"Use one of {shown} in a post, not several",
            "occurrence": f"At most {self.max} matches of {shown} per {self.per}",
            "capitalization": f"Write titles and headings in {self.style} case",
            "repetition": "A word repeated back to back",
            "quotes": "Straight quotes in a post that mostly uses curly ones",
        }[self.kind]


@dataclass(frozen=True)
class _Match:
    start: int  # file offsets
    end: int
    text: str
    exact: bool  # an edit may replace it (False inside a front matter value with escapes)
    group: int


class PackRule(Rule):
    """A rule defined by a pack (the subclasses carry the data; see ``_docstring``)."""

    pack: ClassVar[str]
    spec: ClassVar[_Spec]
    scopes: ClassVar[tuple[str, ...]]
    message: ClassVar[str]
    pack_examples: ClassVar[tuple[tuple[str, str], ...]]
    stopped: _Stopped | None = None  # the pattern that ran out of time on the current post

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        spec = self.spec
        if spec.unless_smart and smart_punctuation(ctx.site):
            return
        text = scope_text(post, self.scopes)
        if not text.text:
            return
        self.stopped = None
        if spec.only_if is not None:
            witness = scope_text(post, ("prose",))  # headings and link text included
            try:
                if not spec.only_if.search(witness.text, timeout=PATTERN_BUDGET):
                    return
            except TimeoutError:
                yield self._stopped(post, _Stopped(_shown(spec.only_if), witness, 0))
                return
        if spec.kind == "quotes":
            yield from self._quotes(post, ctx.site.anchors)
        else:
            yield from getattr(self, f"_{spec.kind}")(post, text)
        if self.stopped is not None:
            yield self._stopped(post, self.stopped)

    # -- helpers ---------------------------------------------------------------------------

    def _matches(self, text: ScopeText, pattern: Pattern) -> Iterator[tuple[Match, _Match]]:
        """The matches of ``pattern`` in ``text`` found within ``PATTERN_BUDGET`` seconds; a
        pattern that runs out of time is noted in ``stopped`` (``check`` reports it)."""
        gate = self.spec.gates.get(pattern)
        shown = "its word list" if gate is not None else _shown(pattern)
        if gate is not None:
            present = text.words
            wanted = tuple(p for p, words in zip(*gate, strict=True) if words <= present)
            if not wanted:
                return
            pattern = _phrase_pattern(wanted, pattern.flags)
        else:
            needed = required_literal(pattern)
            if needed and needed not in (
                text.lower if pattern.flags & re.IGNORECASE else text.text
            ):
                return
        whole = text.text
        quoted = _quotations(text.post) if self.spec.skip_quotations and text.post else []
        deadline = time.perf_counter() + PATTERN_BUDGET
        for a, b in text.chunks():
            found, stop = _finditer(pattern, whole, a, b, deadline)
            for m in found:
                i = m.start()
                if m.end() == i or "\0" in m.group() or text.is_masked(i, m.end()):
                    continue
                if gate is not None and i and whole[i].isalnum():
                    before = whole[i - 1]
                    if before == "-" or before.isalnum() or before == "_":
                        continue
                if _norm(m.group()) in self.spec.exceptions or self._in_phrase(whole, i, m.end()):
                    continue
                start, end, exact, group = text.to_file(m.start(), m.end())
                if quoted and any(a <= start < b for a, b in quoted):
                    continue  # someone else's words
                yield m, _Match(start, end, m.group(), exact, group)
            if stop is not None:
                self.stopped = self.stopped or _Stopped(shown, text, stop)
                return

    def _in_phrase(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` lies inside an exception phrase (`self sufficient`)."""
        phrases = self.spec.exception_phrases
        if phrases is None:
            return False
        window = max(0, start - 60)
        return any(
            window + m.start() <= start and end <= window + m.end()
            for m in phrases.finditer(text[window : end + 60])
        )

    def _say(
        self,
        post: Post,
        match: _Match,
        fix: str | None = None,
        replacement: str = "",
        **values: Any,
    ) -> Finding:
        shown = replacement or (fix if fix is not None else "")
        fields = {"match": " ".join(match.text.split()), "replacement": shown, **values}
        message = self.message.format(**fields)
        span = post.span(match.start, match.end)
        edit = None
        if fix is not None and match.exact:
            edit = Fix((post.edit(match.start, match.end, fix),), safe=self.spec.safe)
        return self.finding(span, message, edit)

    def _stopped(self, post: Post, stopped: _Stopped) -> Finding:
        """The finding that says a pattern ran out of time, at the text it was reading."""
        start, end = stopped.text.piece_at(stopped.offset)
        return self.finding(
            post.span(start, end),
            f"Stopped after {PATTERN_BUDGET:g} s: {stopped.pattern} takes too long on this "
            f"post, so `{self.name}` may have missed problems here; simplify the pattern in the "
            f"`{self.pack}` rule pack.",
        )

    # -- the kinds -------------------------------------------------------------------------

    def _existence(self, post: Post, text: ScopeText) -> Iterator[Finding]:
        found = [mm for p in self.spec.patterns for _, mm in self._matches(text, p)]
        for match in sorted(found, key=lambda m: m.start):
            yield self._say(post, match)

    def _substitution(self, post: Post, text: ScopeText) -> Iterator[Finding]:
        spec = self.spec
        found: list[tuple[_Match, str]] = []
        for pattern in spec.patterns:
            for _, match in self._matches(text, pattern):
                replacement = spec.table.get(_norm(match.text))
                if replacement is not None:
                    found.append((match, keep_case(match.text, replacement)))
        for pattern, template in spec.swaps:
            for m, match in self._matches(text, pattern):
                found.append((match, keep_case(match.text, m.expand(template))))
        taken = -1
        for match, replacement in sorted(found, key=lambda f: (f[0].start, -f[0].end)):
            if match.start < taken:
                continue
            taken = match.end
            yield self._say(post, match, replacement)

    def _consistency(self, post: Post, text: ScopeText) -> Iterator[Finding]:
        spec = self.spec
        used: list[list[_Match]] = [[m for _, m in self._matches(text, p)] for p in spec.patterns]
        if sum(1 for u in used if u) < 2:
            return
        order = sorted(
            (i for i in range(len(used)) if used[i]),
            key=lambda i: (-len(used[i]), used[i][0].start),
        )
        keep = order[0]
        kept = spec.listing[keep]
        for i in order[1:]:
            for match in used[i]:
                fix = keep_case(match.text, kept) if spec.fixable else None
                yield self._say(
                    post, match, fix, kept, other_count=len(used[keep]), count=len(used[i])
                )

    def _occurrence(self, post: Post, text: ScopeText) -> Iterator[Finding]:
        spec = self.spec
        groups: dict[int, list[_Match]] = {}
        for _, match in self._matches(text, spec.patterns[0]):
            key = match.group if spec.per == "paragraph" else 0
            groups.setdefault(key, []).append(match)
        for matches in groups.values():
            if len(matches) > spec.max:
                for match in matches[spec.max :]:
                    yield self._say(post, match, count=len(matches), max=spec.max)

    def _capitalization(self, post: Post, text: ScopeText) -> Iterator[Finding]:
        spec = self.spec
        by_group: dict[int, list[_Piece]] = {}
        for piece in text.pieces:
            if piece.kind != "gap":
                by_group.setdefault(piece.group, []).append(piece)
        starts = {h.text_span.start for h in post.headings}
        for group, pieces in by_group.items():
            words: list[tuple[int, int, str, bool]] = []  # text start, end, word, first in unit
            first_piece = pieces[0]
            leading = first_piece.file_start in starts or group >= 1_000_000
            for piece in pieces:
                chunk = text.text[piece.text_start : piece.text_start + piece.text_len]
                for m in _WORD.finditer(chunk):
                    s = piece.text_start + m.start()
                    first = leading and not words and not chunk[: m.start()].strip()
                    after_colon = bool(re.search(r"[:?!.]\s*$", chunk[: m.start()]))
                    words.append((s, s + len(m.group()), m.group(), first or after_colon))
                leading = False
            if not words:
                continue
            if spec.style == "sentence":
                yield from self._sentence_case(post, text, words)
            else:
                yield from self._title_case(post, text, words)

    def _sentence_case(
        self, post: Post, text: ScopeText, words: list[tuple[int, int, str, bool]]
    ) -> Iterator[Finding]:
        rest = [w for w in words if not w[3] and not _ignored_word(w[2], self.spec.exceptions)]
        capital = [w for w in rest if w[2][0].isupper()]
        lower = [w for w in rest if w[2][0].islower() and w[2].lower() not in SMALL_WORDS]
        if len(capital) >= 2 and not lower:
            start, end = words[0][0], words[-1][1]
            fs, fe, _, group = text.to_file(start, end)
            sentence = _rebuild(text.text[start:end], words, capital)
            yield self._say(
                post, _Match(fs, fe, text.text[start:end], False, group), sentence, style="sentence"
            )

    def _title_case(
        self, post: Post, text: ScopeText, words: list[tuple[int, int, str, bool]]
    ) -> Iterator[Finding]:
        last = len(words) - 1
        for i, (start, end, word, first) in enumerate(words):
            if not word[0].islower() or _ignored_word(word, self.spec.exceptions):
                continue
            if word.lower() in SMALL_WORDS and not first and i != last:
                continue
            fs, fe, exact, group = text.to_file(start, end)
            fixed = word[0].upper() + word[1:]
            yield self._say(post, _Match(fs, fe, word, exact, group), fixed, style="title")

    def _repetition(self, post: Post, text: ScopeText) -> Iterator[Finding]:
        for m, match in self._matches(text, self.spec.patterns[0]):
            if _norm(m.group("tok")) in self.spec.exceptions:
                continue
            yield self._say(post, match, m.group("tok"))

    def _quotes(self, post: Post, anchors: str) -> Iterator[Finding]:
        """Straight quotes in a post whose prose mostly uses curly ones. A quotation is fixed
        whole or not at all: its straight marks are curled by one fix, and a straight mark that
        pairs with nothing gets no fix (only the writer knows where the quotation ends). Nor
        does a quote in a heading whose anchor keeps quote characters (Zola's ``safe`` and
        ``off`` anchors): curling it would move the anchor and break the links to it."""
        straight, curly = quotes.tally(post)
        if not straight or len(curly) <= len(straight):
            return  # a post that mostly uses straight quotes is quote-style's to report
        keeps: set[int] = set()
        if anchors in ("zola-safe", "zola-off"):
            keeps = {h.span.start for h in post.headings if h.explicit_id is None}
        for found in quotes.quotes(post):
            anchored = found.leaf.block.kind == "heading" and found.leaf.block.span.start in keeps
            items: list[tuple[int, Finding]] = []
            for opening, closing in found.pairs:
                marks = [m for m in (opening, closing) if m.straight]
                if marks and all(m.offset >= 0 for m in marks) and closing.offset >= 0:
                    start = opening.offset if opening.offset >= 0 else marks[0].offset
                    edits = tuple(
                        post.edit(m.offset, m.offset + 1, quotes.curled(m)) for m in marks
                    )
                    shown = (f"{opening.char}…{closing.char}", _curled_pair(opening, closing))
                    end = closing.offset + 1
                    items.append((start, self._quote(post, start, end, edits, shown, anchored)))
            for mark in found.apostrophes:
                if mark.straight and mark.offset >= 0:
                    edit = post.edit(mark.offset, mark.offset + 1, "’")
                    end = mark.offset + 1
                    finding = self._quote(post, mark.offset, end, (edit,), ("'", "’"), anchored)
                    items.append((mark.offset, finding))
            for mark in found.unpaired:
                if mark.straight and mark.offset >= 0:
                    items.append((mark.offset, self._unpaired(post, mark)))
            for _, finding in sorted(items, key=lambda item: item[0]):
                yield finding

    def _quote(
        self,
        post: Post,
        start: int,
        end: int,
        edits: tuple[Edit, ...],
        shown: tuple[str, str],
        anchored: bool = False,
    ) -> Finding:
        """One finding for a quotation (its span runs from quote to quote) or an apostrophe;
        ``anchored``: in a heading whose anchor the fix would move, so none is offered."""
        message = self.message.format(match=shown[0], replacement=shown[1])
        if anchored:
            message += (
                " No fix is offered: this heading's anchor keeps its quotes, so curling them "
                "would break the links to it."
            )
            return self.finding(post.span(start, end), message)
        return self.finding(post.span(start, end), message, Fix(edits, safe=self.spec.safe))

    def _unpaired(self, post: Post, mark: quotes.Mark) -> Finding:
        kind = "quotation mark" if mark.double else "single quote"
        return self.finding(
            post.span(mark.offset, mark.offset + 1),
            f"A straight {kind} that pairs with no other in its paragraph, in a post that "
            "mostly uses curly ones: add its partner, then write both curly.",
        )

    # -- documentation ---------------------------------------------------------------------

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad, good = cls.pack_examples[0]
        return Example({"content/post.md": example_post(bad)}), Example(
            {"content/post.md": example_post(good)}
        )


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
Match = regex.Match[str]


@dataclass(frozen=True)
class _Stopped:
    """A pattern that ran out of time on a post, and where in ``text`` it was."""

    pattern: str
    text: ScopeText
    offset: int


def _finditer(
    pattern: Pattern, text: str, start: int, end: int, deadline: float
) -> tuple[list[Match], int | None]:
    """The matches in ``text[start:end]`` found before ``deadline``, and where the search was
    when it was stopped (None when it finished in time)."""
    found: list[Match] = []
    try:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError
        found.extend(pattern.finditer(text, start, end, timeout=left))
    except TimeoutError:
        return found, found[-1].end() if found else start
    return found, None


def _shown(pattern: Pattern) -> str:
    source = pattern.pattern if len(pattern.pattern) <= 60 else pattern.pattern[:59] + "…"
    return f"the pattern `{source}`"


def _curled_pair(opening: quotes.Mark, closing: quotes.Mark) -> str:
    return f"{quotes.curled(opening, 'open')}…{quotes.curled(closing, 'close')}"


def _ignored_word(word: str, exceptions: frozenset[str]) -> bool:
    """Words case rules leave alone: acronyms, mixed case (iOS, DeepSeek), code-like, exceptions."""
    return (
        _norm(word) in exceptions
        or any(ch.isdigit() for ch in word)
        or any(ch.isupper() for ch in word[1:])
        or "." in word.rstrip(".")
    )


def _rebuild(original: str, words: list[tuple[int, int, str, bool]], lower: list[Any]) -> str:
    base = words[0][0]
    chars = list(original)
    for start, _, word, _ in lower:
        chars[start - base] = word[0].lower()
    return "".join(chars)


def keep_case(matched: str, replacement: str) -> str:
    """The replacement in the case of the match: Utilize -> Use, UTILIZE -> USE."""
    letters = [ch for ch in matched if ch.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    if letters[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def example_post(text: str) -> str:
    """An example as a post: text that is not a whole post gets a small front matter."""
    if text.startswith(("+++", "---")):
        return text if text.endswith("\n") else text + "\n"
    return f'+++\ntitle = "Example"\n+++\n\n{text.rstrip()}\n'


def _docstring(cls: type[PackRule], raw: Mapping[str, Any], pack: Mapping[str, Any]) -> str:
    spec = cls.spec
    what = raw.get("description") or f"{cls.summary}."
    listing = ""
    literal = spec.kind in ("substitution", "consistency") and not spec.regex
    if spec.listing and (literal or "words" in raw) and spec.kind != "capitalization":
        shown = spec.listing[:40]
        listing = "\n\nIt looks for:\n" + "\n".join(f"- `{item}`" for item in shown)
        if len(spec.listing) > 40:
            listing += f"\n- and {len(spec.listing) - 40} more"
    scope = ", ".join(cls.scopes)
    bad, good = cls.pack_examples[0]
    fence = "````" if "```" in bad + good else "```"
    parts = [
        "## What it does",
        f"{what}{listing}\n\nIt reads: {scope} (never code, URLs or front matter keys). "
        f"This rule comes from the `{pack['name']}` rule pack.",
        "## Why is this bad?",
        pack["description"],
        "## Example",
        f"{fence}markdown\n{example_post(bad).rstrip()}\n{fence}\n\nUse instead:\n"
        f"{fence}markdown\n{example_post(good).rstrip()}\n{fence}",
    ]
    if spec.fixable:
        parts += [
            "## Fix safety",
            "The fix is safe: the pack marks its replacements as changing no meaning."
            if spec.safe
            else "The fix is unsafe: it changes words the writer chose, so it is applied only "
            "when unsafe fixes are allowed.",
        ]
    return "\n\n".join(parts)
