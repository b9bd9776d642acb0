"""The Python API: lint text or paths and get ``Diagnostic`` objects back.

Each file is judged by its nearest configuration (``postlint.project``) unless a ``config`` is
given, which then judges every file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from postlint.config import Config, ConfigError, find_config, load_config
from postlint.engine import Linter, RunResult
from postlint.model import Diagnostic
from postlint.project import Adjust, ConfigArg, Project, catalogue, load_file
from postlint.registry import Catalogue

__all__ = [
    "Project",
    "catalogue",
    "config_for",
    "lint_paths",
    "lint_text",
    "load",
    "make_linter",
    "resolve_config",
    "run_paths",
]


def load(start: Path, config: ConfigArg = None) -> tuple[Config, Catalogue]:
    """The configuration that judges ``start`` (or ``config``) and the rules it can name."""
    if isinstance(config, Config):
        return config, catalogue(config)
    return load_file(Path(config) if config is not None else find_config(start))


def resolve_config(start: Path, config: ConfigArg, known: Catalogue) -> Config:
    """A Config object as given, a configuration file to load, or the one found from ``start``."""
    if isinstance(config, Config):
        return config
    path = Path(config) if config is not None else find_config(start)
    return load_config(path, known.families)


def config_for(path: str | os.PathLike[str], config: ConfigArg = None) -> Config:
    """The configuration that judges the file at ``path``, as every kind of run resolves it
    (the nearest one upward; ``config`` instead, when given). For an editor: a long-lived
    ``Project`` (``Project(path).config(path)``) loads each configuration file once."""
    return Project(path, config).config(path)


def make_linter(start: Path, config: ConfigArg = None, **overrides: object) -> Linter:
    """The linter that judges ``start``, within the project of its site."""
    return Project(start, config, _overrides(overrides)).linter(start)


def lint_text(
    text: str,
    path: str | None = None,
    config: ConfigArg = None,
    *,
    select: Sequence[str] | None = None,
) -> list[Diagnostic]:
    """Lint one post given as text; ``path`` places it in a site (for site-aware checks) and
    picks its configuration, as for a file there (a place the configuration excludes gives
    nothing).

    ``select`` runs those rules (names, codes, prefixes or families, as in ``postlint.toml``)
    instead of the configured ones; a selector that names no rule raises ``ConfigError``::

        lint_text("Teh end.", path="content/a.md", select=["spelling", "links"])
    """
    start = Path(path).parent if path else Path.cwd()
    chosen = None if select is None else (select,) if isinstance(select, str) else tuple(select)
    project = Project(start, config, _overrides({"select": chosen}))
    known = project.linter(path or start / "<text>").catalogue
    unknown = known.unknown_selectors(chosen or ())
    if unknown:
        raise ConfigError(f"select: {known.unknown_message(unknown[0])}")
    return project.check_text(text, path).diagnostics


def lint_paths(
    paths: Iterable[str | os.PathLike[str]],
    config: ConfigArg = None,
    jobs: int | None = 1,
) -> list[Diagnostic]:
    """Lint files and folders (folders are searched for Markdown) and return every diagnostic."""
    return run_paths([Path(p) for p in paths], config, jobs=jobs).diagnostics


def run_paths(
    paths: Sequence[Path],
    config: ConfigArg = None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    **overrides: object,
) -> RunResult:
    project = Project(paths[0] if paths else Path.cwd(), config, _overrides(overrides))
    return project.check(paths, jobs=jobs, cache_dir=cache_dir)


def _overrides(overrides: dict[str, object]) -> Adjust | None:
    if not any(value is not None for value in overrides.values()):
        return None
    return lambda config: config.with_overrides(**overrides)
