"""What every report format shares: text made safe to show, paths as reports show them, JSON.

Messages quote posts (a tag, a pack's ``{match}``) and paths are whatever the file system holds,
so both can carry control characters that drive a terminal or GitHub's log viewer (ESC), break a
one-line format (LF) or, in a file name that is not UTF-8, bytes no UTF-8 report can hold. Every
format shows them escaped, as Python writes them: ``\\x1b``, ``\\n``, ``\\xff``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any
from urllib.parse import quote

# C0 and C1 controls but tab, DEL, and lone surrogates: the bytes of a file name that were not
# UTF-8 (Python decodes them as U+DC80..U+DCFF) or anything else UTF-8 cannot encode.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def visible(text: str) -> str:
    """``text`` with control characters (tab excepted) and undecodable bytes escaped."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def relative_path(path: str, root: Path | None) -> str:
    """``path`` as a POSIX path, relative to ``root`` when it is absolute and inside it."""
    pure = Path(path)
    if root is not None and pure.is_absolute() and pure.is_relative_to(root.absolute()):
        pure = pure.relative_to(root.absolute())
    return pure.as_posix()


class Paths:
    """Each file's path as the reports show it, worked out once per file, not per finding."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._relative: dict[str, str] = {}
        self._shown: dict[str, str] = {}

    def relative(self, path: str) -> str:
        """Relative to the root, POSIX, as the file system spells it (see ``shown``)."""
        found = self._relative.get(path)
        if found is None:
            found = self._relative[path] = relative_path(path, self.root)
        return found

    def shown(self, path: str) -> str:
        """Relative to the root, with control characters and undecodable bytes escaped."""
        found = self._shown.get(path)
        if found is None:
            found = self._shown[path] = visible(self.relative(path))
        return found


def uri_path(posix: str) -> str:
    """A relative POSIX path as a percent-encoded URI path, from the bytes the file system
    holds (a name that is not UTF-8 keeps its bytes: ``bad%FF.md``)."""
    return quote(os.fsencode(posix), safe="/")


_compact: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


def dumps(value: Any, flat: Collection[str | None] = ()) -> str:
    """JSON laid out as ``json.dumps(value, indent=2)`` would, except that the items of the lists
    held by the keys in ``flat`` (None: a list that is not under a key) take one compact line
    each. Long lists of findings are then written by the C encoder (``indent`` makes ``json``
    fall back to pure Python, ten times slower) and stay one finding a line. The pieces are
    joined once at the end: a document of 60,000 findings is not copied at every level."""
    out: list[str] = []
    _write(value, flat, None, "", out)
    return "".join(out)


def _write(
    value: Any, flat: Collection[str | None], key: str | None, pad: str, out: list[str]
) -> None:
    if not isinstance(value, dict | list) or not value:
        out.append(_compact(value))
        return
    inner = pad + "  "
    between = ",\n" + inner
    if isinstance(value, dict):
        out.append("{\n" + inner)
        for i, (k, v) in enumerate(value.items()):
            if i:
                out.append(between)
            out.append(_compact(k) + ": ")
            _write(v, flat, k, inner, out)
        out.append("\n" + pad + "}")
        return
    out.append("[\n" + inner)
    if key in flat:
        out.append(between.join([_compact(v) for v in value]))
    else:
        for i, v in enumerate(value):
            if i:
                out.append(between)
            _write(v, flat, None, inner, out)
    out.append("\n" + pad + "]")
