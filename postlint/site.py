"""Which site a path belongs to, and each post's entry in the site index.

Zola (``config.toml`` or ``zola.toml`` with ``base_url``), Hugo (``hugo.toml`` or ``config.toml``
with ``baseURL``), else a plain folder of Markdown files. ``summarize`` turns a parsed post into
the ``PostSummary`` the site index is built from (see ``postlint.index``).
"""

from __future__ import annotations

import json
import locale
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from postlint.config import ConfigError, read_toml, shown_path
from postlint.files import escapes, is_regular
from postlint.index import Language, Placement, PostSummary, SiteInfo, route, slug_mode
from postlint.model import Block, Inline, Post
from postlint.urls import page_url

_ZOLA_ANCHORS = {"on": "zola", "safe": "zola-safe", "off": "zola-off"}
_HUGO_ANCHORS = {
    "github": "hugo",
    "github-ascii": "hugo-github-ascii",
    "blackfriday": "hugo-blackfriday",
}


def detect_site(start: Path) -> SiteInfo:
    """The site that ``start`` belongs to: the nearest generator configuration upward."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        found = _site_in(directory)
        if found is not None:
            return found
    return SiteInfo(root=folder, generator="plain", content_dir=folder, static_dir=None)


def default_paths() -> list[Path]:
    """What a command checks when no path is given: the site's content folder, else ``.``."""
    site = detect_site(Path.cwd())
    if site.generator != "plain" and site.content_dir.is_dir():
        return [site.content_dir]
    return [Path(".")]


def _site_in(directory: Path) -> SiteInfo | None:
    """The site whose configuration is in ``directory``, if any.

    Zola: ``zola.toml`` or ``config.toml`` with ``base_url``. Hugo, as its configuration loader
    looks: the first of ``hugo.toml|yaml|yml|json`` then ``config.toml|yaml|yml|json``, merged
    with the configuration folder (``config/_default/``, then ``config/production/``, the
    environment ``hugo`` builds). A ``config.*`` file is Hugo's only with ``baseURL`` or beside
    a configuration folder: other programs use that name too."""
    zola = directory / "zola.toml"
    if zola.is_file():
        config = read_site_config(zola)
        if "base_url" in config:
            return _zola(directory, config)
    main = next(
        (
            directory / f"{n}.{e}"
            for n in _HUGO_NAMES
            for e in _FORMATS
            if (directory / f"{n}.{e}").is_file()
        ),
        None,
    )
    config = read_site_config(main) if main is not None else {}
    if main is not None and main.name == "config.toml" and "base_url" in config:
        return _zola(directory, config)
    hugo = _lower_keys(config)
    folder = directory / str(hugo.get("configdir", "config"))
    parts = _config_folder(folder, directory) if (folder / "_default").is_dir() else None
    if parts is None and (main is None or (main.stem != "hugo" and "baseurl" not in hugo)):
        return None
    for part in parts or ():
        _merge(hugo, part)
    return _hugo(directory, hugo)


_HUGO_NAMES = ("hugo", "config")
_FORMATS = ("toml", "yaml", "yml", "json")
_ENVIRONMENT = "production"  # what `hugo` builds (`hugo server` is "development")


def read_site_config(path: Path) -> dict[str, Any]:
    """A generator's configuration file (TOML, YAML or JSON), as a table of settings.

    One that cannot be read is an error that names the file and the line, never a plain folder
    (internal links would go unjudged without a word)."""
    what = "the site configuration"
    kind = path.suffix.lower().lstrip(".")
    if kind == "toml":
        return read_toml(path, what)[1]
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: cannot read {what}: it is not UTF-8 text") from None
    if kind == "json":
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            reason = exc.msg[:1].lower() + exc.msg[1:]
            raise ConfigError(
                f"{shown}:{exc.lineno}: {what} is not valid JSON: {reason} (column {exc.colno})."
            ) from None
        name = "JSON"
    else:
        data = _yaml(text, shown, what)
        name = "YAML"
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}:1: {what} is not a table of settings in {name}.")
    return data


def _yaml(text: str, shown: str, what: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = str(exc.problem or exc.context or "it does not parse")
        place = f"{shown}:{mark.line + 1}" if mark is not None else shown
        at = f" (column {mark.column + 1})" if mark is not None else ""
        raise ConfigError(f"{place}: {what} is not valid YAML: {reason}{at}.") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: {what} is not valid YAML: {exc}.") from None


def _config_folder(folder: Path, root: Path) -> list[dict[str, Any]] | None:
    """Hugo's configuration folder as tables to merge, in Hugo's order: ``_default`` then the
    environment, each walked in lexical order (``LoadConfigFromDir`` in Hugo's
    config/configLoader.go). ``hugo.*`` and ``config.*`` hold root keys; any other file is the
    table of its name (``params.toml`` is ``params``), and a language code before the extension
    puts it under that language (``menus.fr.toml`` is ``languages.fr.menus``, and any other
    ``NAME.fr.toml``, such as ``languages.fr.toml``, is ``languages.fr``). None: no file."""
    parts: list[dict[str, Any]] = []
    for environment in ("_default", _ENVIRONMENT):
        for path in _config_files(folder / environment, root):
            table = _lower_keys(read_site_config(path))
            name = path.name.rsplit(".", 1)[0].lower()
            if name in _HUGO_NAMES:
                parts.append(table)
                continue
            key, _, language = name.rpartition(".") if "." in name else (name, "", "")
            if not language:
                parts.append({"menus" if key == "menu" else key: table})
            elif key in ("menu", "menus", "params"):
                key = "menus" if key == "menu" else key
                parts.append({"languages": {language: {key: table}}})
            else:  # Hugo puts any other NAME.CODE file at languages.CODE
                parts.append({"languages": {language: table}})
    return parts or None


def _config_files(folder: Path, root: Path) -> list[Path]:
    if not folder.is_dir() or escapes(folder, root):
        return []
    found: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_dir():
            found += _config_files(entry, root)
        elif entry.suffix.lower().lstrip(".") in _FORMATS and is_regular(entry, root):
            found.append(entry)
    return found


def _lower_keys(value: Any) -> Any:
    """Hugo's configuration keys are case-insensitive: it lower-cases them all."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _merge(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    """Hugo's merge of configuration files: tables merged key by key, any other value replaced."""
    for key, value in other.items():
        mine = into.get(key)
        if isinstance(mine, dict) and isinstance(value, Mapping):
            _merge(mine, value)
        else:
            into[key] = value


def _zola(root: Path, config: dict[str, Any]) -> SiteInfo:
    slugify = config.get("slugify", {})
    mode = slugify.get("anchors", "on") if isinstance(slugify, dict) else "on"
    static = root / "static"
    default = str(config.get("default_language", "en"))
    others = config.get("languages")
    codes = [str(code) for code in others if code != default] if isinstance(others, dict) else []
    languages = (Language(default), *(Language(code, "/" + code) for code in codes))
    return SiteInfo(
        root=root,
        generator="zola",
        content_dir=root / "content",
        static_dir=static if static.is_dir() else None,
        base_url=str(config.get("base_url", "")),
        config=config,
        anchors=_ZOLA_ANCHORS.get(str(mode), "zola"),
        language=default,
        languages=languages,
    )


def _hugo(root: Path, config: dict[str, Any]) -> SiteInfo:
    """A Hugo site from its merged configuration (keys in lower case, as Hugo reads them)."""
    markup = config.get("markup", {})
    goldmark = markup.get("goldmark", {}) if isinstance(markup, dict) else {}
    parser = goldmark.get("parser", {}) if isinstance(goldmark, dict) else {}
    id_type = parser.get("autoheadingidtype", "github") if isinstance(parser, dict) else "github"
    static = root / str(config.get("staticdir", "static"))
    content, languages = _hugo_languages(root, config)
    return SiteInfo(
        root=root,
        generator="hugo",
        content_dir=content,
        static_dir=static if static.is_dir() else None,
        base_url=str(config.get("baseurl", "")),
        config=config,
        anchors=_HUGO_ANCHORS.get(str(id_type), "hugo"),
        language=languages[0].code,
        languages=languages,
    )


def _hugo_languages(root: Path, config: Mapping[str, Any]) -> tuple[Path, tuple[Language, ...]]:
    """The content folder to walk and the site's languages, the default first.

    Hugo's rules: ``defaultContentLanguage`` (``en``) is the default; with more than one
    language every other one is published under ``/CODE/`` (the default too with
    ``defaultContentLanguageInSubdir``), unless languages have their own ``baseURL`` (one host
    each). A language's content is in its own ``contentDir``, else in the site's; mounts of the
    project's ``module`` whose target is ``content`` replace both. A one-language site's
    language is ``defaultContentLanguage``, else its ``languageCode``."""
    table = config.get("languages")
    configured = {str(k).lower(): v for k, v in table.items()} if isinstance(table, dict) else {}
    default = str(config.get("defaultcontentlanguage") or "").lower()
    if not configured:
        default = default or str(config.get("languagecode") or "en").lower()
    default = default or "en"
    if configured and default not in configured:
        configured[default] = {}
    many = len(configured) > 1
    one_host = not any(isinstance(v, dict) and v.get("baseurl") for v in configured.values())
    below = config.get("defaultcontentlanguageinsubdir") is True
    codes = [default, *sorted(code for code in configured if code != default)]
    folders: dict[str | None, Path] = {}
    mounts = _content_mounts(root, config)
    if mounts:
        for source, code in mounts:
            folders.setdefault(code if code in codes else None, source)
    else:
        shared = root / str(config.get("contentdir", "content"))
        for code in codes:
            own = configured.get(code)
            own_dir = own.get("contentdir") if isinstance(own, dict) else None
            folders.setdefault(code if own_dir else None, root / str(own_dir or shared))
    content = _common_folder(root, list(folders.values()), folders.get(default))
    languages = []
    for code in codes:
        prefix = f"/{code}" if many and one_host and (below or code != default) else ""
        folder = folders.get(code)
        inside = _inside(folder, content) if folder is not None else None
        languages.append(Language(code, prefix, inside or None))
    return content, tuple(languages)


def _content_mounts(root: Path, config: Mapping[str, Any]) -> list[tuple[Path, str | None]]:
    """The project's module mounts into ``content`` (the folder and its language, if any)."""
    module = config.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    found = []
    for mount in mounts if isinstance(mounts, list) else ():
        if not isinstance(mount, dict) or str(mount.get("target", "")).strip("/") != "content":
            continue
        source = root / str(mount.get("source", ""))
        if not escapes(source, root):
            lang = mount.get("lang")
            found.append((source, str(lang).lower() if lang else None))
    return found


def _common_folder(root: Path, folders: list[Path], default: Path | None) -> Path:
    """The folder that holds every language's content, or (when only the site root would) the
    default language's: the site's other folders are not content."""
    paths = [os.path.normpath(f) for f in folders]
    common = Path(os.path.commonpath(paths)) if paths else root / "content"
    if common == root or _inside(common, root) is None:
        return default or Path(paths[0])
    return common


def _inside(path: Path, folder: Path) -> str | None:
    """``path`` from ``folder`` (POSIX; "" for the folder itself), None when not inside it."""
    rel = os.path.relpath(os.path.normpath(path), os.path.normpath(folder))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return "" if rel == os.curdir else Path(rel).as_posix()


def summarize(post: Post, source: Path, info: SiteInfo) -> PostSummary:
    """The site index entry for one post."""
    meta = post.meta
    rel = content_rel(source, info)
    if rel is not None:
        found, placed = route(info, rel, meta)
    else:
        placed = Placement(info.language, source.name, "")
        found = page_url(source.name, meta, info.generator, slug_mode(info))
    date = meta.get("date", found.date_from_name)
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
        url=found.url,
        aliases=found.aliases,
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
        bundle_dir=found.bundle_dir,
        language=written_in(meta) or placed.language or _folder_language(rel, placed),
        shortcode_ids=bool(_SHORTCODE_ID.search(post.text)) if "{" in post.text else False,
    )


# A shortcode given an id: Hugo's {{< name id="x" >}} and {{% name id="x" %}}, Zola's
# {{ name(id="x") }} and {% name(id="x") %}.
_SHORTCODE_ID = re.compile(r"""\{[{%][<%]?\s*[\w./-]+\s*\(?[^}]*?\bid\s*=\s*["'`]""")


def written_in(front_matter: Mapping[str, Any]) -> str | None:
    """The language a post's front matter says it is written in: ``lang`` (Hugo's own key, and
    HTML's), ``languageCode`` or ``language``, when its value names a language (``fr``,
    ``en-GB``, ``pt_BR``): ``language = "rust"`` is about something else."""
    lowered = {str(k).lower(): v for k, v in front_matter.items()}
    for key in ("lang", "languagecode", "language"):
        value = lowered.get(key)
        if isinstance(value, str) and _LANGUAGE_TAG.fullmatch(value.strip()):
            primary = re.split("[-_]", value.strip(), maxsplit=1)[0].lower()
            if primary in _LANGUAGE_CODES:
                return value.strip().lower().replace("_", "-")
    return None


def _folder_language(rel: str | None, placed: Placement) -> str | None:
    """The language of a file in no configured language's content folder (Hugo publishes no
    such file; translations of a language not yet configured wait there), when that folder is
    named by a language code: ``content/uz/docs/faq.md`` is Uzbek, not English to spell-check."""
    if rel is None or placed.language is not None or "/" not in rel:
        return None
    folder = rel.split("/", 1)[0]
    if _LANGUAGE_TAG.fullmatch(folder) and re.split("[-_]", folder)[0].lower() in _LANGUAGE_CODES:
        return folder.lower().replace("_", "-")
    return None


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
# The language codes Python's locale table knows (ISO 639), so `go` or `js` are not languages.
_LANGUAGE_CODES = frozenset(
    code for key in locale.locale_alias if len(code := re.split("[_.@]", key)[0]) in (2, 3)
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
