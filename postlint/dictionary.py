"""The spelling dictionary, loaded once per process and only when a rule asks for it.

Spelling and tag checks both judge words against it, so they share one load (pyspellchecker's
English list plus the current words it lacks, in ``data/words-en.txt``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from postlint.config import ConfigError

if TYPE_CHECKING:
    from spellchecker import SpellChecker


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
        spell.word_frequency.load_words(_supplement())
    return spell


def _supplement() -> list[str]:
    text = files("postlint").joinpath("data/words-en.txt").read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("#")]
