"""Heading anchors and path slugs computed the way Zola and Hugo compute them.

Sources (read from the generators' code, not guessed):

* Zola: ``components/utils/src/slugs.rs`` (``slugify_paths``, ``slugify_anchors`` and the
  ``SlugifyStrategy`` values ``on``/``safe``/``off``) and ``find_anchor`` in
  ``components/markdown/src/markdown.rs`` (duplicates become ``name-1``, ``name-2``...).
  ``on`` calls ``slug::slugify`` from the ``slug`` crate, which transliterates every non-ASCII
  character with ``deunicode::deunicode_char`` (an unknown character becomes ``-``), keeps
  ``a-z0-9`` (ASCII capitals lowered), turns every other run into one ``-`` and trims dashes.
* Hugo: ``markup/goldmark/autoid.go`` (``sanitizeAnchorNameWithHook`` and ``idFactory``),
  ``common/text/transform.go`` (``RemoveAccents``) and the ``markup/blackfriday`` package
  (``SanitizedAnchorName``); the expected strings in ``markup/goldmark/autoid_test.go``.
  An empty id becomes ``heading``; duplicates become ``name-1``, ``name-2``...

Residual differences, known and accepted:

* Transliteration (Zola ``on`` only). deunicode is not available to Python, so
  ``text-unidecode`` stands in: both are ports of Perl's Text::Unidecode tables, and they agree
  on Zola's own test strings and on deunicode's test suite except where deunicode later changed
  its tables. Known gaps: **emoji** (deunicode names them, ``"🦄"`` -> ``unicorn``, this module
  drops them, so ``"🚀 Launch"`` gives ``launch`` where Zola gives ``rocket-launch``);
  characters outside the Basic Multilingual Plane generally (dropped here, named or ``-`` in
  deunicode); a few corrected Han readings (deunicode ``技术`` -> ``ji-shu``, here ``ji-zhu``).
* Unicode versions: letter/digit classes come from Python's ``unicodedata`` (Unicode 14 on
  Python 3.11), Go's and Rust's tables may be newer; only newly assigned characters differ.
* Explicit ids (``{#id}`` in Zola, ``{id=...}`` in Hugo) reserve names before or during
  numbering; callers that need them must account for them, this module only numbers the texts
  it is given, in order, as if no heading had an explicit id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from text_unidecode import unidecode as _unidecode  # type: ignore[import-untyped]

ANCHOR_STYLES = ("zola", "zola-safe", "zola-off", "hugo", "hugo-github-ascii", "hugo-blackfriday")
PATH_MODES = ("on", "safe", "off")

# Rust's char::is_ascii_whitespace: space, tab, line feed, form feed, carriage return (no \v).
_RUST_ASCII_WHITESPACE = frozenset(" \t\n\x0c\r")
# NTFS-forbidden characters removed by Zola's strip_invalid_paths_chars.
_NTFS_FORBIDDEN = frozenset('<>:"/\\|?*')
# Go's unicode.IsSpace for Latin-1; above Latin-1 it is the White_Space property.
_GO_LATIN1_SPACE = frozenset("\t\n\v\f\r \x85\xa0")


def _transliterate(char: str) -> str:
    """ASCII for one non-ASCII character, standing in for ``deunicode_char``.

    text-unidecode has no table beyond the Basic Multilingual Plane and gives ``""`` there; the
    slug crate writes ``-`` for a character deunicode does not know, and deunicode's names for
    emoji are words followed by a space, so ``-`` is the closer stand-in. Within the BMP an
    empty result is an intentional one (combining marks) and is kept.
    """
    ascii_text = str(_unidecode(char))
    if not ascii_text and ord(char) > 0xFFFF:
        return "-"
    return ascii_text


def slug_crate_slugify(text: str) -> str:
    """``slug::slugify`` as Zola's ``on`` strategy calls it: ASCII ``a-z0-9`` joined by ``-``."""
    out: list[str] = []
    prev_dash = True  # the crate starts "after a dash" so no leading dash is written
    for char in text:
        for ascii_char in char if char.isascii() else _transliterate(char):
            if "a" <= ascii_char <= "z" or "0" <= ascii_char <= "9":
                out.append(ascii_char)
                prev_dash = False
            elif "A" <= ascii_char <= "Z":
                out.append(ascii_char.lower())
                prev_dash = False
            elif not prev_dash:
                out.append("-")
                prev_dash = True
    if out and out[-1] == "-":
        out.pop()
    return "".join(out)


def slugify_path(text: str, mode: str = "on") -> str:
    """Zola's ``slugify_paths``: the slug of a file name, ``slug`` front matter or taxonomy term.

    ``mode`` is the ``[slugify] paths`` (or ``taxonomies``) setting of ``config.toml``:
    ``on`` slugifies (see :func:`slug_crate_slugify`), ``safe`` only trims trailing spaces and
    dots and removes the characters NTFS forbids (``<>:"/\\|?*``), ``off`` changes nothing.
    """
    if mode == "on":
        return slug_crate_slugify(text)
    if mode == "safe":
        trimmed = text.rstrip(" .")
        return "".join(c for c in trimmed if c not in _NTFS_FORBIDDEN)
    if mode == "off":
        return text
    raise ValueError(f"unknown slugify mode {mode!r}; expected one of {', '.join(PATH_MODES)}")


def _zola_anchor_base(text: str, mode: str) -> str:
    """Zola's ``slugify_anchors``: ``safe`` and ``off`` only turn ASCII whitespace into ``_``."""
    if mode == "on":
        return slug_crate_slugify(text)
    return "".join("_" if c in _RUST_ASCII_WHITESPACE else c for c in text)


def _go_is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _go_is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def _go_is_number(char: str) -> bool:
    return unicodedata.category(char).startswith("N")


def _go_is_space(char: str) -> bool:
    if ord(char) <= 0xFF:
        return char in _GO_LATIN1_SPACE
    return char.isspace()


def _go_to_lower(char: str) -> str:
    """Go's ``unicode.ToLower``: the simple one-to-one mapping (``İ`` -> ``i``, not ``i̇``)."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else lowered[0]


def _go_remove_accents(text: str) -> str:
    """Hugo's ``text.RemoveAccents``: NFD, drop nonspacing marks (Mn), NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def _hugo_github(text: str, ascii_only: bool) -> str:
    """Hugo's ``github`` / ``github-ascii`` auto heading id, before numbering."""
    if ascii_only:
        text = _go_remove_accents(text)
    start, end = 0, len(text)
    while start < end and _go_is_space(text[start]):
        start += 1
    while end > start and _go_is_space(text[end - 1]):
        end -= 1
    out: list[str] = []
    for char in text[start:end]:
        if ascii_only and not char.isascii():
            continue
        if char in "- ":
            out.append("-")
        elif char == "_" or _go_is_letter(char) or _go_is_digit(char):
            out.append(_go_to_lower(char))
    return "".join(out)


def _hugo_blackfriday(text: str) -> str:
    """Blackfriday's ``SanitizedAnchorName``: letter/number runs joined by single dashes."""
    out: list[str] = []
    future_dash = False
    for char in text:
        if _go_is_letter(char) or _go_is_number(char):
            if future_dash and out:
                out.append("-")
            future_dash = False
            out.append(_go_to_lower(char))
        else:
            future_dash = True
    return "".join(out)


def _number_zola(base: str, taken: set[str], levels: dict[str, int]) -> str:
    """Zola's ``find_anchor``: ``base``, else the first free ``base-1``, ``base-2``...

    ``levels`` keeps, per base, the level below which every name is taken (names are only
    ever added), so ten thousand identical headings cost ten thousand steps, not fifty million.
    """
    if base not in taken:
        return base
    level = levels.get(base, 1)
    while f"{base}-{level}" in taken:
        level += 1
    levels[base] = level + 1
    return f"{base}-{level}"


def _number_hugo(base: str, taken: set[str], levels: dict[str, int]) -> str:
    """Hugo's ``idFactory.Generate``: empty becomes ``heading``, then ``-1``, ``-2``..."""
    return _number_zola(base or "heading", taken, levels)


_STYLES: dict[str, tuple[Callable[[str], str], Callable[[str, set[str], dict[str, int]], str]]] = {
    "zola": (lambda t: _zola_anchor_base(t, "on"), _number_zola),
    "zola-safe": (lambda t: _zola_anchor_base(t, "safe"), _number_zola),
    "zola-off": (lambda t: _zola_anchor_base(t, "off"), _number_zola),
    "hugo": (lambda t: _hugo_github(t, ascii_only=False), _number_hugo),
    "hugo-github-ascii": (lambda t: _hugo_github(t, ascii_only=True), _number_hugo),
    "hugo-blackfriday": (_hugo_blackfriday, _number_hugo),
}


def heading_anchors(texts: list[str], style: str = "zola") -> list[str]:
    """The anchor id of each heading, in document order, with duplicates numbered.

    ``texts`` are the headings' plain text (for Zola, the concatenated text and inline code of
    the heading; for Hugo, goldmark's heading text). ``style`` names the generator setting:

    * ``zola`` / ``zola-safe`` / ``zola-off``: ``[slugify] anchors = "on" | "safe" | "off"``.
      ``on`` is :func:`slug_crate_slugify`; ``safe`` and ``off`` both only replace ASCII
      whitespace by ``_`` (Zola treats them the same for anchors). An empty heading gets ``""``
      and its duplicates ``-1``, ``-2``, as Zola does.
    * ``hugo`` (``autoHeadingIDType = "github"``, the default), ``hugo-github-ascii`` and
      ``hugo-blackfriday``. An empty result becomes ``heading``.

    Both generators number a repeat of ``x`` as the first free name among ``x-1``, ``x-2``...
    checked against every id already given, so a heading literally titled ``x 1`` shifts the
    numbering exactly as it does in the generators.
    """
    try:
        make_base, number = _STYLES[style]
    except KeyError:
        expected = ", ".join(ANCHOR_STYLES)
        raise ValueError(f"unknown anchor style {style!r}; expected one of {expected}") from None
    taken: set[str] = set()
    levels: dict[str, int] = {}
    anchors: list[str] = []
    for text in texts:
        anchor = number(make_base(text), taken, levels)
        taken.add(anchor)
        anchors.append(anchor)
    return anchors
