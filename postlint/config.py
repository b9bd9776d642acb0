"""Configuration: found from the checked path upward, validated strictly, with clear errors.

``postlint.toml``, ``.postlint.toml`` or ``[tool.postlint]`` in ``pyproject.toml``. Keys are
kebab-case. Each family of checks declares its options; a family's table is validated against
them, so a typo in any key is an error that names the file, the line and the nearest valid key.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli

from postlint.model import SEVERITIES, Severity
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
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # family -> options

    @property
    def root(self) -> Path:
        """The folder relative paths in the configuration are resolved against."""
        return self.path.parent if self.path else Path.cwd()

    def options(self, family: Family) -> dict[str, Any]:
        """The family's options: its defaults overlaid with what the configuration sets."""
        return {**family.defaults(), **self.tables.get(family.name, {})}

    def fingerprint(self) -> str:
        """A digest of everything that changes results, for the cache key."""
        data = {
            "select": self.select,
            "extend_select": self.extend_select,
            "ignore": self.ignore,
            "per_file_ignores": dict(self.per_file_ignores),
            "packs": self.packs,
            "tables": self.tables,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


TOP_LEVEL = {
    "select": "rules to run (codes, code prefixes or names; default: every default rule)",
    "extend-select": "rules to run in addition to the defaults",
    "ignore": "rules never to run",
    "per-file-ignores": "glob -> rules to ignore in matching files",
    "fail-on": "lowest severity that fails the run: error, warning, info or never",
    "min-severity": "lowest severity reports show: error, warning or info (default)",
    "packs": "extra rule packs (TOML files) to load",
    "exclude": "glob patterns of files never to check",
}


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` upward."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomli.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "postlint" in data["tool"]


def load_config(path: Path | None, families: Sequence[Family]) -> Config:
    """Read and validate a configuration file (None gives the defaults)."""
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: the configuration is not valid TOML: {exc}") from None
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("postlint", {})
        prefix = "tool.postlint."
    return parse_config(data, families, path, text, prefix)


def parse_config(
    data: Mapping[str, Any],
    families: Sequence[Family],
    path: Path | None = None,
    text: str = "",
    prefix: str = "",
) -> Config:
    """Validate configuration data (as tomli returns it) against the known families."""
    where = _Locator(path, text, prefix)
    tables = {family.name: family for family in families}
    values: dict[str, Any] = {}
    options: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in tables:
            if not isinstance(value, dict):
                raise ConfigError(f"{where(key)}: `{key}` must be a table ([{key}]).")
            options[key] = _family_options(tables[key], value, where)
        elif key in TOP_LEVEL:
            values[key] = value
        else:
            known = [*TOP_LEVEL, *tables]
            raise ConfigError(f"{where(key)}: unknown key `{key}`{_did_you_mean(key, known)}.")
    fail_on = values.get("fail-on", "error")
    if fail_on not in (*SEVERITIES, "never"):
        raise ConfigError(
            f"{where('fail-on')}: `fail-on` must be one of error, warning, info, never "
            f"(got {fail_on!r})."
        )
    min_severity = values.get("min-severity", "info")
    if min_severity not in SEVERITIES:
        raise ConfigError(
            f"{where('min-severity')}: `min-severity` must be one of error, warning, info "
            f"(got {min_severity!r})."
        )
    per_file: dict[str, tuple[str, ...]] = {}
    raw_per_file = values.get("per-file-ignores", {})
    if not isinstance(raw_per_file, dict):
        raise ConfigError(f"{where('per-file-ignores')}: `per-file-ignores` must be a table.")
    for pattern, rules in raw_per_file.items():
        per_file[pattern] = _strings(rules, f"per-file-ignores.{pattern}", where)
    select = values.get("select")
    return Config(
        path=path,
        select=_strings(select, "select", where) if select is not None else None,
        extend_select=_strings(values.get("extend-select", []), "extend-select", where),
        ignore=_strings(values.get("ignore", []), "ignore", where),
        per_file_ignores=per_file,
        fail_on=fail_on,
        min_severity=min_severity,
        packs=_strings(values.get("packs", []), "packs", where),
        exclude=_strings(values.get("exclude", []), "exclude", where),
        tables=options,
    )


def _family_options(family: Family, table: Mapping[str, Any], where: _Locator) -> dict[str, Any]:
    known = {option.name: option for option in family.options}
    result: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{family.name}.{key}"
        option = known.get(key)
        if option is None:
            hint = _did_you_mean(key, list(known)) or (
                f" ([{family.name}] takes: {', '.join(sorted(known))})" if known else ""
            )
            raise ConfigError(f"{where(dotted)}: unknown key `{key}` in [{family.name}]{hint}.")
        result[key] = check_value(option, value, dotted, where)
    return result


def check_value(option: Option, value: Any, dotted: str, where: Any = None) -> Any:
    """The value if it has the option's type, else a ConfigError that says what is expected."""
    kind = option.kind
    located = where(dotted) if where else dotted
    if isinstance(kind, tuple):
        if value in kind:
            return value
        expected = ", ".join(map(repr, kind))
        raise ConfigError(f"{located}: `{dotted}` must be one of {expected} (got {value!r}).")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is list:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise ConfigError(f"{located}: `{dotted}` must be a list of strings (got {value!r}).")
    if kind in (int, float) and isinstance(value, bool):
        raise ConfigError(f"{located}: `{dotted}` must be a number (got {value!r}).")
    if not isinstance(value, kind):
        raise ConfigError(
            f"{located}: `{dotted}` must be {_KIND_NAMES.get(kind, kind.__name__)} (got {value!r})."
        )
    return value


_KIND_NAMES = {
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
    dict: "a table",
}


def _strings(value: Any, key: str, where: _Locator) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where(key)}: `{key}` must be a list of strings (got {value!r}).")
    return tuple(value)


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    matches = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""


class _Locator:
    """Turns a dotted key into ``file:line`` for error messages."""

    def __init__(self, path: Path | None, text: str, prefix: str) -> None:
        self.path = path
        self.text = text
        self.prefix = prefix
        self._offsets: dict[str, tuple[int, int]] | None = None

    def __call__(self, dotted: str) -> str:
        if self.path is None:
            return "configuration"
        if self._offsets is None:
            self._offsets = key_offsets(self.text)
        full = self.prefix + dotted
        while full and full not in self._offsets:
            full = full.rpartition(".")[0]
        if not full:
            return str(self.path)
        line = self.text.count("\n", 0, self._offsets[full][0]) + 1
        return f"{self.path}:{line}"


def severity_at_least(severity: Severity, threshold: str) -> bool:
    if threshold == "never":
        return False
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)  # type: ignore[arg-type,unused-ignore]
