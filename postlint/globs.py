"""One glob dialect for every path pattern: git's (``.gitignore``), through pathspec.

``exclude``, ``extend-exclude``, ``per-file-ignores``, ``[images] unused-ignore`` and the site's
own ``.gitignore`` files all match the same way, so a pattern means the same thing wherever it is
written: relative to the folder of the file that holds it; ``drafts/*`` with a slash is anchored
there while ``*.md`` or ``drafts`` matches at any depth; a pattern that matches a folder matches
everything in it (``content/drafts/*`` covers ``content/drafts/2024/b.md``); ``**`` crosses
folders; a later ``!pattern`` re-includes what an earlier one matched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pathspec import GitIgnoreSpec


class Globs:
    """Patterns matched against paths relative to ``base``, the last matching pattern deciding.

    In a configuration, a list that begins with ``!pattern`` begins from every path matched, so a
    single negated pattern (a ``per-file-ignores`` key such as ``"!content/posts/**"``) matches
    every path the pattern does not; a ``.gitignore`` file (``git=True``) begins from none. A path
    outside ``base`` is matched by its whole path, so only patterns that are not anchored
    (``*.md``, ``**/drafts/*``) can match it.
    """

    def __init__(self, patterns: Sequence[str], base: Path | str, git: bool = False) -> None:
        self.patterns = tuple(patterns)
        self.base = os.path.abspath(base)
        self.spec = GitIgnoreSpec.from_lines(self.patterns)
        self.default = not git and bool(self.patterns) and self.patterns[0].startswith("!")

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def relative(self, path: Path | str) -> str:
        """``path`` as the patterns see it: POSIX, relative to the base when inside it."""
        full = os.path.abspath(path)
        if full == self.base:
            return "."
        inside = full.startswith(self.base.rstrip(os.sep) + os.sep)
        rel = os.path.relpath(full, self.base) if inside else os.path.splitdrive(full)[1]
        return rel.replace(os.sep, "/").lstrip("/")

    def check(self, path: Path | str) -> bool | None:
        """True or False when a pattern decides (the last one that matches), else None."""
        if not self.patterns:
            return None
        result: bool | None = self.spec.check_file(self.relative(path)).include
        return result

    def matches(self, path: Path | str) -> bool:
        decided = self.check(path)
        return self.default if decided is None else decided
