"""Which site a path belongs to, and each post's entry in the site index.

Zola (``config.toml`` or ``zola.toml`` with ``base_url``), Hugo (``hugo.toml`` or ``config.toml``
with ``baseURL``), else a plain folder of Markdown files. ``summarize`` turns a parsed post into
the ``PostSummary`` the site index is built from (see ``postlint.index``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from postlint.config import read_toml
from postlint.index import PostSummary, SiteInfo
from postlint.model import Block, Inline, Post
from postlint.urls import page_url

_ZOLA_ANCHORS = {"on": "zola", "safe": "zola-safe", "off": "zola-off"}
_HUGO_ANCHORS = {
    "github": "hugo",
    "github-ascii": "hugo-github-ascii",
    "blackfriday": "hugo-blackfriday",
}


def detect_site(start: Path) -> SiteInfo:
    """The site that ``start`` belongs to: the nearest generator config upward."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        for name in ("zola.toml", "hugo.toml", "config.toml"):
            config_file = directory / name
            if not config_file.is_file():
                continue
            config = _read_toml(config_file)
            if "base_url" in config:
                return _zola(directory, config)
            if "baseURL" in config or name == "hugo.toml":
                return _hugo(directory, config)
    return SiteInfo(root=folder, generator="plain", content_dir=folder, static_dir=None)


def default_paths() -> list[Path]:
    """What a command checks when no path is given: the site's content folder, else ``.``."""
    site = detect_site(Path.cwd())
    if site.generator != "plain" and site.content_dir.is_dir():
        return [site.content_dir]
    return [Path(".")]


def _read_toml(path: Path) -> dict[str, Any]:
    """The generator's configuration; one that cannot be read is an error, never a plain folder
    (internal links would go unjudged without a word)."""
    return read_toml(path, "the site configuration")[1]


def _zola(root: Path, config: dict[str, Any]) -> SiteInfo:
    slugify = config.get("slugify", {})
    mode = slugify.get("anchors", "on") if isinstance(slugify, dict) else "on"
    static = root / "static"
    return SiteInfo(
        root=root,
        generator="zola",
        content_dir=root / "content",
        static_dir=static if static.is_dir() else None,
        base_url=str(config.get("base_url", "")),
        config=config,
        anchors=_ZOLA_ANCHORS.get(str(mode), "zola"),
    )


def _hugo(root: Path, config: dict[str, Any]) -> SiteInfo:
    markup = config.get("markup", {})
    goldmark = markup.get("goldmark", {}) if isinstance(markup, dict) else {}
    parser = goldmark.get("parser", {}) if isinstance(goldmark, dict) else {}
    id_type = parser.get("autoHeadingIDType", "github") if isinstance(parser, dict) else "github"
    static = root / str(config.get("staticDir", "static"))
    return SiteInfo(
        root=root,
        generator="hugo",
        content_dir=root / str(config.get("contentDir", "content")),
        static_dir=static if static.is_dir() else None,
        base_url=str(config.get("baseURL", "")),
        config=config,
        anchors=_HUGO_ANCHORS.get(str(id_type), "hugo"),
    )


def summarize(post: Post, source: Path, info: SiteInfo) -> PostSummary:
    """The site index entry for one post."""
    meta = post.meta
    rel = content_rel(source, info)
    route = page_url(rel or source.name, meta, info.generator, _path_slug_mode(info.config))
    date = meta.get("date", route.date_from_name)
    tag_spans = tuple(
        span
        for key, span in (post.front_matter.keys.items() if post.front_matter else ())
        if _is_tag_key(key)
    )
    anchors = page_anchors(post)
    first_line = post.front_matter.span if post.front_matter else post.span(0, 0)
    return PostSummary(
        path=post.path,
        source=source,
        url=route.url,
        aliases=route.aliases,
        title=post.title,
        draft=meta.get("draft") is True,
        date=None if date is None else str(date),
        tags=post.tags,
        tag_spans=tag_spans,
        authors=post.authors,
        anchors=anchors,
        front_matter=dict(meta),
        links=post.links,
        images=post.images,
        headings=post.headings,
        first_line=post.lines.span(
            first_line.start,
            post.text.find("\n", first_line.start) if "\n" in post.text else len(post.text),
        ),
        rel=rel,
        bundle_dir=route.bundle_dir,
    )


def content_rel(source: Path, info: SiteInfo) -> str | None:
    """The file's path from the content folder (POSIX), or None when it is outside it."""
    for path, folder in (
        (os.path.abspath(source), os.path.abspath(info.content_dir)),
        (os.path.realpath(source), os.path.realpath(info.content_dir)),
    ):
        try:
            rel = os.path.relpath(path, folder)
        except ValueError:  # another drive
            continue
        if rel != os.curdir and rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return Path(rel).as_posix()
    return None


def _is_tag_key(key: str) -> bool:
    return key.startswith(("taxonomies.tags[", "tags["))


def _path_slug_mode(config: Mapping[str, Any]) -> str:
    slugify = config.get("slugify", {})
    return str(slugify.get("paths", "on")) if isinstance(slugify, dict) else "on"


_ID_ATTR = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]+)"|'([^']+)')""", re.I)


def page_anchors(post: Post) -> frozenset[str]:
    """Every fragment the rendered page answers to: heading anchors, raw HTML ``id``/``name``
    attributes (inline or in blocks, at any depth) and footnote ids."""
    ids = {heading.anchor for heading in post.headings}
    if "<" in post.text:
        for raw in _raw_html(post.blocks):
            if "id" in raw or "name" in raw:
                ids.update(a or b for a, b in _ID_ATTR.findall(raw))
    for label in (footnote.label for footnote in post.footnotes):
        ids.update(
            {
                label,
                f"fn:{label}",
                f"fnref:{label}",
                f"fn-{label}",
                f"fr-{label}-1",
                f"fnref-{label}",
            }
        )
    return frozenset(ids)


def _raw_html(blocks: Iterable[Block]) -> Iterator[str]:
    for block in blocks:
        raw = block.attrs.get("raw")
        if raw:
            yield raw
        if block.inlines:
            yield from _inline_html(block.inlines)
        if block.children:
            yield from _raw_html(block.children)


def _inline_html(inlines: Iterable[Inline]) -> Iterator[str]:
    for inline in inlines:
        if inline.kind == "html":
            yield inline.text
        if inline.children:
            yield from _inline_html(inline.children)


def smart_punctuation(info: SiteInfo) -> bool:
    """Whether the generator turns ``--``, ``...`` and straight quotes into typography itself.

    Zola does with ``markdown.smart_punctuation = true``; Hugo with Goldmark's typographer, on by
    default."""
    config = info.config
    if info.generator == "zola":
        markdown = config.get("markdown")
        return isinstance(markdown, dict) and markdown.get("smart_punctuation") is True
    if info.generator == "hugo":
        markup = config.get("markup")
        goldmark = markup.get("goldmark") if isinstance(markup, dict) else None
        ext = goldmark.get("extensions") if isinstance(goldmark, dict) else None
        typographer = ext.get("typographer", True) if isinstance(ext, dict) else True
        if isinstance(typographer, dict):
            return typographer.get("disable") is not True
        return typographer is not False
    return False
