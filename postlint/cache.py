"""The result cache: what linting each file produced, kept between runs, in a form that is data
only, so that reading a planted or damaged cache can never run code.

Entries live in one SQLite database per cache folder (``results.sqlite``), one row per file
and configuration, each part in its own column, so a run reads only what it needs: a re-run of
an unchanged site reads each reported post's final findings and nothing else; a run that must
judge the site again reads the other posts' summaries and facts. Values are JSON: findings in
a compact positional form, everything else (summaries, the facts site-wide rules collect) in a
typed form whose dataclasses are rebuilt from a list of allowed types, never imported by name.

The configuration key (``Linter.cache_key``) hashes postlint's own source by content, so a
fresh install of the same release (a CI runner) finds the cache of the last one.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from postlint.model import Diagnostic, Edit, Span

SCHEMA = 2
FILE_NAME = "results.sqlite"
KEEP_KEYS = 8  # configurations kept; the least recently used beyond these are dropped

# rule name -> the diagnostic fields the rule fixes in this configuration: code, severity, url
RuleFields = dict[str, tuple[str, str, str]]


class Entry(NamedTuple):
    """What the cache knows of a file without reading its parts."""

    digest: str  # of the file's bytes
    mode: int  # how deeply it was linted (engine.Mode)
    site: str | None  # the site digest its final findings were judged under, if kept
    errors: bool  # whether linting it crashed a rule


class SiteRecord(NamedTuple):
    """The last site phase's verdict: under which site digest, what it read beside the posts
    (JSON), and the rules that crashed (JSON)."""

    digest: str
    observed: str
    errors: str


class Damaged(Exception):
    """A cache value that is not what this version writes: the entry is ignored and rebuilt."""


class Unencodable(Exception):
    """A value the cache cannot keep as data (a rule's fact of a type it cannot rebuild)."""


# ---------------------------------------------------------------------------------------------
# Findings: a compact positional form; code, severity and URL come from the rule when read


def encode_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([_diagnostic_row(d) for d in diagnostics], ensure_ascii=False)


def _diagnostic_row(d: Diagnostic) -> list[Any]:
    row: list[Any] = [d.rule, d.line, d.column, d.end_line, d.end_column, d.message, d.start, d.end]
    if d.fix is not None:
        row.append(d.fix_safe)
        for edit in d.fix:
            s = edit.span
            row.append(
                [s.start, s.end, s.line, s.column, s.end_line, s.end_column, edit.replacement]
            )
    return row


def decode_diagnostics(text: str, path: str, rules: RuleFields) -> list[Diagnostic]:
    """The findings of ``path`` as ``encode_diagnostics`` wrote them."""
    try:
        rows = json.loads(text)
    except (ValueError, TypeError) as exc:  # not JSON, or not even text (a NULL)
        raise Damaged(str(exc)) from None
    return decode_rows(rows, path, rules)


def decode_rows(rows: Any, path: str, rules: RuleFields) -> list[Diagnostic]:
    """The findings of ``path`` from their rows (``encode_diagnostics``, once parsed)."""
    try:
        out: list[Diagnostic] = []
        append = out.append
        new = Diagnostic
        intern = sys.intern  # messages repeat across posts: one copy each
        for row in rows:
            rule, line, column, end_line, end_column, message, start, end = row[:8]
            code, severity, url = rules[rule]
            message = intern(message)
            fix = None
            safe = None
            if len(row) > 8:
                safe = row[8]
                fix = tuple([Edit(Span(e[0], e[1], e[2], e[3], e[4], e[5]), e[6]) for e in row[9:]])
            append(
                new(
                    path,
                    line,
                    column,
                    end_line,
                    end_column,
                    code,
                    rule,
                    severity,  # type: ignore[arg-type]
                    message,
                    fix,
                    url,
                    safe,
                    start,
                    end,
                )
            )
        return out
    except Exception as exc:  # anything unexpected in the cache is damage, never a crash
        raise Damaged(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# Any other value: JSON where every container is a list tagged by its first item


class Codec:
    """Encodes plain data and dataclasses of the allowed packages; decodes without importing.

    A blob is ``[types, value]``: ``types`` names the dataclasses it holds (``module:qualname``),
    and a dataclass is ``[index, *fields]``. Other containers carry a one-letter tag: ``l`` list,
    ``t`` tuple, ``d`` dict (keys and values alternating), ``c`` Counter, ``s`` set, ``f``
    frozenset, ``p`` path, and ``D``, ``T``, ``H`` for dates, datetimes and times. A type is
    rebuilt only when its module is already imported, belongs to an allowed package and the name
    is a dataclass there: reading a cache never imports or calls anything else.
    """

    def __init__(self, packages: Iterable[str] = ("postlint",)) -> None:
        self.packages = tuple(sorted(set(packages)))
        self._fields: dict[type, tuple[str, ...]] = {}
        self._classes: dict[str, tuple[Callable[..., Any], int]] = {}

    # -- writing

    def dumps(self, value: Any) -> str:
        types: dict[type, int] = {}
        encoded = self._encode(value, types)
        names = [f"{cls.__module__}:{cls.__qualname__}" for cls in types]
        return json.dumps([names, encoded], ensure_ascii=False, allow_nan=True)

    def _encode(self, value: Any, types: dict[type, int]) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return value
        encode = self._encode
        if kind is tuple:
            return ["t", *[encode(v, types) for v in value]]
        if kind is list:
            return ["l", *[encode(v, types) for v in value]]
        if kind is dict or kind is Counter:
            out: list[Any] = ["d" if kind is dict else "c"]
            for k, v in value.items():
                out.append(encode(k, types))
                out.append(encode(v, types))
            return out
        if kind is frozenset or kind is set:
            items = [encode(v, types) for v in value]
            return ["f" if kind is frozenset else "s", *items]
        if isinstance(value, PurePath):
            return ["p", str(value)]
        if kind is datetime.datetime:
            return ["T", value.isoformat()]
        if kind is datetime.date:
            return ["D", value.isoformat()]
        if kind is datetime.time:
            return ["H", value.isoformat()]
        names = self._fields.get(kind)
        if names is None:
            names = self._allow(kind)
        index = types.setdefault(kind, len(types))
        return [index, *[encode(getattr(value, name), types) for name in names]]

    def _allow(self, kind: type) -> tuple[str, ...]:
        if not (dataclasses.is_dataclass(kind) and self._allowed(kind.__module__)):
            raise Unencodable(f"{kind.__module__}.{kind.__qualname__} cannot be kept as data")
        fields = dataclasses.fields(kind)
        if any(not f.init or f.kw_only for f in fields):
            raise Unencodable(f"{kind.__qualname__} has fields its constructor does not take")
        names = tuple(f.name for f in fields)
        self._fields[kind] = names
        return names

    def _allowed(self, module: str) -> bool:
        return any(module == p or module.startswith(p + ".") for p in self.packages)

    # -- reading

    def loads(self, text: str) -> Any:
        try:
            names, encoded = json.loads(text)
            classes = [self._class(name) for name in names]
            return self._decode(encoded, classes)
        except Damaged:
            raise
        except Exception as exc:  # a wrong shape, a constructor refusing its values ...
            raise Damaged(str(exc)) from None

    def _class(self, name: str) -> tuple[Callable[..., Any], int]:
        found = self._classes.get(name)
        if found is not None:
            return found
        module_name, _, qualname = str(name).partition(":")
        module = sys.modules.get(module_name)  # never imported: only what is already loaded
        target: Any = module
        for part in qualname.split("."):
            target = getattr(target, part, None) if part and target is not None else None
        if (
            module is None
            or not self._allowed(module_name)
            or not isinstance(target, type)
            or not dataclasses.is_dataclass(target)
            or target.__module__ != module_name
        ):
            raise Damaged(f"the cache names a type it may not hold: {name}")
        found = (target, len(dataclasses.fields(target)))
        self._classes[name] = found
        return found

    def _decode(self, value: Any, classes: Sequence[tuple[Callable[..., Any], int]]) -> Any:
        if type(value) is not list:
            if type(value) is dict:
                raise Damaged("an untagged object")
            return value
        decode = self._decode
        tag = value[0]
        if type(tag) is int:
            cls, count = classes[tag]
            if len(value) != count + 1:
                raise Damaged(f"{cls.__qualname__} with {len(value) - 1} fields, not {count}")
            return cls(*[decode(v, classes) for v in value[1:]])
        items = [decode(v, classes) for v in value[1:]]
        if tag == "t":
            return tuple(items)
        if tag == "l":
            return items
        if tag == "d" or tag == "c":
            pairs = dict(zip(items[::2], items[1::2], strict=True))
            return pairs if tag == "d" else Counter(pairs)
        if tag == "f":
            return frozenset(items)
        if tag == "s":
            return set(items)
        if tag == "p":
            return Path(items[0])
        if tag == "T":
            return datetime.datetime.fromisoformat(items[0])
        if tag == "D":
            return datetime.date.fromisoformat(items[0])
        if tag == "H":
            return datetime.time.fromisoformat(items[0])
        raise Damaged(f"unknown tag {tag!r}")


# ---------------------------------------------------------------------------------------------
# The database


_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, used REAL NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    key TEXT NOT NULL,
    path TEXT NOT NULL,
    digest TEXT NOT NULL,
    mode INTEGER NOT NULL,
    diagnostics TEXT,
    errors TEXT,
    suppressor TEXT,
    summary TEXT,
    facts TEXT,
    site TEXT,
    final TEXT,
    PRIMARY KEY (key, path)
);
CREATE TABLE IF NOT EXISTS sites (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    observed TEXT NOT NULL,
    diagnostics TEXT NOT NULL,
    beside TEXT NOT NULL,
    errors TEXT NOT NULL
);
"""

# the columns of an entry a run may ask for, in the table's order
PARTS = ("diagnostics", "errors", "suppressor", "summary", "facts", "site", "final")


class _OtherVersion(sqlite3.DatabaseError):
    """A cache database of another schema: an older or newer postlint wrote it."""


class _InUse(Exception):
    """Another postlint is making or writing the database (pre-commit runs several at once):
    no cache for this run's reading, and nothing deleted."""


def _busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


class Store:
    """The cache database of one folder, for one configuration key.

    Opening never fails the run: a file that is not a database of this schema is replaced
    (``damaged`` says so, for a note) and a folder that cannot be written leaves a store that
    keeps nothing (``usable`` is false)."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.file = folder / FILE_NAME
        self.damaged = False
        self.failed = False  # a write failed: the run says it could not write the cache
        self.db: sqlite3.Connection | None = None
        self._pending: list[tuple[Any, ...]] = []
        try:
            self.db = self._open()
        except _OtherVersion:  # written by another release of postlint: replaced, no note
            self.db = self._replace()
        except sqlite3.DatabaseError:
            self.damaged = True
            self.db = self._replace()
        except (_InUse, OSError):
            self.db = None

    def _open(self) -> sqlite3.Connection | None:
        if not self.file.exists():
            return None  # made on the first write
        db = sqlite3.connect(self.file, timeout=10, isolation_level=None)
        try:
            if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise _InUse("no tables yet: being made")  # _create makes them in one go
            version = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if version is None:
                raise sqlite3.DatabaseError("no schema")
            if version[0] != str(SCHEMA):
                raise _OtherVersion(str(version[0]))
            db.execute("SELECT key, path, digest, mode FROM files LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            db.close()
            if _busy(exc):
                raise _InUse(str(exc)) from None
            raise
        except _InUse:
            db.close()
            raise
        return db

    def _replace(self) -> sqlite3.Connection | None:
        try:
            self.file.unlink(missing_ok=True)
        except OSError:
            return None
        return None  # made again on the first write

    def _create(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")
        db = sqlite3.connect(self.file, timeout=10, isolation_level=None)
        # tables and schema in one transaction: another run never sees a half-made database
        db.executescript(
            f"BEGIN IMMEDIATE;{_TABLES}"
            f"INSERT OR REPLACE INTO meta VALUES ('schema', '{SCHEMA}');COMMIT;"
        )
        for old in self.folder.glob("results-*.pickle"):  # the old format: never read
            old.unlink(missing_ok=True)
        return db

    # -- reading

    def index(self) -> dict[str, Entry]:
        """Every file kept for this key, without its parts."""
        if self.db is None:
            return {}
        try:
            rows = self.db.execute(
                "SELECT path, digest, mode, site, errors IS NOT NULL FROM files WHERE key = ?",
                (self.key,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._damage(exc)
            return {}
        return {row[0]: Entry(row[1], row[2], row[3], bool(row[4])) for row in rows}

    def parts(self, paths: Sequence[str], columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """(path, *columns) of the given files, in batches (SQLite limits a query's values)."""
        if self.db is None or not paths:
            return
        assert all(column in PARTS for column in columns)
        wanted = ", ".join(("path", *columns))
        try:
            for start in range(0, len(paths), 500):
                batch = paths[start : start + 500]
                marks = ", ".join("?" * len(batch))
                yield from self.db.execute(
                    f"SELECT {wanted} FROM files WHERE key = ? AND path IN ({marks})",
                    (self.key, *batch),
                )
        except sqlite3.DatabaseError as exc:
            self._damage(exc)

    def site(self) -> SiteRecord | None:
        """The last site phase's verdict for this key (its findings are read when asked)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT digest, observed, errors FROM sites WHERE key = ?", (self.key,)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._damage(exc)
            return None
        return SiteRecord(*row) if row is not None else None

    def site_findings(self, column: str) -> str:
        """The site record's findings on the run's files (``diagnostics``) or on other files
        (``beside``), as one JSON object by path."""
        assert column in ("diagnostics", "beside")
        if self.db is None:  # closed since the record was read (busy)
            raise Damaged("the cache is not open")
        try:
            row = self.db.execute(f"SELECT {column} FROM sites WHERE key = ?", (self.key,))
            found = row.fetchone()
        except sqlite3.DatabaseError as exc:
            self._damage(exc)
            found = None
        if found is None:
            raise Damaged("the site record is gone")
        return str(found[0])

    def _damage(self, exc: sqlite3.Error | None = None) -> None:
        """Stop reading the database; delete it unless it was only busy (another run writing
        it for longer than the timeout: no cache this run, the file is theirs)."""
        if self.db is not None:
            self.db.close()
        if exc is not None and _busy(exc):
            self.db = None
            return
        self.damaged = True
        self.db = self._replace()

    # -- writing (kept until ``save``, written in one transaction)

    def put(self, path: str, digest: str, mode: int, parts: dict[str, str | None]) -> None:
        values = tuple(parts.get(column) for column in PARTS)
        self._pending.append(("file", path, digest, mode, *values))

    def put_final(self, path: str, site: str, final: str) -> None:
        self._pending.append(("final", path, site, final))

    def put_site(
        self, digest: str, observed: str, diagnostics: str, beside: str, errors: str
    ) -> None:
        self._pending.append(("site", digest, observed, diagnostics, beside, errors))

    def drop_site(self) -> None:
        self._pending.append(("nosite",))

    def save(self) -> bool:
        """Write what was put; False when the cache could not be written (said in a note)."""
        if not self._pending and self.db is not None:
            return self._touch()
        try:
            if self.db is None:
                self.db = self._create()
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                for item in self._pending:
                    kind, *values = item
                    if kind == "file":
                        db.execute(
                            "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                            (self.key, *values),
                        )
                    elif kind == "final":
                        path, site, final = values
                        db.execute(
                            "UPDATE files SET site = ?, final = ? WHERE key = ? AND path = ?",
                            (site, final, self.key, path),
                        )
                    elif kind == "site":
                        db.execute(
                            "INSERT OR REPLACE INTO sites VALUES (?,?,?,?,?,?)", (self.key, *values)
                        )
                    else:
                        db.execute("DELETE FROM sites WHERE key = ?", (self.key,))
                self._prune(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except (OSError, sqlite3.Error):
            return False
        finally:
            self._pending = []
        return True

    def _touch(self) -> bool:
        """Mark the key as used (a run that wrote nothing still keeps its configuration)."""
        assert self.db is not None
        try:
            self.db.execute("INSERT OR REPLACE INTO keys VALUES (?, ?)", (self.key, time.time()))
        except sqlite3.Error:
            return False
        return True

    def _prune(self, db: sqlite3.Connection) -> None:
        db.execute("INSERT OR REPLACE INTO keys VALUES (?, ?)", (self.key, time.time()))
        stale = [
            key
            for (key,) in db.execute(
                "SELECT key FROM keys ORDER BY used DESC LIMIT -1 OFFSET ?", (KEEP_KEYS,)
            )
        ]
        for key in stale:
            db.execute("DELETE FROM files WHERE key = ?", (key,))
            db.execute("DELETE FROM sites WHERE key = ?", (key,))
            db.execute("DELETE FROM keys WHERE key = ?", (key,))

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
