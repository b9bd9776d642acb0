"""Baselines: record today's findings so an old site can adopt postlint without fixing its archive.

An entry is keyed by rule, path and a fingerprint of the offending text (not its line), so it
survives lines moving; a count per key lets a post with the same slip twice keep both hidden
while a third, new one still shows.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from postlint.model import Diagnostic

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def fingerprint(diagnostic: Diagnostic, texts: dict[str, str | None]) -> str:
    """A digest of the rule and the offending text (the message when the text is unavailable)."""
    if diagnostic.path not in texts:
        try:
            texts[diagnostic.path] = Path(diagnostic.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            texts[diagnostic.path] = None
    text = texts[diagnostic.path]
    if text is not None and diagnostic.end > diagnostic.start:
        offending = " ".join(text[diagnostic.start : diagnostic.end].split())
    else:
        offending = diagnostic.message
    # a file name that is not UTF-8 keeps its bytes (a message may quote it)
    data = f"{diagnostic.rule}\0{offending}".encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(data).hexdigest()
    return digest[:16]


def keys(
    diagnostics: Iterable[Diagnostic],
    texts: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> list[tuple[str, str, str]]:
    """(rule, path, fingerprint) per diagnostic; ``texts`` gives files' text being fixed in
    memory, ``root`` makes paths relative to the baseline's folder, wherever postlint runs."""
    known: dict[str, str | None] = dict(texts or {})
    return [(d.rule, _relative(d.path, root), fingerprint(d, known)) for d in diagnostics]


def _relative(path: str, root: Path | None) -> str:
    if root is None:
        return path
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()


def write(path: Path, diagnostics: Sequence[Diagnostic], root: Path | None = None) -> int:
    """Write the baseline atomically; returns the number of findings recorded."""
    counts = Counter(keys(diagnostics, root=root))
    entries = [
        {"rule": rule, "path": file, "fingerprint": digest, "count": count}
        for (rule, file, digest), count in sorted(
            counts.items(), key=lambda item: (item[0][1], item[0][0], item[0][2])
        )
    ]
    document = json.dumps({"version": VERSION, "entries": entries}, indent=2) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".baseline-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(document)
    os.replace(temp, path)
    return len(diagnostics)


def load(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Counter(
            {(e["rule"], e["path"], e["fingerprint"]): int(e["count"]) for e in data["entries"]}
        )
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: no such baseline file (create it with `postlint baseline`)"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a postlint baseline file ({exc})") from None


def hide(
    diagnostics: Sequence[Diagnostic],
    baseline: Counter[tuple[str, str, str]],
    texts: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> list[Diagnostic]:
    """The diagnostics the baseline does not account for."""
    remaining = Counter(baseline)
    kept = []
    for diagnostic, key in zip(diagnostics, keys(diagnostics, texts, root), strict=True):
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(diagnostic)
    return kept
