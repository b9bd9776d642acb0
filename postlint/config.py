"""Configuration: found from the checked path upward, validated strictly, with clear errors.

``postlint.toml``, ``.postlint.toml`` or ``[tool.postlint]`` in ``pyproject.toml``. Keys are
kebab-case. Each family of checks declares its options; a family's table is validated against
them when the file is loaded (types, ranges, regular expressions, files that must exist), so a
typo or a bad value is an error that names the file, the line and what is expected, and rules
trust their options. Rule names are checked against every known rule, code and family.

``extend = "base.toml"`` reads a base first: the extending file's keys win, tables are merged key
by key, and ``extend-*`` keys add to a list instead of replacing it.

Each file is judged by its nearest configuration (``postlint.project``); glob patterns
(``exclude``, ``per-file-ignores``) are matched from the folder of the file that is in effect
(the extending one), with git's rules (``postlint.globs``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import tomli

from postlint.globs import Globs
from postlint.model import SEVERITIES, Severity
from postlint.registry import Catalogue
from postlint.rule import Family, Option
from postlint.tomlkeys import key_offsets

CONFIG_FILES = ("postlint.toml", ".postlint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem, worded for the person who wrote the file."""


@dataclass(frozen=True)
class Config:
    """The validated configuration of one run."""

    path: Path | None = None  # the file it came from, None for defaults
    select: tuple[str, ...] | None = None  # None: every rule that is on by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: str = "error"
    min_severity: str = "info"  # the lowest severity reports show (and fail-on sees)
    packs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True  # files a .gitignore names are not checked
    baseline: str | None = None  # a baseline file (absolute, or relative to the working folder)
    docs_url: str | None = None  # where rule pages live: a base URL, or a template with {name}
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # family -> options
    severity: Mapping[str, Severity] = field(default_factory=dict)  # selector -> severity

    @property
    def root(self) -> Path:
        """The folder relative paths in the configuration are resolved against."""
        return self.path.parent if self.path else Path.cwd()

    @cached_property
    def excluded(self) -> Globs:
        """``exclude`` as a matcher, from the configuration's folder."""
        return Globs(self.exclude, self.root)

    @cached_property
    def per_file_globs(self) -> tuple[tuple[Globs, tuple[str, ...]], ...]:
        """``per-file-ignores``: each pattern as a matcher, with the rules it ignores."""
        ignores = self.per_file_ignores.items()
        return tuple((Globs((pattern,), self.root), rules) for pattern, rules in ignores)

    def options(self, family: Family) -> dict[str, Any]:
        """The family's options: its defaults overlaid with what the configuration sets."""
        return {**family.defaults(), **self.tables.get(family.name, {})}

    def fingerprint(self, aside: Mapping[str, Iterable[str]] | None = None) -> str:
        """A digest of everything that changes results, for the cache key; ``aside`` names the
        options (table -> keys) that do not."""
        tables = {}
        for name, table in self.tables.items():
            if isinstance(table, dict):
                table = {k: v for k, v in table.items() if k not in (aside or {}).get(name, ())}
            if table:  # an empty table says what no table says
                tables[name] = table
        data = {
            "select": self.select,
            "extend_select": self.extend_select,
            "ignore": self.ignore,
            "per_file_ignores": dict(self.per_file_ignores),
            "packs": self.packs,
            "tables": tables,
            "severity": dict(self.severity),
            "docs_url": self.docs_url,  # diagnostics carry their rule's URL
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


TOP_LEVEL = {
    "extend": "a configuration file to read first; this file's keys win over its",
    "select": "rules to run (codes, code prefixes, names or families; default: every default rule)",
    "extend-select": "rules to run in addition to the selected ones",
    "ignore": "rules never to run",
    "extend-ignore": "more rules never to run, added to `ignore` (and to the base's)",
    "per-file-ignores": "glob -> rules to ignore in matching files",
    "severity": "rule -> the severity its findings get: error, warning or info",
    "fail-on": "lowest severity that fails the run: error, warning, info or never",
    "min-severity": "lowest severity reports show: error, warning or info (default)",
    "packs": "extra rule packs (TOML files) to load",
    "extend-packs": "more rule packs, added to `packs` (and to the base's)",
    "exclude": "glob patterns of files never to check",
    "extend-exclude": "more patterns, added to `exclude` (and to the base's)",
    "respect-gitignore": "whether files that .gitignore files name are left out (default: true)",
    "baseline": "a baseline file (`postlint baseline`): its findings are not reported",
    "docs-url": "where the rule pages live: a base URL, or a template with {name}",
}
_SELECTOR_LISTS = ("select", "extend-select", "ignore", "extend-ignore")
_ELEMENT = re.compile(r"\[\d+\]$")


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` upward."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        found = config_in(directory)
        if found is not None:
            return found
    return None


def config_in(folder: Path) -> Path | None:
    """The configuration file in ``folder`` itself, if there is one."""
    for name in CONFIG_FILES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomli.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "postlint" in data["tool"]


def read_toml(path: Path, what: str) -> tuple[str, dict[str, Any]]:
    """A TOML file's text and data, or a ConfigError that names the file and the line.

    ``what`` names the file for the reader: "the configuration", "the site configuration"."""
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: cannot read {what}: it is not UTF-8 text") from None
    try:
        return text, tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        reason = str(getattr(exc, "msg", None) or exc)
        place = f"{shown}:{line}" if line else shown
        at = f" (column {column})" if line and column else ""
        reason = reason[:1].lower() + reason[1:]
        raise ConfigError(f"{place}: {what} is not valid TOML: {reason}{at}.") from None


def shown_path(path: Path) -> str:
    """A path as the user sees it: relative to the working directory when inside it."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_config(path: Path | None, families: Sequence[Family]) -> Config:
    """Read and validate a configuration file and the files it extends (None: the defaults)."""
    if path is None:
        return Config()
    return _build(_chain(_read_source(path)), families, path)


def config_packs(path: Path | None) -> tuple[str, ...]:
    """The rule packs a configuration file (with its bases) names, as absolute paths.

    Packs are families, so they are read before the rest of the file can be validated."""
    if path is None:
        return ()
    packs: tuple[str, ...] = ()
    for source in _chain(_read_source(path)):
        data = source.data
        if "packs" in data:
            packs = ()
        packs += _list(source, "packs") + _list(source, "extend-packs")
    return packs


def parse_config(
    data: Mapping[str, Any],
    families: Sequence[Family],
    path: Path | None = None,
    text: str = "",
    prefix: str = "",
) -> Config:
    """Validate configuration data (as tomli returns it) against the known families."""
    source = _Source(path, text, prefix, data)
    return _build(_chain(source), families, path)


# ---------------------------------------------------------------------------------------------
# Reading the files


@dataclass(frozen=True)
class _Source:
    """One configuration document: a file of an ``extend`` chain, or data given directly."""

    path: Path | None
    text: str
    prefix: str  # "tool.postlint." in pyproject.toml
    data: Mapping[str, Any]

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @cached_property
    def offsets(self) -> dict[str, tuple[int, int]]:
        return key_offsets(self.text)

    def where(self, dotted: str) -> str:
        """``file:line`` of a dotted key, for error messages."""
        if self.path is None:
            return "configuration"
        offsets = self.offsets
        full = self.prefix + dotted
        while full and full not in offsets:  # an element, else its key, else its table
            element = _ELEMENT.search(full)
            full = full[: element.start()] if element else full.rpartition(".")[0]
        shown = shown_path(self.path)
        if not full:
            return shown
        return f"{shown}:{self.text.count(chr(10), 0, offsets[full][0]) + 1}"

    def fail(self, dotted: str, message: str) -> ConfigError:
        return ConfigError(f"{self.where(dotted)}: {message}")


def _read_source(path: Path) -> _Source:
    text, data = read_toml(path, "the configuration")
    prefix = ""
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("postlint", {}) if isinstance(tool, dict) else {}
        prefix = "tool.postlint."
    return _Source(path, text, prefix, data)


def _chain(first: _Source) -> list[_Source]:
    """The documents to merge, the furthest base first."""
    chain = [first]
    seen = [first.path.resolve()] if first.path else []
    source = first
    while "extend" in source.data:
        value = source.data["extend"]
        if not isinstance(value, str) or not value:
            raise source.fail(
                "extend", f"`extend` must be the path of a configuration file (got {value!r})."
            )
        base = (source.folder / value).resolve()
        if base in seen:
            cycle = " -> ".join(shown_path(p) for p in [*seen[seen.index(base) :], base])
            raise source.fail("extend", f"`extend` makes a cycle: {cycle}.")
        if not base.is_file():
            raise source.fail("extend", f"`extend` names {_missing(value, base)}.")
        seen.append(base)
        source = _read_source(base)
        chain.append(source)
    return chain[::-1]


# ---------------------------------------------------------------------------------------------
# Validating and merging


def _build(chain: Sequence[_Source], families: Sequence[Family], path: Path | None) -> Config:
    known = Catalogue(tuple(families))
    tables = {family.name: family for family in families}
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    lists: dict[str, tuple[str, ...]] = {"ignore": (), "packs": (), "exclude": ()}
    fail_on = "error"
    min_severity = "info"
    respect_gitignore = True
    per_file: dict[str, tuple[str, ...]] = {}
    severity: dict[str, Severity] = {}
    options: dict[str, dict[str, Any]] = {}
    strings: dict[str, str] = {}  # baseline, docs-url
    for source in chain:
        data = source.data
        for key, value in data.items():
            if key in tables:
                if not isinstance(value, dict):
                    raise source.fail(key, f"`{key}` must be a table ([{key}]).")
            elif key not in TOP_LEVEL:
                hint = _did_you_mean(key, [*TOP_LEVEL, *tables])
                raise source.fail(key, f"unknown key `{key}`{hint}.")
        for key in _SELECTOR_LISTS:
            if key in data:
                _known_rules(source, key, _list(source, key), known, f"`{key}`")
        if "select" in data:
            select = _list(source, "select")
            extend_select = ()  # the file says exactly what to run
        extend_select += _list(source, "extend-select")
        for key in lists:  # a key replaces the base's list, its extend- form adds to it
            if key in data:
                lists[key] = _list(source, key)
            lists[key] += _list(source, f"extend-{key}")
        if "fail-on" in data:
            fail_on = data["fail-on"]
            if fail_on not in (*SEVERITIES, "never"):
                raise source.fail(
                    "fail-on",
                    f"`fail-on` must be one of error, warning, info, never (got {fail_on!r}).",
                )
        if "min-severity" in data:
            min_severity = data["min-severity"]
            if min_severity not in SEVERITIES:
                raise source.fail(
                    "min-severity",
                    f"`min-severity` must be one of error, warning, info (got {min_severity!r}).",
                )
        if "respect-gitignore" in data:
            respect_gitignore = data["respect-gitignore"]
            if not isinstance(respect_gitignore, bool):
                raise source.fail(
                    "respect-gitignore",
                    f"`respect-gitignore` must be true or false (got {respect_gitignore!r}).",
                )
        for key in ("baseline", "docs-url"):
            if key in data:
                value = data[key]
                if not isinstance(value, str) or not value:
                    raise source.fail(key, f"`{key}` must be a non-empty string (got {value!r}).")
                # a baseline is beside the configuration file that names it
                strings[key] = str(source.folder / value) if key == "baseline" else value
        per_file.update(_per_file_ignores(source, known))
        severity.update(_severities(source, known))
        for name, family in tables.items():
            if name in data:
                merged = options.setdefault(name, {})
                _family_options(family, data[name], source, merged)
    return Config(
        path=path,
        select=select,
        extend_select=extend_select,
        ignore=lists["ignore"],
        per_file_ignores=per_file,
        fail_on=fail_on,
        min_severity=min_severity,
        packs=lists["packs"],
        exclude=lists["exclude"],
        respect_gitignore=respect_gitignore,
        baseline=strings.get("baseline"),
        docs_url=strings.get("docs-url"),
        tables=options,
        severity=severity,
    )


def _known_rules(
    source: _Source, dotted: str, selectors: Sequence[str], known: Catalogue, where: str
) -> None:
    """A ConfigError at the first selector that names no rule, code, prefix or family."""
    for index, selector in enumerate(selectors):
        if known.unknown_selectors([selector]):
            raise source.fail(
                f"{dotted}[{index}]",
                f"unknown rule `{selector}` in {where}{known.did_you_mean(selector)}.",
            )


def _per_file_ignores(source: _Source, known: Catalogue) -> dict[str, tuple[str, ...]]:
    raw = source.data.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        raise source.fail("per-file-ignores", "`per-file-ignores` must be a table.")
    result = {}
    for pattern, rules in raw.items():
        dotted = f"per-file-ignores.{pattern}"
        selectors = _strings(source, dotted, rules, f"per-file-ignores.{pattern!r}")
        _known_rules(source, dotted, selectors, known, f"`per-file-ignores` for `{pattern}`")
        result[pattern] = selectors
    return result


def _severities(source: _Source, known: Catalogue) -> dict[str, Severity]:
    raw = source.data.get("severity", {})
    if not isinstance(raw, dict):
        raise source.fail("severity", "`severity` must be a table ([severity]).")
    result: dict[str, Severity] = {}
    for selector, value in raw.items():
        dotted = f"severity.{selector}"
        if known.unknown_selectors([selector]):
            raise source.fail(
                dotted,
                f"unknown rule `{selector}` in [severity]{known.did_you_mean(selector)}.",
            )
        if value not in SEVERITIES:
            raise source.fail(
                dotted, f"`severity.{selector}` must be error, warning or info (got {value!r})."
            )
        result[selector] = value
    return result


def _family_options(
    family: Family, table: Mapping[str, Any], source: _Source, merged: dict[str, Any]
) -> None:
    """Validate one file's ``[family]`` table into ``merged`` (what the bases set): a key
    replaces the value, ``extend-KEY`` adds to a list (to the base's value, else the default)."""
    known = {option.name: option for option in family.options}
    lists = {f"extend-{o.name}": o for o in family.options if o.kind is list}
    for key, value in table.items():
        dotted = f"{family.name}.{key}"
        option = known.get(key) or lists.get(key)
        if option is None:
            hint = _did_you_mean(key, [*known, *lists]) or (
                f" ([{family.name}] takes: {', '.join(sorted(known))})" if known else ""
            )
            raise source.fail(dotted, f"unknown key `{key}` in [{family.name}]{hint}.")
        checked = check_value(option, value, dotted, source.where)
        if option.path and isinstance(checked, str):
            checked = _files(source, dotted, (checked,))[0] if checked else checked
        elif option.path:
            checked = _files(source, dotted, checked)
        if key in known:
            merged[key] = checked
        else:
            merged[option.name] = tuple(merged.get(option.name, option.default)) + checked


def _files(source: _Source, dotted: str, names: Sequence[str]) -> tuple[str, ...]:
    """Files named relative to the configuration file that names them (a base's packs and
    vocabulary stay beside the base), checked to exist and made absolute."""
    if source.path is None:
        return tuple(names)
    resolved = []
    for index, name in enumerate(names):
        path = source.folder / name
        if not path.is_file():
            raise source.fail(f"{dotted}[{index}]", f"`{dotted}` names {_missing(name, path)}.")
        resolved.append(str(path))
    return tuple(resolved)


def check_value(option: Option, value: Any, dotted: str, where: Any = None) -> Any:
    """The value if it has the option's type and passes its checks, else a ConfigError that
    says what is expected."""
    kind = option.kind

    def fail(expected: str, sep: str = "") -> ConfigError:
        return ConfigError(f"{where(dotted) if where else dotted}: `{dotted}`{sep} {expected}.")

    if isinstance(kind, tuple):
        if value in kind:
            return value
        raise fail(f"must be one of {', '.join(map(repr, kind))} (got {value!r})")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is list:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"must be a list of strings (got {value!r})")
        value = tuple(value)
    elif kind in (int, float) and isinstance(value, bool):
        raise fail(f"must be a number (got {value!r})")
    elif not isinstance(value, kind):
        raise fail(f"must be {_KIND_NAMES.get(kind, kind.__name__)} (got {value!r})")
    if option.minimum is not None and value < option.minimum:
        least = int(option.minimum) if float(option.minimum).is_integer() else option.minimum
        raise fail(f"must be at least {least} (got {value!r})")
    if option.validate is not None:
        try:
            value = option.validate(value)
        except ValueError as exc:
            raise fail(str(exc).rstrip("."), ":") from None
    return value


_KIND_NAMES = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
    dict: "a table",
}


def _list(source: _Source, key: str) -> tuple[str, ...]:
    """A top-level list (empty when the file does not set it); packs are files."""
    if key not in source.data:
        return ()
    strings = _strings(source, key, source.data[key], key)
    return _files(source, key, strings) if key.endswith("packs") else strings


def _strings(source: _Source, dotted: str, value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        example = f' (write `{name} = ["{value}"]`)' if isinstance(value, str) else ""
        raise source.fail(dotted, f"`{name}` must be a list of strings (got {value!r}){example}.")
    return tuple(value)


def _missing(name: str, path: Path) -> str:
    """```x.toml`, which does not exist`` (with the path it was looked for at, when that says
    more than the name)."""
    problem = "which is a folder, not a file" if path.is_dir() else "which does not exist"
    shown = shown_path(path)
    return f"`{name}`, {problem}" + (f" ({shown})" if shown != name else "")


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    matches = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""


# ---------------------------------------------------------------------------------------------
# Checks that options share (``Option(validate=...)``)


def positive(value: float) -> float:
    """A number of seconds or things that must be more than zero."""
    if value <= 0:
        raise ValueError(f"must be more than 0 (got {value!r})")
    return value


def regular_expressions(patterns: Sequence[str]) -> tuple[str, ...]:
    """Patterns that must compile (Python's ``re`` syntax)."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"`{pattern}` is not a regular expression: {exc}") from None
    return tuple(patterns)


def severity_at_least(severity: Severity, threshold: str) -> bool:
    if threshold == "never":
        return False
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)  # type: ignore[arg-type,unused-ignore]
