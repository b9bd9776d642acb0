"""Derive ``postlint/data/words-en-common.txt`` from wordfreq's English word list.

A word that real English text uses often is not a typo, even when pyspellchecker's list lacks
it (``cafe``, ``scammers``, ``regexes``). wordfreq (Apache-2.0 code, CC BY-SA 4.0 data) is a
57 MB wheel and takes ~0.2 s to import and load: too much for a one-post pre-commit run, so
postlint ships the words it needs instead (1.2 MB of text, ~40 ms to load), and this script
rebuilds them:

    pip install wordfreq==3.1.1 && python scripts/derive_wordlist.py

A word of wordfreq's large English list is kept when it is used at least ``MIN_ZIPF`` (zipf 1:
ten times in a billion words), postlint does not already accept it, and it does not look like
a habitual misspelling: one edit (keeping its first letter) from a word used ``TYPO_GAPS`` orders of
magnitude more often (``definately``, ``recieve``; the gap shrinks as words grow), a
misspelling listed in ``MISSPELLINGS``, two words run together (an idiom, ``infact``,
``eventhough``, or a rare word made of a very common word and a frequent one, ``ifyou``), or
a contraction without its apostrophe (``didnt``).
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

MIN_ZIPF = 1.0
# How many times more often (orders of magnitude) a word one edit away must be used for a
# word to be taken as its misspelling, by length: short words have many frequent neighbours
# (tv, km ~ to), long ones few (transfered ~ transferred).
TYPO_GAPS = {3: 3.0, 6: 2.0}
LONG_TYPO_GAP = 1.5


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Idioms run together: frequent in careless text, always a typo for the two words.
JOINED = _words(
    "abit alittle alot aslong asmuch asfar aswell atall atleast eachother eventhough "
    "everytime goodluck highschool inbetween incase infact infront inspite nevermind noone "
    "ofcourse ofthe ontop sofar thankyou upto"
)
# A rare word made of two frequent ones, one of them among the commonest words of English, is
# two words run together (ifyou, awayfrom), not a compound (changeset, backoff).
JOINED_RARE, JOINED_PART, JOINED_FUNCTION = 2.5, 5.5, 6.3
# Misspellings frequent enough, and close enough in frequency to their word, to pass the gaps.
MISSPELLINGS = _words(
    "ecstacy famers forthe harrassed indispensible layed lense millenial millenium pavillion "
    "seige villian"
)
TARGET = Path(__file__).resolve().parent.parent / "postlint" / "data" / "words-en-common.txt"
_TOKEN = re.compile(r"[a-z\u00e0-\u00ff]+(?:'[a-z]+)?")
_LETTERS = "abcdefghijklmnopqrstuvwxyz'"

HEADER = """\
# Words of real English text (wordfreq's zipf >= {zipf}: ten times in a billion words) that
# pyspellchecker's list lacks, less those that look like habitual misspellings.
# Derived by scripts/derive_wordlist.py from wordfreq 3.1.1 (https://github.com/rspeer/wordfreq),
# whose data is licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/):
# this file is shared under the same licence. Do not edit: change the script and re-run it.
"""


def edits(word: str) -> set[str]:
    """Words one edit away that keep the first letter (typos rarely change it)."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    found |= {a + c + b for a, b in splits for c in _LETTERS}
    if len(word) > 1:
        found.add(word[1] + word[0] + word[2:])  # a transposed first letter: "hte"
    found.discard(word)
    return found


def main(argv: list[str]) -> int:
    from wordfreq import get_frequency_dict, zipf_frequency

    min_zipf = float(argv[0]) if argv else MIN_ZIPF
    target = Path(argv[1]) if len(argv) > 1 else TARGET

    sys.path.insert(0, str(TARGET.parents[2]))
    from postlint import dictionary

    dictionary.FREQUENT = None  # judge against the dictionary alone, not the previous list
    from postlint.checks.spelling import _british_forms, accepted

    words = dictionary.checker("en").word_frequency.dictionary.keys()
    zipfs = {w: math.log10(f) + 9 for w, f in get_frequency_dict("en", "large").items()}

    def known(word: str) -> bool:
        return accepted("en", "any", word)

    def run_together(word: str) -> bool:
        for i in range(1, len(word)):
            first, second = zipfs.get(word[:i], 0), zipfs.get(word[i:], 0)
            if min(first, second) >= JOINED_PART and max(first, second) >= JOINED_FUNCTION:
                return len(word) - i > 1 and (i > 1 or word[0] in "ai")
        return False

    def typo(word: str, zipf: float) -> bool:
        if word in JOINED or word in MISSPELLINGS:
            return True
        if zipf < JOINED_RARE and run_together(word):
            return True  # ifyou, awayfrom
        if "'" not in word and any(word[:i] + "'" + word[i:] in words for i in range(1, len(word))):
            return True  # didnt, theyre
        gap = next((g for length, g in TYPO_GAPS.items() if len(word) <= length), LONG_TYPO_GAP)
        return any(zipfs.get(near, 0) - zipf >= gap for near in edits(word) & words)

    kept = []
    for word, zipf in sorted(zipfs.items(), key=lambda item: -item[1]):
        if zipf < min_zipf:
            break
        if len(word) < 2 or not _TOKEN.fullmatch(word) or known(word):
            continue
        if any(known(f) and zipf_frequency(f, "en") >= zipf for f in _british_forms(word)):
            continue  # a spelling of a known word that the `variant` option judges
        if not typo(word, zipf):
            kept.append(word)
    target.write_text(
        HEADER.format(zipf=min_zipf) + "\n".join(sorted(kept)) + "\n", encoding="utf-8"
    )
    print(f"{len(kept)} words written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
