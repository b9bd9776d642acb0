"""The site index: what the generator publishes, learned from the posts' summaries and the files
the engine discovered, never by reading the site again.

The engine builds one ``Site`` per run from the summaries its workers produced (or the cache kept)
and the one discovery of the site's other files; checks resolve internal links and images
through it. Everything here is plain data and pure computation: no file is opened.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from postlint.model import Span
from postlint.urls import (
    PageRoute,
    hugo_page_options,
    language_suffix,
    normalize_url_path,
    page_url,
)

MARKDOWN_SUFFIXES = (".md", ".markdown")
HUGO_HTML_SUFFIXES = (".html", ".htm")  # Hugo publishes HTML content files as pages


@dataclass(frozen=True)
class Language:
    """A language the generator publishes the site in."""

    code: str  # the generator's name for it: "fr", "pt-br"
    prefix: str = ""  # the URL path its pages are published under: "" or "/fr"
    folder: str | None = None  # Hugo: its own content folder, from the content folder ("fr")


@dataclass(frozen=True)
class SiteInfo:
    """What is known about the site before any post is read."""

    root: Path
    generator: str  # "zola", "hugo" or "plain"
    content_dir: Path
    static_dir: Path | None
    base_url: str = ""
    config: Mapping[str, Any] = field(default_factory=dict)  # the generator's own config
    anchors: str = "zola"  # anchor style: "zola" (slugify on), "zola-safe", "zola-off", "hugo"
    language: str | None = None  # the default content language; None: not known (plain folder)
    languages: tuple[Language, ...] = ()  # every language published, the default first

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the site root, never the machine's own."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name

    @cached_property
    def content_shown(self) -> str:
        """The content folder as messages name it (``content``; ``""`` for a plain folder)."""
        shown = self.shown(self.content_dir)
        return "" if shown == "." else shown

    @cached_property
    def static_shown(self) -> str:
        """The static folder as messages name it (``static`` even when there is none yet)."""
        return self.shown(self.static_dir) if self.static_dir else "static"


@dataclass(frozen=True)
class PostSummary:
    """The site index's view of one post: enough for site-wide checks, small enough to cache."""

    path: str  # as reported (relative to the working directory when possible)
    source: Path  # the file
    url: str  # site-absolute URL path, "/posts/hello/"
    aliases: tuple[str, ...]
    title: str
    draft: bool
    date: str | None
    tags: tuple[str, ...]
    tag_spans: tuple[Span, ...]
    authors: tuple[Any, ...]  # AuthorSection
    anchors: frozenset[str]
    front_matter: Mapping[str, Any]
    links: tuple[Any, ...]  # Link
    images: tuple[Any, ...]  # Image
    headings: tuple[Any, ...]  # Heading
    first_line: Span  # where a finding about the whole post points
    rel: str | None = None  # content-relative POSIX path; None outside the content folder
    bundle_dir: str | None = None  # content folder whose other files are published beside it
    language: str | None = None  # the language it is written in ("fr", "en-gb"); None: not known
    shortcode_ids: bool = False  # passes ids to shortcodes: some of its anchors are not known


@dataclass(frozen=True)
class Placement:
    """Where the generator puts a content file: its language and the path its URL is made of."""

    language: str | None  # None: no language's content holds it (the generator skips it)
    path: str  # what is routed: the file's path without its language folder and suffix
    folder: str  # the content-relative folder ``path`` starts from ("" or "fr")
    prefix: str = ""  # the language's URL prefix ("" or "/fr")


def place(info: SiteInfo, rel: str, front_matter: Mapping[str, Any] | None = None) -> Placement:
    """The language of the content file at ``rel`` (content-relative) by the generator's rules.

    Hugo: front matter ``lang``, else a language code before the extension (``about.fr.md``),
    else the language whose own content folder holds the file, else the default language; a
    file in no language's folder when every language has one is not published. Zola: a code
    after the file name's first dot (``post.fr.md``), else the default language."""
    if not info.languages:
        return Placement(info.language, rel, "")
    by_code = {lang.code: lang for lang in info.languages}
    folder, path, owner = "", rel, None
    for lang in info.languages:
        if lang.folder and rel.startswith(lang.folder + "/") and len(lang.folder) > len(folder):
            folder, path, owner = lang.folder, rel[len(lang.folder) + 1 :], lang.code
    if owner is None and all(lang.folder for lang in info.languages):
        return Placement(None, rel, "")
    codes = set(by_code) if info.generator == "hugo" else set(by_code) - {info.language}
    path, code = language_suffix(path, info.generator, codes)
    chosen = front_matter.get("lang") if front_matter and info.generator == "hugo" else None
    if not (isinstance(chosen, str) and chosen.lower() in by_code):
        chosen = code or owner or info.language
    language = by_code.get(str(chosen).lower())
    return Placement(str(chosen).lower(), path, folder, language.prefix if language else "")


def route(info: SiteInfo, rel: str, front_matter: Mapping[str, Any]) -> tuple[PageRoute, Placement]:
    """Where the content file at ``rel`` is published, and its language's placement: the one
    computation of a page's URL, for posts and for files known only by name."""
    placed = place(info, rel, front_matter)
    permalink, ugly = None, False
    if info.generator == "hugo" and "/" in placed.path:
        permalink, ugly = hugo_page_options(info.config, placed.path.split("/", 1)[0])
    found = page_url(
        placed.path,
        front_matter,
        info.generator,
        slug_mode(info),
        placed.prefix,
        permalink=permalink,
        ugly=ugly,
    )
    if found.bundle_dir is not None and placed.folder:
        bundle = f"{placed.folder}/{found.bundle_dir}" if found.bundle_dir else placed.folder
        found = dataclasses.replace(found, bundle_dir=bundle)
    return found, placed


def _none(_: object) -> None:
    return None


def _false(_: object) -> bool:
    return False


@dataclass(frozen=True)
class SiteFiles:
    """The site's files as the engine's one discovery found them: regular files inside the site
    only (a FIFO, a socket or a link out of the site is not a file here), listed, never opened.

    ``read`` and ``load`` are the engine's guarded reader, for the few things a check needs from
    a file that is not a post; ``exists`` answers for plain folders, which are never walked.
    """

    content: tuple[str, ...] = ()  # content-relative paths of every file in content/
    folders: tuple[str, ...] = ()  # content-relative folders
    static: tuple[tuple[Path, tuple[str, ...]], ...] = ()  # each static folder and its files
    sass: tuple[str, ...] = ()  # files under sass/, relative to it
    theme: tuple[Path, ...] = ()  # templates, styles, data and configuration files
    read: Callable[[Path], str | None] = field(default=_none, compare=False)
    load: Callable[[str], PostSummary | None] = field(default=_none, compare=False)
    exists: Callable[[str], bool] = field(default=_false, compare=False)
    # whether a content-relative path is one a .gitignore names: a build step writes it there
    generated: Callable[[str], bool] = field(default=_false, compare=False)


@dataclass(frozen=True)
class Published:
    """A file the generator publishes as it is (from ``static/``, a theme, a bundle, a section)."""

    shown: str  # where it is, from the site root: "static/images/a.png"
    path: Path


@dataclass
class Page:
    """A content file and where it is published."""

    rel: str  # content-relative POSIX path
    source: Path
    url: str
    summary: PostSummary | None = None  # None: a file that could not be read as a post
    draft: bool = False  # not published by a normal build

    @property
    def anchors(self) -> frozenset[str] | None:
        """The fragments the page answers to; None when they are not known: the file could not
        be read, or shortcodes make elements with ids from their arguments (``{{% def
        id="ACME" %}}``, which a template may turn into ``def-ACME``)."""
        if self.summary is None or self.summary.shortcode_ids:
            return None
        return self.summary.anchors


@dataclass
class Routes:
    """Every published path: pages (with aliases), files, sections, taxonomy terms."""

    info: SiteInfo
    load: Callable[[str], PostSummary | None] = _none
    pages: dict[str, Page] = field(default_factory=dict)  # content rel -> page
    urls: dict[str, Page] = field(default_factory=dict)  # url key -> page (aliases too)
    files: dict[str, Published] = field(default_factory=dict)  # url key -> file
    sections: set[str] = field(default_factory=set)  # url keys of list pages
    folders: set[str] = field(default_factory=set)  # url keys of content folders
    terms: dict[str, set[str]] = field(default_factory=dict)  # taxonomy -> loose term keys
    by_source: dict[str, Page] = field(default_factory=dict)  # absolute path -> page
    base_path: str = "/"
    generated: Callable[[str], bool] = _false  # see SiteFiles.generated

    def page_for(self, source: Path | str) -> Page | None:
        return self.by_source.get(absolute(source))

    def markdown(self, rel: str) -> Page | None:
        """The content file at ``rel``; in a plain folder (never walked) read on demand."""
        page = self.pages.get(rel)
        if page is None and self.info.generator == "plain":
            summary = self.load(rel)
            if summary is not None:
                page = Page(rel, Path(absolute(summary.source)), summary.url, summary)
                page = self.by_source.setdefault(absolute(summary.source), page)
                self.pages[rel] = page
        return page

    def generated_page(self, key: str) -> bool:
        """Whether the page at URL key ``key`` is written by a build step (its content file, in
        the language its prefix names, is one a .gitignore names): a link to it is not broken."""
        path = key.strip("/")
        if self.base_path != "/" and key.startswith(self.base_path):
            path = key[len(self.base_path) :].strip("/")
        folder = ""
        for lang in self.info.languages:
            if lang.prefix and (path + "/").startswith(lang.prefix.strip("/") + "/"):
                path, folder = path[len(lang.prefix.strip("/")) :].strip("/"), lang.folder or ""
                break
        else:
            default = self.info.languages[0].folder if self.info.languages else None
            folder = default or ""
        stem = f"{folder}/{path}".strip("/")
        names = [f"{stem}/_index.md", f"{stem}/index.md"] + ([f"{stem}.md"] if path else [])
        return any(self.generated(name) for name in names)

    @cached_property
    def url_keys(self) -> list[str]:
        """Every page URL, for "did you mean" suggestions (built once per run)."""
        return list(self.urls)

    @cached_property
    def rels(self) -> list[str]:
        """Every content file, for "did you mean" suggestions on ``@/`` links."""
        return list(self.pages)

    @cached_property
    def folded_files(self) -> dict[str, str]:
        """File URL keys by their case-folded form: a name that only matches ignoring case."""
        folded: dict[str, str] = {}
        for key in self.files:
            folded.setdefault(key.casefold(), key)
        return folded

    def file(self, key: str) -> Published | None:
        """The file published at a URL key, also below a ``base_url`` path."""
        for candidate in self.candidates(key):
            found = self.files.get(candidate)
            if found is not None:
                return found
        return None

    def file_ignoring_case(self, key: str) -> Published | None:
        for candidate in self.candidates(key):
            actual = self.folded_files.get(candidate.casefold())
            if actual is not None:
                return self.files[actual]
        return None

    def with_summary(self, old: PostSummary, new: PostSummary) -> Routes | None:
        """These routes with a post's page holding its new summary; None when the new one
        publishes elsewhere (its URL, aliases, draft state or taxonomy terms changed): then the
        routes are built again."""
        page = self.by_source.get(absolute(old.source))
        if (
            page is None
            or page.summary is not old
            or _route(old, self.info) != _route(new, self.info)
        ):
            return None
        moved = Page(page.rel, page.source, page.url, new, page.draft)
        swap = {id(page): moved}

        def carried(pages: dict[str, Page]) -> dict[str, Page]:
            return {key: swap.get(id(p), p) for key, p in pages.items()}

        return Routes(
            self.info,
            self.load,
            carried(self.pages),
            carried(self.urls),
            self.files,
            self.sections,
            self.folders,
            self.terms,
            carried(self.by_source),
            self.base_path,
            self.generated,
        )

    def candidates(self, key: str) -> list[str]:
        """``key`` and, on a site published below a path (``/blog/``), the key without it."""
        keys = [key]
        if self.base_path != "/" and key.startswith(self.base_path):
            keys.append("/" + key[len(self.base_path) :])
        return keys


@dataclass
class Site:
    """The whole site after every post was read: the index that site-wide checks judge against.

    ``posts`` are the posts linted in this run; ``indexed`` the content files read only to know
    where they are published (excluded from linting). ``complete`` is true when every Markdown
    file of the content folder has a summary, so nothing the site references is unknown.
    """

    info: SiteInfo
    posts: dict[str, PostSummary]
    facts: dict[str, dict[str, Any]]  # rule name -> post path -> what the rule collected
    files: SiteFiles = field(default_factory=SiteFiles)
    indexed: dict[str, PostSummary] = field(default_factory=dict)
    complete: bool = False
    reported: frozenset[str] | None = None  # the paths the run reports on; None: every file

    def collected(self, rule: str) -> dict[str, Any]:
        return self.facts.get(rule, {})

    def reports(self, path: str) -> bool:
        """Whether findings about ``path`` are reported: a site-wide check may skip judging
        the other posts (one post checked against a 1,000-post site judges one post), while
        still counting every post for what the site does as a whole."""
        return self.reported is None or path in self.reported

    def with_post(
        self,
        path: str,
        summary: PostSummary | None,
        facts: Mapping[str, Any],
        reported: frozenset[str] | None = None,
    ) -> Site:
        """This index with one post's summary and facts in place of the ones it had (None: the
        post is gone), reporting on ``reported``. Nothing is re-read, and the routes are kept
        when the post is still published where it was: an edit in an editor costs one post."""
        site = Site(
            self.info,
            dict(self.posts),
            {rule: dict(by_path) for rule, by_path in self.facts.items()},
            self.files,
            self.indexed,
            self.complete,
            reported,
        )
        if "routes" in self.__dict__:  # only when this index's routes were built
            site.__dict__["routes"] = self.__dict__["routes"]
        site.update_post(path, summary, facts)
        return site

    def update_post(self, path: str, summary: PostSummary | None, facts: Mapping[str, Any]) -> None:
        """In place: one post's summary and facts instead of the ones it had (None: the post is
        gone). The routes are kept when the post is still published where it was, and rebuilt
        on next use otherwise (a fix that renames a heading changes the anchors they hold)."""
        old = self.posts.get(path)
        if summary is None:
            self.posts.pop(path, None)
        else:
            self.posts[path] = summary  # the post keeps its place: messages list posts in order
        for by_path in self.facts.values():
            by_path.pop(path, None)
        for rule, fact in facts.items():
            self.facts.setdefault(rule, {})[path] = fact
        routes = self.__dict__.pop("routes", None)
        if isinstance(routes, Routes) and old is not None and summary is not None:
            moved = routes.with_summary(old, summary)
            if moved is not None:
                self.__dict__["routes"] = moved

    def summaries(self) -> Iterator[PostSummary]:
        """Every page read this run: linted posts and the pages read only for the index."""
        yield from self.posts.values()
        yield from self.indexed.values()

    @cached_property
    def routes(self) -> Routes:
        """Every published path, built on first use (once per run)."""
        return build_routes(self)


# ---------------------------------------------------------------------------------------------
# Building the routes


def absolute(path: Path | str) -> str:
    """A path made absolute without resolving links: how the index keys files."""
    return os.path.abspath(path)


def above_root(path: str, base: str) -> bool:
    """Whether a relative URL climbs above the site's root from the page at ``base`` (browsers
    stop at the root; a path that tries to go further was written for some other layout)."""
    base_path = base.split("#", 1)[0].split("?", 1)[0]
    depth = len([s for s in base_path.split("/")[:-1] if s not in ("", ".")])
    for segment in path.split("#", 1)[0].split("?", 1)[0].split("/"):
        if segment == "..":
            depth -= 1
            if depth < 0:
                return True
        elif segment not in ("", "."):
            depth += 1
    return False


def loose(text: str) -> str:
    """A taxonomy term as its URL is compared: lower case, punctuation runs as one dash."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def taxonomy_names(info: SiteInfo) -> set[str]:
    names = {"tags", "categories"}
    taxonomies = info.config.get("taxonomies")
    if isinstance(taxonomies, list):
        names |= {t["name"] for t in taxonomies if isinstance(t, dict) and "name" in t}
    elif isinstance(taxonomies, dict):
        names |= {str(v) for v in taxonomies.values()}
    return names


def slug_mode(info: SiteInfo) -> str:
    slugify = info.config.get("slugify", {})
    return str(slugify.get("paths", "on")) if isinstance(slugify, dict) else "on"


def build_routes(site: Site) -> Routes:
    info = site.info
    routes = Routes(info, site.files.load, generated=site.files.generated)
    base = urlsplit(info.base_url).path if info.base_url else ""
    routes.base_path = normalize_url_path(base or "/")
    known: dict[str, PostSummary] = {}
    for summary in site.summaries():
        if summary.rel is not None:
            known.setdefault(summary.rel, summary)
    routes.terms = {name: set() for name in taxonomy_names(info)}
    pages = MARKDOWN_SUFFIXES + (HUGO_HTML_SUFFIXES if info.generator == "hugo" else ())
    bundles: dict[str, list[str]] = {}  # content-relative folder -> urls of its index pages
    assets: list[str] = []
    content = info.content_dir
    for rel in site.files.content:
        if not rel.lower().endswith(pages):
            assets.append(rel)
            continue
        if not rel.lower().endswith(MARKDOWN_SUFFIXES):
            assets.append(rel)  # Hugo's HTML content: a page, or a file without front matter
        found = known.get(rel)
        if found is not None:
            url, aliases, meta = found.url, found.aliases, found.front_matter
        else:  # not read as a post (HTML, unreadable): where its name publishes it
            url, aliases, meta = _route_from_name(rel, info)
        page = Page(rel, content / rel, url, found, draft=meta.get("draft") is True)
        routes.pages[rel] = page
        routes.by_source[absolute(content / rel)] = page
        for key in (url, *aliases):
            routes.urls.setdefault(normalize_url_path(key), page)
            if key.endswith(".html"):  # hosts serve `/a/b.html` at `/a/b` too
                routes.urls.setdefault(normalize_url_path(key[: -len(".html")]), page)
        folder, _, name = rel.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        if stem.split(".")[0] in ("index", "_index"):  # index.fr.md too
            bundles.setdefault(folder, []).append(url)
        if stem.split(".")[0] == "_index":
            routes.sections.add(normalize_url_path(url))
        _add_terms(routes.terms, meta, info.generator)
    for folder in site.files.folders:
        routes.folders.add(normalize_url_path("/" + folder))
    for summary in site.summaries():  # posts outside the content folder, and plain folders
        source = absolute(summary.source)
        if source in routes.by_source:
            continue
        rel = summary.rel if summary.rel is not None else Path(summary.source).name
        page = Page(rel, Path(source), summary.url, summary, draft=summary.draft)
        routes.by_source[source] = page
        routes.pages.setdefault(rel, page)
        routes.urls.setdefault(normalize_url_path(summary.url), page)
        _add_terms(routes.terms, summary.front_matter, info.generator)
    routes.sections.add("/")
    if info.generator == "hugo":  # every top-level content folder is a section in Hugo
        for key in list(routes.folders):
            if key.count("/") == 2:
                routes.sections.add(key)
    prefix = info.content_shown
    for asset in assets:
        published = Published(f"{prefix}/{asset}" if prefix else asset, content / asset)
        folder, _, name = asset.rpartition("/")
        placed = place(info, asset)
        routes.files.setdefault(normalize_url_path(f"{placed.prefix}/{placed.path}"), published)
        for url in bundles.get(folder, ()):
            routes.files.setdefault(normalize_url_path(url.rstrip("/") + "/" + name), published)
    for folder_path, names in site.files.static:
        shown = info.shown(folder_path)
        for name in names:
            published = Published(f"{shown}/{name}", folder_path / name)
            routes.files.setdefault(normalize_url_path("/" + name), published)
    if info.generator == "zola":
        for name in site.files.sass:
            if name.endswith((".scss", ".sass")) and not PurePosixPath(name).name.startswith("_"):
                css = PurePosixPath(name).with_suffix(".css").as_posix()
                published = Published(f"sass/{name}", info.root / "sass" / name)
                routes.files.setdefault(normalize_url_path("/" + css), published)
    return routes


def _route(summary: PostSummary, info: SiteInfo) -> tuple[Any, ...]:
    """What of a post the routes depend on, besides its anchors."""
    meta = summary.front_matter
    source = meta.get("taxonomies") if info.generator == "zola" else meta
    terms = (
        tuple(repr(source.get(name)) for name in sorted(taxonomy_names(info)))
        if isinstance(source, Mapping)
        else ()
    )
    return (summary.url, summary.aliases, summary.rel, summary.draft, meta.get("draft"), terms)


def _route_from_name(rel: str, info: SiteInfo) -> tuple[str, tuple[str, ...], Mapping[str, Any]]:
    try:
        found = route(info, rel, {})[0]
    except (ValueError, TypeError):
        return "/" + rel, (), {}
    return found.url, found.aliases, {}


def _add_terms(terms: dict[str, set[str]], meta: Any, generator: str) -> None:
    if not isinstance(meta, Mapping):
        return
    source = meta.get("taxonomies") if generator == "zola" else meta
    if not isinstance(source, Mapping):
        return
    for name, keys in terms.items():
        values = source.get(name)
        if isinstance(values, str):
            values = [values]
        if isinstance(values, list):
            keys.update(loose(str(v)) for v in values)
