"""Where a content file is published, as Zola or Hugo decide it, and URL paths made comparable.

Sources:

* Zola: ``Page::parse`` in ``components/content/src/page.rs`` (file stem or bundle folder as
  slug, the ``RFC3339_DATE`` prefix regex, ``slug`` and ``path`` front matter),
  ``components/content/src/file_info.rs`` (folders above the file, ``index.md`` bundles),
  ``Section::parse`` in ``components/content/src/section.rs``, and the tests in those files.
* Hugo: the "URL management" page of the Hugo docs (``content/en/content-management/urls.md``:
  ``slug``, ``url``, page-relative and site-relative ``aliases``), ``CreateTargetPaths`` in
  ``resources/page/page_paths.go`` (``url`` kept as written for pages, everything else passed
  through ``MakePathSanitized``), and ``Sanitize`` in ``common/paths/path.go``.

Languages: a file's language code is taken from its name as each generator does
(``language_suffix``: Zola's ``FileInfo::find_language``, the code after the stem's first dot;
Hugo's path parser, the code before the extension) and the language's URL prefix is passed to
``page_url`` (Zola's ``Page::parse`` and ``Section::parse`` put it before every path but a
``path`` front matter value; Hugo before every path, a ``url`` without a leading slash and a
site-relative alias, per the "URL management" page).

Hugo's ``permalinks`` (the map form, per top-level section, with the tokens of the "Configure
permalinks" page) and ``uglyURLs`` apply to regular pages.

Not modelled: Zola ``slugify.paths_keep_dates``; Hugo's array form of ``permalinks`` and
permalinks of sections and terms, ``disablePathToLower``, ``removePathAccents``, ``:filename``
dates and permalink tokens inside ``url``. ``date_from_name`` is what the file name says even
when front matter sets ``date`` (which wins in Zola).
"""

from __future__ import annotations

import datetime
import posixpath
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from postlint.slug import slugify_path

GENERATORS = ("zola", "hugo", "plain")

# Zola's RFC3339_DATE (page.rs): a date or RFC 3339 datetime, then optionally an optional
# whitespace, `_` or `-`, and the rest of the name as the slug.
_ZOLA_DATE = re.compile(
    r"^(?P<datetime>(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?"
    r"(Z|(\+|-)([01][0-9]|2[0-3]):([0-5][0-9])))?)"
    r"(\s?(_|-)(?P<slug>.+\Z))?"
)


@dataclass(frozen=True, slots=True)
class PageRoute:
    """Where a content file ends up.

    ``url`` is site-absolute and, unless the generator keeps a file name such as ``x.html``,
    ends with ``/``; it is not percent-encoded. ``aliases`` are the extra paths that redirect
    to it, in the same form. ``date_from_name`` is the date or datetime prefix of the file (or
    bundle folder) name, Zola only. ``bundle_dir`` is the content-relative folder whose other
    files are the page's colocated assets (``index.md`` bundles and ``_index.md`` sections;
    ``""`` for the content root), else ``None``.
    """

    url: str
    aliases: tuple[str, ...]
    date_from_name: str | None
    is_section: bool
    bundle_dir: str | None


def _split(rel_path: str) -> tuple[list[str], str]:
    """The folders and the file name of a content-relative POSIX path."""
    parts = [p for p in rel_path.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts:
        raise ValueError(f"not a content file path: {rel_path!r}")
    return parts[:-1], parts[-1]


def _stem(filename: str) -> str:
    """Rust's ``Path::file_stem``: the name without its last extension."""
    if filename.startswith(".") and filename.count(".") == 1:
        return filename
    return filename.rsplit(".", 1)[0] if "." in filename else filename


def _str_field(front_matter: Mapping[str, Any], key: str) -> str | None:
    value = front_matter.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _aliases_field(front_matter: Mapping[str, Any]) -> list[str]:
    value = front_matter.get("aliases")
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _with_dir_slash(path: str) -> str:
    return path if path.endswith("/") else path + "/"


# ---------------------------------------------------------------------------------------- Zola


def _zola_alias(alias: str) -> str:
    """Zola writes an alias at ``<alias>/index.html``, or at ``<alias>`` if it ends in .html."""
    parts = [p for p in alias.strip().split("/") if p]
    if not parts:
        return "/"
    joined = "/" + "/".join(parts)
    return joined if parts[-1].endswith(".html") else joined + "/"


def _zola_route(
    folders: list[str], filename: str, fm: Mapping[str, Any], mode: str, prefix: str
) -> PageRoute:
    name = _stem(filename)
    aliases = tuple(_zola_alias(a) for a in _aliases_field(fm))
    if name == "_index":
        url = prefix + "/" + "".join(f + "/" for f in folders)
        return PageRoute(url, aliases, None, True, "/".join(folders))

    components = list(folders)
    colocated = bool(components) and name.split(".")[0] == "index"
    if colocated:
        components.pop()
    # Zola takes an index.md page's slug from its folder ("content" at the root).
    for_slug = (folders[-1] if folders else "content") if name == "index" else name

    dated_slug = None
    date_from_name = None
    match = _ZOLA_DATE.match(for_slug)
    if match:
        date_from_name = match.group("datetime")
        dated_slug = match.group("slug")

    fm_slug = _str_field(fm, "slug")
    if fm_slug is not None:
        slug = slugify_path(fm_slug, mode)
    elif dated_slug is not None:
        slug = slugify_path(dated_slug, mode)
    else:
        slug = slugify_path(for_slug, mode)

    fm_path = _str_field(fm, "path")
    if fm_path is not None:
        path = fm_path.strip()
        url = path if path.startswith("/") else "/" + path
    elif components:
        url = prefix + "/" + "/".join(components) + "/" + slug
    elif name == "index" and not colocated:
        url = prefix + "/"
    else:
        url = prefix + "/" + slug
    bundle_dir = "/".join(folders) if colocated else None
    return PageRoute(_with_dir_slash(url), aliases, date_from_name, False, bundle_dir)


# ---------------------------------------------------------------------------------------- Hugo


def _go_is_space(char: str) -> bool:
    if ord(char) <= 0xFF:
        return char in "\t\n\v\f\r \x85\xa0"
    return char.isspace()


def _hugo_allowed(text: str, i: int, char: str) -> bool:
    """``isAllowedPathCharacter`` from Hugo's common/paths/path.go."""
    if char == " ":
        return False
    category = unicodedata.category(char)
    if category.startswith("L") or category == "Nd" or category.startswith("M"):
        return True
    if char in "./\\_#+~":
        return True
    hexdigits = "0123456789abcdefABCDEF"
    return (
        char == "%" and i + 2 < len(text) and text[i + 1] in hexdigits and text[i + 2] in hexdigits
    )


def hugo_sanitize(text: str) -> str:
    """Hugo's ``MakePathSanitized`` with default settings: ``paths.Sanitize``, then lower case.

    Allowed characters are kept; a run of ``-`` or whitespace becomes one ``-`` (never leading,
    never trailing); any other character is dropped without a dash (``a&b`` -> ``ab``).
    """
    out: list[str] = []
    pending_dash = False
    for i, char in enumerate(text):
        if _hugo_allowed(text, i, char):
            if pending_dash:
                out.append("-")
                pending_dash = False
            out.append(char)
        elif out and (char == "-" or _go_is_space(char)):
            pending_dash = True
    # Go's strings.ToLower maps rune by rune (simple case mapping).
    return "".join(c.lower() if len(c.lower()) == 1 else c.lower()[0] for c in "".join(out))


def _hugo_url_field(url: str, sanitize: bool, prefix: str = "") -> str:
    """A ``url`` front matter value as ``CreateTargetPaths`` links it.

    A value containing ``..`` is first cleaned (Go's ``path.Join("/", url)``, which also drops
    a trailing slash); the result gets a trailing ``/`` if the value ends with one or has no dot
    at all, else it is kept as a file name (``x.html``). Only sections sanitize their ``url``.
    A value without a leading slash is below the language's ``prefix``.
    """
    if not url.startswith("/") and prefix:
        return prefix + _hugo_url_field(url, sanitize)
    if ".." in url:
        url = posixpath.normpath("/" + url.lstrip("/"))
    fields = [f for f in url.split("/") if f]
    if sanitize:
        fields = [s for s in (hugo_sanitize(f) for f in fields) if s]
    if not fields:
        return "/"
    joined = posixpath.normpath("/" + "/".join(fields))
    if joined == "/":
        return "/"
    if url.endswith("/") or "." not in url:
        return joined + "/"
    return joined


def _hugo_alias(alias: str, page_url: str, prefix: str = "") -> str:
    """Site-relative aliases are below the language's prefix; page-relative ones resolve
    against the page's parent."""
    alias = alias.strip()
    if alias.startswith("/"):
        target = prefix + alias
    else:
        parent = posixpath.dirname(page_url.rstrip("/"))
        target = posixpath.join(parent or "/", alias)
    parts = [p for p in posixpath.normpath("/" + target).split("/") if p]
    if not parts:
        return "/"
    joined = "/" + "/".join(parts)
    return joined if "." in parts[-1] and not alias.endswith("/") else joined + "/"


_PERMALINK_TOKEN = re.compile(r":(\w+)(?:\[([^\]]*)\])?")
_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _hugo_date(fm: Mapping[str, Any]) -> datetime.date:
    """The page's date as Hugo's default front matter configuration finds it (``date``, then
    the publish and modification dates); Go's zero time when there is none."""
    lowered = {str(k).lower(): v for k, v in fm.items()}
    for key in _DATE_KEYS:
        value = lowered.get(key)
        if isinstance(value, datetime.date):
            return value.date() if isinstance(value, datetime.datetime) else value
        match = _DATE.match(str(value)) if value is not None else None
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
    return datetime.date(1, 1, 1)


def _sections_slice(sections: list[str], spec: str | None) -> list[str]:
    """``:sections[1:]``, ``[:last]``, ``[last]``: Hugo's slice syntax, never out of range."""
    if spec is None:
        return sections
    last = len(sections) - 1
    parts = [p.strip().replace("last", str(last)) for p in spec.split(":")]
    try:
        if len(parts) == 1:
            return sections[int(parts[0]) : int(parts[0]) + 1]
        start = int(parts[0]) if parts[0] else 0
        end = int(parts[1]) if parts[1] else len(sections)
    except ValueError:
        return sections
    return sections[start:end]


def _hugo_permalink(pattern: str, folders: list[str], base: str, fm: Mapping[str, Any]) -> str:
    """A page's path from a ``permalinks`` pattern (the tokens of Hugo's permalinks page)."""
    day = _hugo_date(fm)
    title = _str_field(fm, "title") or base
    slug = _str_field(fm, "slug") or ""
    sections = [hugo_sanitize(f) for f in folders]

    def token(match: re.Match[str]) -> str:
        name, spec = match.group(1), match.group(2)
        values = {
            "year": f"{day.year:04d}",
            "month": f"{day.month:02d}",
            "monthname": day.strftime("%B"),
            "day": f"{day.day:02d}",
            "weekday": str((day.weekday() + 1) % 7),
            "weekdayname": day.strftime("%A"),
            "yearday": str(day.timetuple().tm_yday),
            "section": sections[0] if sections else "",
            "sectionslug": sections[0] if sections else "",
            "sections": "/".join(_sections_slice(sections, spec)),
            "sectionslugs": "/".join(_sections_slice(sections, spec)),
            "title": hugo_sanitize(title),
            "slug": hugo_sanitize(slug or title),
            "filename": hugo_sanitize(base),
            "contentbasename": hugo_sanitize(base),
            "slugorfilename": hugo_sanitize(slug or base),
            "slugorcontentbasename": hugo_sanitize(slug or base),
        }
        return values.get(name, match.group(0))

    path = _PERMALINK_TOKEN.sub(token, pattern)
    return "/" + "/".join(p for p in path.split("/") if p) + ("/" if path.endswith("/") else "")


def hugo_page_options(config: Mapping[str, Any], section: str) -> tuple[str | None, bool]:
    """The ``permalinks`` pattern and whether ``uglyURLs`` apply to regular pages of the
    top-level ``section``, from a Hugo configuration with lower-cased keys (the map form
    ``[permalinks] posts = ...`` or ``[permalinks.page] posts = ...``)."""
    permalinks = config.get("permalinks")
    pattern = None
    if isinstance(permalinks, Mapping):
        pages = permalinks.get("page")
        table = pages if isinstance(pages, Mapping) else permalinks
        found = table.get(section.lower())
        pattern = found if isinstance(found, str) else None
    ugly = config.get("uglyurls")
    if isinstance(ugly, Mapping):
        ugly = ugly.get(section.lower())
    return pattern, ugly is True


def _hugo_route(
    folders: list[str],
    filename: str,
    fm: Mapping[str, Any],
    prefix: str,
    permalink: str | None = None,
    ugly: bool = False,
) -> PageRoute:
    name = filename.rsplit(".", 1)[0] if "." in filename else filename
    fm_url = _str_field(fm, "url")
    if name == "_index":
        if fm_url is not None:
            url = _hugo_url_field(fm_url, sanitize=True, prefix=prefix)
        else:
            url = prefix + "/" + "".join(hugo_sanitize(f) + "/" for f in folders)
        aliases = tuple(_hugo_alias(a, url, prefix) for a in _aliases_field(fm))
        return PageRoute(url, aliases, None, True, "/".join(folders))

    bundle_dir: str | None = None
    if name == "index":
        if not folders:
            return PageRoute(prefix + "/", (), None, False, "")
        container, base = folders[:-1], folders[-1]
        bundle_dir = "/".join(folders)
    else:
        container, base = folders, name
    base_name = base
    fm_slug = _str_field(fm, "slug")
    if fm_slug is not None and fm_slug != "":
        base = fm_slug
    if fm_url is not None and fm_url != "":
        url = _hugo_url_field(fm_url, sanitize=False, prefix=prefix)
    else:
        if permalink is not None and container:
            url = prefix + _hugo_permalink(permalink, container, base_name, fm)
        else:
            segments = [hugo_sanitize(s) for s in [*container, base]]
            url = prefix + "/" + "".join(s + "/" for s in segments if s not in ("", "/"))
        if ugly and url.endswith("/") and url != prefix + "/":
            url = url[:-1] + ".html"
    aliases = tuple(_hugo_alias(a, url, prefix) for a in _aliases_field(fm))
    return PageRoute(url, aliases, None, False, bundle_dir)


# --------------------------------------------------------------------------------------- plain


def _plain_route(folders: list[str], filename: str) -> PageRoute:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return PageRoute("/" + "".join(f + "/" for f in [*folders, stem]), (), None, False, None)


def page_url(
    rel_path: str,
    front_matter: Mapping[str, Any],
    generator: str,
    slug_mode: str = "on",
    prefix: str = "",
    *,
    permalink: str | None = None,
    ugly: bool = False,
) -> PageRoute:
    """The published route of a content file.

    ``rel_path`` is relative to the content folder, POSIX style (``posts/2024-01-02-hello.md``,
    ``posts/trip/index.md``, ``blog/_index.md``). ``generator`` is ``zola``, ``hugo`` or
    ``plain`` (the path without its extension, front matter ignored). ``slug_mode`` is Zola's
    ``[slugify] paths`` setting; Hugo has no such setting and ignores it.

    Zola: the slug comes from ``slug`` front matter, else the name after a date prefix, else the
    file stem (the folder name for ``index.md``), slugified with ``slug_mode``; folders above
    stay as written; ``path`` front matter replaces the whole path and is not slugified.
    Hugo: ``slug`` replaces the last segment, ``url`` the whole path (kept as written for pages,
    sanitized for sections); every other segment is sanitized and lower-cased.
    ``prefix`` is the URL prefix of the page's language (``/fr``), with its language code
    already taken out of ``rel_path`` (see ``language_suffix``). Hugo only: ``permalink`` is
    the ``permalinks`` pattern of the page's section and ``ugly`` its ``uglyURLs`` setting
    (see ``hugo_page_options``); a page's ``url`` wins over both.
    """
    folders, filename = _split(rel_path)
    if generator == "zola":
        return _zola_route(folders, filename, front_matter, slug_mode, prefix)
    if generator == "hugo":
        return _hugo_route(folders, filename, front_matter, prefix, permalink, ugly)
    if generator == "plain":
        return _plain_route(folders, filename)
    raise ValueError(f"unknown generator {generator!r}; expected one of {', '.join(GENERATORS)}")


def language_suffix(
    rel_path: str, generator: str, codes: Collection[str]
) -> tuple[str, str | None]:
    """A content path without the language code in its file name, and that code (None: none).

    ``codes`` are the languages a name may carry. Zola (``FileInfo::find_language``) looks after
    the stem's first dot: ``post.fr.md`` is ``post.md`` in ``fr``; its default language is never
    taken out (``post.en.md`` keeps its name), so leave it out of ``codes``. Hugo looks right
    before the extension: ``about.fr.md`` and ``index.fr.md`` are ``about.md`` and ``index.md``.
    """
    folder, slash, filename = rel_path.rpartition("/")
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem:
        return rel_path, None
    if generator == "zola":
        name, _, code = stem.partition(".")
    elif generator == "hugo":
        name, _, code = stem.rpartition(".")
        code = code.lower()
    else:
        return rel_path, None
    if not name or code not in codes:
        return rel_path, None
    return f"{folder}{slash}{name}.{extension}", code


_DIRECTORY_INDEXES = frozenset({"index.html", "index.htm"})


def normalize_url_path(path: str, *, base: str = "/") -> str:
    """A URL path in one canonical form, so a link target can be compared with a page URL.

    Query and fragment are dropped; a relative path is resolved against ``base`` (a page URL;
    a ``base`` without a trailing slash is a file, so its last segment is replaced); each
    segment is percent-decoded, then ``.`` and ``..`` segments are resolved (never above the
    root) and empty ones dropped; a final ``index.html``/``index.htm`` is dropped; and the result
    always ends with ``/``. That last rule makes ``/a``, ``/a/`` and ``/a/index.html`` equal,
    and turns ``/a.png`` into the key ``/a.png/``: this is a comparison key, not a URL to print.
    Case is kept (servers are case-sensitive).
    """
    path = path.split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("/"):
        base_path = base.split("#", 1)[0].split("?", 1)[0] or "/"
        if not base_path.startswith("/"):
            base_path = "/" + base_path
        base_dir = base_path if base_path.endswith("/") else base_path.rsplit("/", 1)[0] + "/"
        path = base_dir + path if path else base_path
    segments: list[str] = []
    for raw in path.split("/"):
        segment = unquote(raw)
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    if segments and segments[-1] in _DIRECTORY_INDEXES:
        segments.pop()
    return "/" + "".join(s + "/" for s in segments)
