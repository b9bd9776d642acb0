"""The spelling dictionary, loaded once per process and only when a rule asks for it.

Spelling and tag checks both judge words against it, so they share one load: pyspellchecker's
English list plus the current words it lacks (``data/words-en.txt``) and the Indian English
and Hindi words common in English written in India (``data/words-en-in.txt``). Apart from
it, ``frequent`` holds the words that real English text uses often although the dictionary
lacks them (``data/words-en-common.txt``, derived from wordfreq): they are accepted, but never
offered as corrections.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from postlint.config import ConfigError

if TYPE_CHECKING:
    from spellchecker import SpellChecker

SUPPLEMENTS = ("words-en.txt", "words-en-in.txt")
FREQUENT: str | None = "words-en-common.txt"


class DictionaryError(ConfigError):
    """A dictionary the configuration names that cannot be loaded or read."""


@cache
def checker(language: str = "en") -> SpellChecker:
    from spellchecker import SpellChecker

    try:
        spell = SpellChecker(language=language, distance=1)
    except ValueError:
        known = ", ".join(sorted(SpellChecker.languages()))
        raise DictionaryError(
            f"[spelling] language: there is no dictionary for `{language}` (there is: {known})"
        ) from None
    if language == "en":
        spell.word_frequency.load_words([w for name in SUPPLEMENTS for w in _data(name)])
    return spell


@cache
def frequent(language: str = "en") -> frozenset[str]:
    """Words used often in real text that the dictionary lacks (English only)."""
    if language != "en" or FREQUENT is None:
        return frozenset()
    return frozenset(_data(FREQUENT))


def knows(language: str, word: str) -> bool:
    """Whether a lower-case word is in the dictionary or used often in real text."""
    return word in checker(language) or word in frequent(language)


def _data(name: str) -> list[str]:
    text = files("postlint").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("#")]
