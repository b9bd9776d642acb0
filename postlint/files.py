"""The one guarded reader of site files, and the one discovery of what a site holds.

Every read of a file of the site goes through ``read_file``: only regular files are opened
(a FIFO, a socket or a device is refused before it is opened, and the open is non-blocking so a
file swapped for a FIFO meanwhile cannot hang the run), and a symbolic link whose real path is
outside the site is never followed, so a cloned repository cannot make postlint read, or
``--fix`` rewrite, a file elsewhere on the machine. ``discover`` walks the site once and lists
what the generator would see; checks get these lists through the site index, never the disk.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from postlint.globs import Globs
from postlint.index import MARKDOWN_SUFFIXES, PostSummary, SiteFiles, SiteInfo

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_SKIPPED_FOLDERS = ("node_modules",)
THEME_FOLDERS = ("templates", "layouts", "sass", "assets", "themes", "data", "i18n", "config")
THEME_SUFFIXES = (".html", ".css", ".scss", ".sass", ".js", ".toml", ".yaml", ".yml", ".json")
# the generators' configuration files at a site's root (Hugo's folder config/ is a theme folder)
SITE_CONFIGS = tuple(
    f"{n}.{e}" for n in ("config", "zola", "hugo") for e in ("toml", "yaml", "yml", "json")
)


@dataclass(frozen=True)
class Refused:
    """Why a file was not read. A ``note`` is said on stderr and the file is left alone; any
    other refusal becomes a diagnostic on the file (``message`` ends a sentence "This file ...")."""

    message: str
    note: bool


OUTSIDE = Refused(
    "it is a link to a file outside the site, which postlint never reads or changes", note=True
)
SPECIAL = Refused("not a regular file", note=True)


def read_file(path: Path, root: Path | None) -> bytes | Refused:
    """The bytes of a regular file of the site, or why it was not read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            return Refused(
                f"cannot be read: it is a symbolic link to `{target}`, which does not exist", False
            )
        return Refused("cannot be read: it does not exist", False)
    except OSError as exc:
        return Refused(f"cannot be read: {exc.strerror}", False)
    if not stat.S_ISREG(info.st_mode):
        return SPECIAL
    if root is not None and escapes(path, root):
        return OUTSIDE
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return Refused(f"cannot be read: {exc.strerror}", False)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the check above
            return SPECIAL
        chunks = []
        while chunk := os.read(fd, max(info.st_size + 1, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return Refused(f"cannot be read: {exc.strerror}", False)
    finally:
        os.close(fd)


def read_text(path: Path, root: Path | None) -> str | None:
    """A site file's text (undecodable bytes replaced), or None when it is not read."""
    data = read_file(path, root)
    return None if isinstance(data, Refused) else data.decode("utf-8", errors="replace")


def escapes(path: Path | str, root: Path) -> bool:
    """Whether ``path``, named inside the site, really lives outside it through a link."""
    named = os.path.abspath(path)
    top, real_top = _tops(str(root))
    if not (_within(named, top) or _within(named, real_top)):
        return False  # named outside the site (an explicit path elsewhere): nothing escapes
    return not _within(os.path.realpath(path), real_top)


def is_regular(path: Path, root: Path) -> bool:
    """A regular file inside the site (links followed only while they stay inside)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode) and not escapes(path, root)
    except OSError:
        return False


@functools.lru_cache(maxsize=8)
def _tops(root: str) -> tuple[str, str]:
    return os.path.abspath(root), os.path.realpath(root)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# ---------------------------------------------------------------------------------------------
# Discovery


def _walk(folder: Path, hidden: bool = False) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(folder-relative POSIX path, entry) of everything under ``folder``, sorted, folders
    first as they are entered; links to folders are not followed."""
    stack = [("", folder)]
    while stack:
        prefix, current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue
        below = []
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if (
                    hidden or not entry.name.startswith(".")
                ) and entry.name not in _SKIPPED_FOLDERS:
                    yield rel, entry
                    below.append((rel + "/", Path(entry.path)))
            elif not _links_to_folder(entry):
                yield rel, entry
        stack.extend(reversed(below))


def _links_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _regular(entry: os.DirEntry[str], root: Path) -> bool:
    try:
        if entry.is_symlink():
            return is_regular(Path(entry.path), root)
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def markdown_files(folder: Path, skip: Callable[[Path], bool] | None = None) -> list[Path]:
    """Markdown files under ``folder``, sorted, skipping hidden folders and what ``skip`` says
    (the configuration's ``exclude``, the site's ``.gitignore``).

    Every kind of file with a Markdown name is listed: the reader decides what a FIFO or a
    dangling link becomes."""
    return files_named(folder, MARKDOWN_SUFFIXES, skip)


def files_named(
    folder: Path, suffixes: tuple[str, ...], skip: Callable[[Path], bool] | None = None
) -> list[Path]:
    """Files under ``folder`` whose names end with one of ``suffixes`` (any letter case)."""
    found = []
    for rel, entry in _walk(folder):
        if not entry.is_dir(follow_symlinks=False) and entry.name.lower().endswith(suffixes):
            path = folder / rel
            if skip is None or not skip(path):
                found.append(path)
    return found


class GitIgnores:
    """The ``.gitignore`` files that govern a site, each matching below its own folder (a deeper
    one decides before a shallower one, as in git), and the repository's ``.git/info/exclude``.

    They are looked for from the site's repository (the nearest folder above the site with a
    ``.git``; the site itself outside one) down to each file's folder, read once each, through
    the guarded reader. Like ruff, this reads the files, not git: a file git tracks although a
    pattern names it is left out too.
    """

    def __init__(self, root: Path) -> None:
        start = os.path.abspath(root)
        top = start
        for folder in (start, *map(str, Path(start).parents)):
            if os.path.exists(os.path.join(folder, ".git")):
                top = folder
                break
        self.top = top
        self._specs: dict[str, Globs | None] = {}
        info = os.path.join(top, ".git", "info", "exclude")
        self.info = self._read(info, top) if os.path.isdir(os.path.join(top, ".git")) else None

    def ignored(self, path: Path | str) -> bool:
        full = os.path.abspath(path)
        if not _within(full, self.top) or full == self.top:
            return False
        folder = os.path.dirname(full)
        while True:
            spec = self._spec(folder)
            decided = spec.check(full) if spec is not None else None
            if decided is not None:
                return decided
            if folder == self.top or not _within(folder, self.top):
                break
            folder = os.path.dirname(folder)
        return bool(self.info is not None and self.info.check(full))

    def _spec(self, folder: str) -> Globs | None:
        if folder not in self._specs:
            self._specs[folder] = self._read(os.path.join(folder, ".gitignore"), folder)
        return self._specs[folder]

    def _read(self, path: str, base: str) -> Globs | None:
        text = read_text(Path(path), Path(self.top))
        if not text:
            return None
        return Globs(text.splitlines(), base, git=True) if text.strip() else None


def _files(folder: Path, root: Path, hidden: bool = False) -> tuple[str, ...]:
    return tuple(
        rel
        for rel, entry in _walk(folder, hidden)
        if not entry.is_dir(follow_symlinks=False) and _regular(entry, root)
    )


def discover(info: SiteInfo) -> tuple[list[Path], SiteFiles]:
    """One walk of the site: the Markdown files of the content folder (for the engine to read),
    and every other file the index needs (content assets, static files, styles, templates)."""
    if info.generator == "plain" or not info.content_dir.is_dir():
        return [], SiteFiles(read=lambda path: read_text(path, info.root))
    root = info.root
    content = info.content_dir
    markdown: list[Path] = []
    files: list[str] = []
    folders: list[str] = []
    for rel, entry in _walk(content):
        if entry.is_dir(follow_symlinks=False):
            folders.append(rel)
            continue
        if is_markdown(entry.name):
            markdown.append(content / rel)
        if _regular(entry, root):
            files.append(rel)
    static = []
    for folder in static_folders(info):
        static.append((folder, _files(folder, root, hidden=True)))
    sass = root / "sass"
    theme = [root / name for name in SITE_CONFIGS if is_regular(root / name, root)]
    for name in THEME_FOLDERS:
        base = root / name
        if base.is_dir():
            theme += [
                base / rel for rel in _files(base, root) if rel.lower().endswith(THEME_SUFFIXES)
            ]
    found = SiteFiles(
        content=tuple(files),
        folders=tuple(folders),
        static=tuple(static),
        sass=_files(sass, root) if sass.is_dir() else (),
        theme=tuple(theme),
        read=lambda path: read_text(path, root),
        generated=_generated(root, content),
    )
    return markdown, found


def _generated(root: Path, content: Path) -> Callable[[str], bool]:
    """Whether a content-relative path is one a ``.gitignore`` names (a build step writes it),
    the ignore files read on the first question only."""
    ignores: list[GitIgnores] = []

    def generated(rel: str) -> bool:
        if not ignores:
            ignores.append(GitIgnores(root))
        return ignores[0].ignored(content / rel)

    return generated


def static_folders(info: SiteInfo) -> list[Path]:
    """The site's static folder and its themes' (what the generator copies as is)."""
    folders = [info.static_dir] if info.static_dir else []
    theme = info.config.get("theme")
    themes = [theme] if isinstance(theme, str) else theme if isinstance(theme, list) else []
    for name in themes:
        if isinstance(name, str):
            candidate = info.root / "themes" / name / "static"
            if candidate.is_dir() and not escapes(candidate, info.root):
                folders.append(candidate)
    return folders


def plain_files(info: SiteInfo, load: Callable[[str], PostSummary | None]) -> SiteFiles:
    """A plain folder may be any directory (a home folder): it is never walked; the files that
    posts name are looked up one by one instead, through the same guard."""
    root = info.root
    return SiteFiles(
        read=lambda path: read_text(path, root),
        load=load,
        exists=lambda rel: is_regular(root / rel, root),
    )
