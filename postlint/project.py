"""The configurations of a site: each file is judged by its nearest configuration.

A file's configuration is the nearest ``postlint.toml``, ``.postlint.toml`` or ``pyproject.toml``
with ``[tool.postlint]`` from the file's folder upward, whichever files the run names (``--config``
names one for every file instead). A nested configuration stands alone unless it ``extend``s
another, as in ruff. The project keeps one ``Linter`` per configuration; they share the run's
notes and services, and the engine asks the project (its ``Layout``) which of them judges each
file and which files are left out, so a post gets the same findings whether a run names it
alone (pre-commit, an editor) or the whole site (CI).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from postlint.config import (
    Config,
    config_in,
    config_packs,
    load_config,
    shown_path,
)
from postlint.engine import Linter, RunResult, UsageError, display_path
from postlint.files import GitIgnores, markdown_files
from postlint.packs import load_pack_files, shipped_families
from postlint.registry import Catalogue, RegistryError, check_unique, load_families
from postlint.rule import Rule
from postlint.services import Notes, Services
from postlint.site import detect_site

ConfigArg = Config | str | os.PathLike[str] | None
Adjust = Callable[[Config], Config]


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


def load_file(path: Path | None) -> tuple[Config, Catalogue]:
    """A configuration file and the rules it can name, in two steps: its ``packs`` are families,
    so they are read first; then the whole file is validated against every family."""
    known = catalogue(Config(path=path, packs=config_packs(path)))
    return load_config(path, known.families), known


class Project:
    """The configurations that judge the files of one site, each loaded once, with one
    ``Linter`` each (the engine's ``Layout``).

    ``config`` (a ``Config``, or a file) judges every file instead of the nearest ones;
    ``adjust`` changes each configuration as it is loaded (the command line's ``--select``)."""

    def __init__(
        self,
        site: Path | os.PathLike[str] | str,
        config: ConfigArg = None,
        adjust: Adjust | None = None,
        notes: Notes | None = None,
    ) -> None:
        self.site = detect_site(Path(site))
        self.notes = notes if notes is not None else Notes()
        self.adjust: Adjust = adjust or (lambda config: config)
        self._linters: dict[Path | None, Linter] = {}
        self._nearest: dict[str, Path | None] = {}
        self._routes: dict[str, Linter] = {}
        self._excluded: dict[str, str | None] = {}
        self._gitignores: GitIgnores | None = None
        self.fixed: Linter | None = None
        self.checked: list[Path] = []  # the files the last ``check`` linted
        if isinstance(config, Config):
            fixed: tuple[Config, Catalogue] | None = (config, catalogue(config))
        elif config is not None:
            fixed = load_file(Path(config))
        else:
            fixed = None
        path = fixed[0].path if fixed else self.nearest(str(self.site.root))
        root = path.parent if path is not None else self.site.root
        self.services = Services(self.notes, root)
        if fixed is not None:
            self.fixed = self._linter(None, fixed)
        self.primary = self.fixed or self.linter_at(path)

    # -- which configuration judges a file -------------------------------------------------

    def nearest(self, folder: str) -> Path | None:
        """The configuration file nearest to ``folder`` (an absolute path), upward."""
        if folder not in self._nearest:
            own = config_in(Path(folder))
            parent = os.path.dirname(folder)
            self._nearest[folder] = own if own or parent == folder else self.nearest(parent)
        return self._nearest[folder]

    def linter(self, path: str | os.PathLike[str]) -> Linter:
        """The linter of the file at ``path`` (relative to the working folder, or absolute)."""
        key = str(path)
        found = self._routes.get(key)
        if found is None:
            full = os.path.abspath(path)
            folder = full if os.path.isdir(full) else os.path.dirname(full)
            found = self.fixed or self.linter_at(self.nearest(folder))
            self._routes[key] = found
        return found

    def config(self, path: str | os.PathLike[str]) -> Config:
        """The configuration that judges the file at ``path``, as every kind of run uses it."""
        return self.linter(path).config

    def linter_at(self, path: Path | None) -> Linter:
        """The linter of the configuration file ``path`` (None: the defaults)."""
        if path not in self._linters:
            self._linter(path, load_file(path))
        return self._linters[path]

    def _linter(self, path: Path | None, loaded: tuple[Config, Catalogue]) -> Linter:
        config, known = loaded
        linter = Linter(self.adjust(config), known, self.site, self.notes, self, self.services)
        self._linters[path] = linter
        return linter

    def linters(self) -> list[Linter]:
        """Every configuration loaded so far (for a run: those that judged its files)."""
        return list(self._linters.values())

    def rules(self) -> tuple[type[Rule], ...]:
        """Every rule the loaded configurations know (their own packs included)."""
        found: dict[str, type[Rule]] = {}
        for linter in self.linters():
            for rule in linter.catalogue.rules:
                found.setdefault(rule.name, rule)
        return tuple(found.values())

    # -- which files are left out ----------------------------------------------------------

    def excluded(self, source: Path) -> bool:
        return self.why_excluded(source) is not None

    def why_excluded(self, source: Path | str) -> str | None:
        """Why the file is left out of linting, or None: a ``.gitignore`` (unless its
        configuration sets ``respect-gitignore = false``), or the ``exclude`` of its configuration
        or of one in a folder above (an outer project's ``exclude`` covers a nested one)."""
        key = os.path.abspath(source)
        if key not in self._excluded:
            self._excluded[key] = self._why(key)
        return self._excluded[key]

    def _why(self, source: str) -> str | None:
        if self.linter(source).config.respect_gitignore and self.gitignores.ignored(source):
            return "a .gitignore names it"
        for config in self._governing(source):
            if config.excluded.matches(source):
                where = f" in {shown_path(config.path)}" if config.path else ""
                return f"`exclude`{where} leaves it out"
        return None

    def _governing(self, source: str) -> Iterator[Config]:
        if self.fixed is not None:
            yield self.fixed.config
            return
        path = self.nearest(os.path.dirname(source))
        while path is not None:
            yield self.linter_at(path).config
            folder = str(path.parent)
            above = os.path.dirname(folder)
            path = None if above == folder else self.nearest(above)

    @property
    def gitignores(self) -> GitIgnores:
        if self._gitignores is None:
            self._gitignores = GitIgnores(self.site.root)
        return self._gitignores

    def files(self, paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
        """The Markdown files to check (named files as given, folders walked) and the named
        files that are left out, each once; a path that does not exist is a ``UsageError``."""
        files: list[Path] = []
        skipped: list[Path] = []
        for path in paths:
            if not path.exists() and not path.is_symlink():
                raise UsageError(f"{path}: no such file or directory")
            if path.is_dir():
                files.extend(markdown_files(path, self.excluded))
            elif self.excluded(path):
                skipped.append(path)
            else:
                files.append(path)
        return _unique(files), _unique(skipped)

    # -- runs ------------------------------------------------------------------------------

    def check(
        self, paths: Sequence[Path], jobs: int | None = None, cache_dir: Path | None = None
    ) -> RunResult:
        """Lint the files under ``paths``, each with its own configuration, against the site."""
        files, skipped = self.files(paths)
        self.checked = files
        note = skipped_note(skipped, self)
        if note:
            self.notes.note(note)
        result = self.primary.run(files, jobs=jobs, cache_dir=cache_dir)
        if note:
            result.notes.insert(0, note)
        return result

    def check_text(self, text: str, path: str | None = None) -> RunResult:
        """Lint a post given as text, placed at ``path`` (judged by that place's configuration,
        and by nothing when the configuration leaves that place out)."""
        if path is not None and self.excluded(Path(path)):
            return RunResult([], 0, [], [])
        return self.primary.run_text(text, path)


def skipped_note(skipped: Sequence[Path], project: Project) -> str:
    """One note for the named files a configuration or a .gitignore leaves out."""
    if not skipped:
        return ""
    if len(skipped) == 1:
        return f"skipped {display_path(skipped[0])}: {project.why_excluded(skipped[0])}"
    shown = ", ".join(display_path(path) for path in skipped[:3])
    more = ", ..." if len(skipped) > 3 else ""
    return f"skipped {len(skipped)} files that `exclude` or a .gitignore leaves out ({shown}{more})"


def _unique(files: list[Path]) -> list[Path]:
    seen: set[str] = set()
    unique = []
    for file in files:
        key = os.path.abspath(file)
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique
