"""The Python API: lint text or paths and get ``Diagnostic`` objects back."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from postlint.config import Config, ConfigError, config_packs, find_config, load_config
from postlint.engine import Linter, RunResult, collect_files
from postlint.model import Diagnostic
from postlint.packs import load_pack_files, shipped_families
from postlint.registry import Catalogue, RegistryError, check_unique, load_families
from postlint.site import detect_site


def catalogue(config: Config | None = None) -> Catalogue:
    """Every installed rule (built-ins, plugins, the rule packs shipped with postlint), plus the
    packs that ``config`` names (``packs = [...]``, relative to its folder). A configured pack
    with the name of a shipped one replaces it."""
    own = load_pack_files(config.packs, config.root, config.path) if config else []
    names = [family.name for family in own]
    for name in names:
        if names.count(name) > 1:
            raise RegistryError(f"two rule packs in the configuration are both called `{name}`")
    # a site's pack called like a shipped one (a tweaked copy of typography.toml) replaces it
    shipped = [family for family in shipped_families() if family.name not in names]
    families = [*load_families(), *shipped, *own]
    check_unique(families)
    return Catalogue(tuple(families))


def load(
    start: Path, config: Config | str | os.PathLike[str] | None = None
) -> tuple[Config, Catalogue]:
    """The configuration and the rules it can name, in two steps: the configuration's ``packs``
    are families, so they are read first; then the whole file is validated against every family."""
    if isinstance(config, Config):
        return config, catalogue(config)
    path = Path(config) if config is not None else find_config(start)
    known = catalogue(Config(path=path, packs=config_packs(path)))
    return load_config(path, known.families), known


def resolve_config(
    start: Path, config: Config | str | os.PathLike[str] | None, known: Catalogue
) -> Config:
    """A Config object as given, a configuration file to load, or the one found from ``start``."""
    if isinstance(config, Config):
        return config
    path = Path(config) if config is not None else find_config(start)
    return load_config(path, known.families)


def make_linter(
    start: Path, config: Config | str | os.PathLike[str] | None = None, **overrides: object
) -> Linter:
    resolved, known = load(start, config)
    return Linter(resolved.with_overrides(**overrides), known, detect_site(start))


def lint_text(
    text: str,
    path: str | None = None,
    config: Config | str | os.PathLike[str] | None = None,
    *,
    select: Sequence[str] | None = None,
) -> list[Diagnostic]:
    """Lint one post given as text; ``path`` places it in a site (for site-aware checks).

    ``select`` runs those rules (names, codes, prefixes or families, as in ``postlint.toml``)
    instead of the configured ones; a selector that names no rule raises ``ConfigError``::

        lint_text("Teh end.", path="content/a.md", select=["spelling", "links"])
    """
    start = Path(path).parent if path else Path.cwd()
    resolved, known = load(start, config)
    chosen = None if select is None else (select,) if isinstance(select, str) else tuple(select)
    unknown = known.unknown_selectors(chosen or ())
    if unknown:
        raise ConfigError(f"select: {known.unknown_message(unknown[0])}")
    linter = Linter(resolved.with_overrides(select=chosen), known, detect_site(start))
    return linter.run_text(text, path).diagnostics


def lint_paths(
    paths: Iterable[str | os.PathLike[str]],
    config: Config | str | os.PathLike[str] | None = None,
    jobs: int | None = 1,
) -> list[Diagnostic]:
    """Lint files and folders (folders are searched for Markdown) and return every diagnostic."""
    return run_paths([Path(p) for p in paths], config, jobs=jobs).diagnostics


def run_paths(
    paths: Sequence[Path],
    config: Config | str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    **overrides: object,
) -> RunResult:
    start = paths[0] if paths else Path.cwd()
    linter = make_linter(start, config, **overrides)
    files = collect_files(paths, linter.site, linter.config.exclude)
    return linter.run(files, jobs=jobs, cache_dir=cache_dir)
