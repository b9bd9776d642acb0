"""The sites an editor works in, kept warm for the language server (``postlint.server``).

Each site's index is built once, when its first document is opened (from the result cache when
the site was checked before), then kept up to date post by post: a document's unsaved text
replaces its post in the index on every lint, and a file changed on disk is read again when the
editor says so. A keystroke never reads the site. The protocol lives in ``postlint.server``;
here are the parts that know postlint: which site and configuration a document belongs to, its
diagnostics as ``postlint check`` reports them, its fixes, the comment that silences a rule on
one line, and positions counted the way the client counts them.
"""

from __future__ import annotations

import bisect
import dataclasses
import gc
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from postlint import baseline, fix
from postlint.config import CONFIG_FILES, Config, severity_at_least
from postlint.engine import display_path
from postlint.files import _SKIPPED_FOLDERS, SITE_CONFIGS, static_folders
from postlint.index import MARKDOWN_SUFFIXES, Site
from postlint.model import Block, Diagnostic, Edit, Inline, Post
from postlint.project import Project
from postlint.services import Notes
from postlint.site import detect_site

# files whose change can change every finding: the configurations and the generators'
SETTINGS_FILES = frozenset((*CONFIG_FILES, *SITE_CONFIGS))
_SETTINGS_SUFFIXES = frozenset(name.rsplit(".", 1)[1] for name in SITE_CONFIGS)


def is_settings(path: Path) -> bool:
    """A file whose change can change every finding: postlint's configuration, a generator's
    (``hugo.yaml``, ``zola.toml`` ...) or one of Hugo's configuration folder
    (``config/_default/params.toml``)."""
    if path.name in SETTINGS_FILES:
        return True
    suffix = path.suffix.lower().lstrip(".")
    return path.parent.parent.name == "config" and suffix in _SETTINGS_SUFFIXES


def is_markdown(path: Path, language_id: str | None = None) -> bool:
    """A document postlint checks: Markdown by its name, or by the editor's word for a file
    without a Markdown suffix. MDX (JSX in Markdown) is not Markdown."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return True
    return language_id == "markdown" and suffix != ".mdx"


def canonical(path: Path) -> Path:
    """A document's path as the site index knows it: its folder resolved (an editor may open
    it through a linked folder), the file itself not (a post may be a link)."""
    return Path(os.path.realpath(path.parent)) / path.name


class LiveSite:
    """One site, its index warm, each post judged by its own configuration (a ``Project``):
    what documents are judged against."""

    def __init__(self, project: Project, cache_dir: Path | None) -> None:
        self.project = project
        self.linter = project.primary
        self.cache_dir = cache_dir
        self.site: Site = self._index()
        self.errors: list[str] = []  # rules that crashed in the last lint
        self.baselines: dict[Path, Counter[tuple[str, str, str]]] = {}

    @property
    def root(self) -> Path:
        return self.project.site.root

    def _index(self) -> Site:
        try:
            result = self.linter.run([], jobs=1, cache_dir=self.cache_dir)
        finally:
            gc.unfreeze()  # a run freezes what it reads for speed; the server lives on
        assert result.site is not None
        return result.site

    @property
    def posts(self) -> int:
        return len(self.site.posts) + len(self.site.indexed)

    def excluded(self, source: Path) -> bool:
        return self.project.excluded(source)

    def config(self, source: Path) -> Config:
        """The configuration that judges the document (raises what loading it raises)."""
        return self.project.config(source)

    def lint(self, source: Path, text: str, keep: bool = True) -> list[Diagnostic]:
        """The document's diagnostics, as ``postlint check`` reports them (``min-severity`` and
        the baseline of its configuration applied); with ``keep`` its post in the index becomes
        this text."""
        path = display_path(source)
        result = self.linter.lint_in_site(self.site, text, path, source)
        if keep and result.site is not None:
            self.site = result.site
        config = self.config(source)
        shown = config.min_severity
        found = [d for d in result.diagnostics if severity_at_least(d.severity, shown)]
        if config.baseline:
            file = config.root / config.baseline
            if file not in self.baselines:
                self.baselines[file] = baseline.load(file)
            found = baseline.hide(found, self.baselines[file], {path: text}, root=file.parent)
        self.errors = result.errors
        return found

    def reread(self, sources: Iterable[Path]) -> None:
        """Posts changed, appeared or went away on disk: their entries in the index follow,
        each read once (named twice, by its display path and its absolute one, too)."""
        unique = {os.path.abspath(source): source for source in sources}
        if any(self.excluded(source) for source in unique.values()):
            self.site = self._index()  # pages read only for the index: rare, so read them all
            return
        for source in unique.values():
            result = self.linter.lint_in_site(self.site, None, display_path(source), source)
            if result.site is not None:
                self.site = result.site

    def lists(self, path: Path) -> bool:
        """Whether a file in the site is one its listing can hold: in a static folder, or below
        no hidden folder (``.git``, ``.postlint-cache``), no ``node_modules`` and, in a
        generator's site, not in the folder it builds the site into (``public/``)."""
        info = self.project.site
        if any(_within(path, folder) for folder in static_folders(info)):
            return True
        folders = path.relative_to(info.root).parts[:-1]
        if any(f.startswith(".") or f in _SKIPPED_FOLDERS for f in folders):
            return False
        if info.generator == "plain" or _within(path, info.content_dir):
            return True
        output = info.config.get("publishdir", info.config.get("output_dir", "public"))
        return not _within(path, info.root / str(output))

    def moved(self) -> bool:
        """Whether the site is no longer what it was (a ``static`` folder made, a generator
        configuration added): then its index is built again."""
        return detect_site(self.root) != self.project.site

    def rediscover(self, changed: Iterable[Path]) -> None:
        """Files were added or removed: list the site's files again (nothing is read but the
        posts that appeared or went away)."""
        candidates, files = self.linter.discover()
        self.site = dataclasses.replace(self.site, files=files)
        gone: list[Path] = []
        added: list[Path] = []
        if self.project.site.generator != "plain":  # a plain folder is never walked
            before = set(self.site.posts) | set(self.site.indexed)
            now = {display_path(c): c for c in candidates}
            gone = [Path(p) for p in before - set(now)]
            added = [now[p] for p in set(now) - before]
        self.reread([*gone, *added, *(c for c in changed if is_markdown(c))])

    def fix_all(self, source: Path, text: str) -> str:
        """The text with every safe fix applied, re-linted until nothing changes (``--fix``)."""
        fixed, _, _, _ = fix.fix_text(text, lambda t: self.lint(source, t, keep=False))
        return fixed


def _offline(config: Config) -> Config:
    """A configuration as the server uses it: never the network on a keystroke."""
    tables = config.tables
    links = {**tables.get("links", {}), "external": False}
    return config.with_overrides(tables={**tables, "links": links})


class Workspace:
    """Every site the editor has a document in, each post under its nearest configuration."""

    def __init__(self, notes: Notes, cache: bool = True) -> None:
        self.notes = notes
        self.cache = cache
        self.sites: dict[Path, LiveSite] = {}
        self._by_folder: dict[Path, LiveSite] = {}

    def site_for(self, source: Path) -> LiveSite:
        """The warm site of a document, its index built on first use. Raises what loading a
        configuration raises (``ConfigError`` ...), the document's own included."""
        folder = source.parent
        live = self._by_folder.get(folder)
        if live is None:
            info = detect_site(folder)
            live = self.sites.get(info.root)
            if live is None:
                project = Project(info.root, adjust=_offline, notes=self.notes)
                cache_dir = info.root / ".postlint-cache" if self.cache else None
                live = self.sites[info.root] = LiveSite(project, cache_dir)
            self._by_folder[folder] = live
        live.config(source)
        return live

    def forget(self, live: LiveSite | None = None) -> None:
        """A configuration changed: every site (or ``live``) is built again on next use."""
        if live is None:
            self.sites.clear()
            self._by_folder.clear()
            return
        self.sites = {key: kept for key, kept in self.sites.items() if kept is not live}
        self._by_folder = {key: kept for key, kept in self._by_folder.items() if kept is not live}

    def holding(self, path: Path) -> list[LiveSite]:
        """The warm sites a file belongs to."""
        return [live for live in self.sites.values() if _within(path, live.root)]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# ---------------------------------------------------------------------------------------------
# Positions


UNITS: dict[str, Callable[[str], int]] = {
    "utf-16": lambda s: len(s.encode("utf-16-le", "surrogatepass")) // 2,
    "utf-8": lambda s: len(s.encode("utf-8", "surrogatepass")),
    "utf-32": len,
}
_LINE_END = re.compile(r"\r\n|\r|\n")


class Positions:
    """Offsets into a text as LSP positions: 0-based lines (ended by ``\\n``, ``\\r\\n`` or
    ``\\r``) and characters in the code units the client counts (UTF-16 unless it asked for
    another): an emoji is two UTF-16 units, a CJK character one, where postlint counts one
    character each."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.units = UNITS.get(encoding, UNITS["utf-16"])
        self.starts = [0, *(m.end() for m in _LINE_END.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, self.units(self.text[start:offset])


# ---------------------------------------------------------------------------------------------
# Silencing one line


SUPPRESS = "<!-- postlint-disable-next-line {rule} -->"
_OPAQUE = ("codespan", "image", "html")  # inlines a comment cannot go inside


def suppression(post: Post, line: int, rule: str) -> Edit | None:
    """The edit that silences ``rule`` on ``line`` (1-based) with the comment the README
    documents, placed so that the page renders as before: on a line of its own before a block
    that starts on ``line``, else at the end of the previous line of prose (a new line there
    would cut a paragraph or a list in two). None where no comment can go: the front matter,
    inside code or HTML, a list item after a block that is not prose."""
    comment = SUPPRESS.format(rule=rule)
    body_line = post.body.line if post.body.end > post.body.start else post.body.end_line
    if line < body_line or line > len(post.lines.starts) or not post.line_text(line).strip():
        return None  # the front matter; a blank line, which the comment would skip
    chain = list(_containing(post.blocks, line))
    if any(b.kind in ("code_block", "html_block", "html_comment") for b in chain) and any(
        b.span.line != line for b in chain
    ):
        return None
    start = post.lines.starts[line - 1]
    if all(b.span.line == line for b in chain):  # a block starts here
        indent = _prefix(post.line_text(line), chain)
        newline = "\r\n" if post.crlf else "\n"
        return post.edit(start, start, f"{indent}{comment}{newline}")
    previous = line - 1
    while previous >= body_line and not post.line_text(previous).strip():
        previous -= 1
    if previous < body_line:
        return None
    above = list(_containing(post.blocks, previous))
    if not above or above[-1].kind != "paragraph":
        return None
    text = post.line_text(previous)
    end = len(text.rstrip(" \t"))
    if text[:end].endswith("\\"):  # a hard line break stays the last thing on the line
        end -= 1
    at = post.lines.starts[previous - 1] + end
    if any(_inside(inline, at) for inline in _inlines(above[-1].inlines)):
        return None
    return post.edit(at, at, f" {comment}")


def _containing(blocks: Sequence[Block], line: int) -> Iterator[Block]:
    """The blocks that hold ``line``, outermost first."""
    for block in blocks:
        if block.span.line <= line <= block.span.end_line:
            yield block
            yield from _containing(block.children, line)
            return


def _prefix(text: str, chain: Sequence[Block]) -> str:
    """What a new line before a block needs to stay where the block is: block quote markers."""
    if not any(b.kind == "block_quote" for b in chain):
        return ""
    match = re.match(r"[ \t>]*", text)
    return match.group() if match else ""


def _inlines(inlines: Sequence[Inline]) -> Iterator[Inline]:
    for inline in inlines:
        yield inline
        yield from _inlines(inline.children)


def _inside(inline: Inline, offset: int) -> bool:
    return inline.kind in _OPAQUE and inline.span.start < offset < inline.span.end


# ---------------------------------------------------------------------------------------------
# Fix titles


@dataclass(frozen=True)
class FixAction:
    """A finding's fix as an editor offers it."""

    title: str
    edits: tuple[Edit, ...]
    safe: bool


def fix_action(diagnostic: Diagnostic, text: str) -> FixAction | None:
    """The finding's fix, titled by what it does (``Replace `teh` with `the```), and labelled
    unsafe when it changes words the writer chose."""
    if not diagnostic.fix:
        return None
    safe = diagnostic.fix_safe is not False
    title = f"postlint ({diagnostic.code}): {_describe(diagnostic, text)}"
    if not safe:
        title += " (unsafe: changes your words)"
    return FixAction(title, diagnostic.fix, safe)


def _describe(diagnostic: Diagnostic, text: str) -> str:
    edits = diagnostic.fix or ()
    if len(edits) == 1:
        edit = edits[0]
        old, new = text[edit.span.start : edit.span.end], edit.replacement
        if _shown(old) and _shown(new):
            return f"replace `{_short(old)}` with `{_short(new)}`"
        if _shown(old) and not new:
            return f"remove `{_short(old)}`"
        if not old and _shown(new):
            return f"insert `{_short(new)}`"
    return f"fix {diagnostic.rule}"


def _shown(text: str) -> bool:
    """Text a title can quote: on one line, and visible."""
    return text.isprintable() and text.strip() == text != ""


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
