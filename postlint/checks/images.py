"""Images: every picture a post shows must exist where the generator will look for it.

Paths resolve as Zola and Hugo resolve them: site-absolute paths under ``static/`` (or a page
bundle's folder in ``content/``), paths relative to the post's file, assets beside an
``index.md`` bundle, and paths relative to the page's published URL (which ``path`` or
``slug`` may move). File names are compared exactly, and again ignoring letter case, so a name
that only works on a case-insensitive laptop is called out.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from postlint.model import Finding, Image, Post, Span
from postlint.rule import Context, Example, Family, Option, PostSummary, Rule, Site, SiteInfo

IMAGE_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".bmp",
    ".tif",
    ".tiff",
    ".ico",
    ".heic",
)
HOTLINK_HOSTS = (
    "googleusercontent.com",
    "docs.google.com",
    "drive.google.com",
    "photos.google.com",
    "photos.app.goo.gl",
    "dropbox.com",
    "dropboxusercontent.com",
    "onedrive.live.com",
    "1drv.ms",
    "sharepoint.com",
    "cdn.discordapp.com",
    "media.discordapp.net",
    "files.slack.com",
    "pbs.twimg.com",
    "scontent.xx.fbcdn.net",
    "fbcdn.net",
    "cdninstagram.com",
    "notion.so",
    "prod-files-secure.s3.us-west-2.amazonaws.com",
)
# query parameters that make a URL expire: S3/GCS signatures, CloudFront, Azure SAS
_EXPIRY_PARAMS = ("x-amz-expires", "x-amz-signature", "x-goog-expires", "expires", "se")
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_GOOD = '+++\ntitle = "Trip"\n+++\n![The harbour at dawn](/images/harbour.jpg)\n'
_PNG = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------------------------
# the file index


class FileIndex:
    """Files under one folder by relative POSIX path, exactly and case-folded."""

    def __init__(self, root: Path | None, files: Iterable[Path] | None = None) -> None:
        self.root = root
        self.exact: set[str] = set()
        self.folded: dict[str, str] = {}
        if root is None:
            return
        if files is None:
            files = _walk(root)
        for file in files:
            try:
                rel = file.relative_to(root).as_posix()
            except ValueError:
                continue
            self.exact.add(rel)
            self.folded.setdefault(rel.casefold(), rel)

    def find(self, rel: str) -> tuple[bool, str | None]:
        """(exists exactly, the file that matches only ignoring case)."""
        if rel in self.exact:
            return True, None
        return False, self.folded.get(rel.casefold())


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            yield Path(dirpath, name)


def is_local(src: str) -> bool:
    src = src.strip()
    return bool(src) and not _REMOTE.match(src) and not src.startswith(("#", "{{", "{%"))


def _clean(src: str) -> str:
    path = src.strip().split("#", 1)[0].split("?", 1)[0]
    return unquote(path)


def _folder(root: Path, site: SiteInfo) -> str:
    try:
        return root.relative_to(site.root).as_posix()
    except ValueError:
        return root.as_posix()


class Resolution:
    """Where an image source points: the file found, or what almost matched."""

    def __init__(self) -> None:
        self.found: str | None = None  # "static:rel", "content:rel" or "file:path"
        self.case: tuple[str, str] | None = None  # (folder, actual relative path)
        self.tried: list[str] = []


class Resolver:
    """Resolves image sources as the generator does, against the files as they are now.

    Built in the site phase (never cached between runs), so adding or renaming a file is seen
    even when the posts' own results come from the cache.
    """

    def __init__(self, site: SiteInfo, static_files: Iterable[Path] | None = None) -> None:
        self.site = site
        self.static = FileIndex(site.static_dir, static_files or None)
        plain = site.generator == "plain" or not site.content_dir.is_dir()
        self.content = FileIndex(None if plain else site.content_dir)
        self.content_root = None if plain else site.content_dir.resolve()
        self._rel: dict[Path, str | None] = {}

    def content_rel(self, source: Path) -> str | None:
        if source not in self._rel:
            if self.content_root is None:
                return None
            try:
                rel = source.resolve().relative_to(self.content_root).as_posix()
            except (ValueError, OSError):
                rel = None
            self._rel[source] = rel
        return self._rel[source]

    def resolve(
        self, src: str, source: Path, url: str | None, shortcode: bool = False
    ) -> Resolution:
        """Shortcode paths may also be relative to the content or static folder, as Zola's
        ``resize_image`` takes them."""
        static, content, site = self.static, self.content, self.site
        result = Resolution()
        path = _clean(src)
        candidates: list[tuple[str, FileIndex, str]] = []
        if path.startswith("/"):
            rel = posixpath.normpath(path).lstrip("/")
            candidates += [("static", static, rel), ("content", content, rel)]
            if static.root is None and site.generator != "plain":
                result.tried.append(f"static/{rel}")  # where the generator would serve it from
        else:
            post_rel = self.content_rel(source)
            if post_rel is not None:
                here = posixpath.dirname(post_rel)
                rel = posixpath.normpath(posixpath.join(here, path))
                if not rel.startswith("../"):
                    candidates.append(("content", content, rel))
                else:
                    beside = os.path.normpath(source.resolve().parent / path)
                    result.tried.append(_folder(Path(beside), site))
            else:
                local = source.parent / path
                if local.exists():
                    result.found = f"file:{local}"
                    return result
            if url is not None and site.generator != "plain":
                base = url if url.endswith("/") else posixpath.dirname(url) + "/"
                rel = posixpath.normpath(posixpath.join(base, path)).lstrip("/")
                if not rel.startswith("../"):
                    candidates += [("static", static, rel), ("content", content, rel)]
            if shortcode:
                rel = posixpath.normpath(path)
                candidates += [("content", content, rel), ("static", static, rel)]
        for where, index, rel in candidates:
            if index.root is None:
                continue
            exists, folded = index.find(rel)
            if exists:
                result.found = f"{where}:{rel}"
                return result
            if folded and result.case is None:
                result.case = (_folder(index.root, site), folded)
            result.tried.append(f"{_folder(index.root, site)}/{rel}")
        return result


_LAST: list[tuple[Site, Resolver]] = []


def _resolver(site: Site) -> Resolver:
    """One resolver (one walk of the content folder) for all image rules of a run."""
    if not (_LAST and _LAST[0][0] is site):
        _LAST[:] = [(site, Resolver(site.info, site.static_files))]
    return _LAST[0][1]


# ---------------------------------------------------------------------------------------------
# rules


class ImageMissing(Rule):
    """Reports a local image that resolves to no file.

    ## What it does
    Resolves every local image (Markdown, `<img src>` and image shortcodes with a literal path)
    and front matter image values (`[extra] cover = "cover.jpg"`)
    the way Zola and Hugo do: site-absolute paths under `static/`, paths relative to the post,
    assets beside an `index.md` page bundle, and paths relative to the page's URL (which a
    `path` or `slug` in the front matter moves). When a file matches only if letter case is
    ignored, the message says so.

    ## Why is this bad?
    A missing image is a broken picture on the published page. A name that differs only in
    case works on macOS and Windows laptops and breaks on the Linux server that builds the site.

    ## Example
    ```markdown
    +++
    title = "Trip"
    +++
    ![The harbour at dawn](/images/harbor.jpg)
    ```

    Use instead:
    ```markdown
    +++
    title = "Trip"
    +++
    ![The harbour at dawn](/images/harbour.jpg)
    ```
    """

    code = "IMG001"
    name = "image-missing"
    summary = "A local image resolves to no file"
    severity = "error"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad = _GOOD.replace("harbour.jpg", "Harbour.jpg")
        files = {"static/images/harbour.jpg": _PNG}
        return (
            Example({"content/post.md": bad, **files}),
            Example({"content/post.md": _GOOD, **files}),
        )

    site_wide = True  # resolved in the site phase, against the files as they are now

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        resolver = _resolver(site)
        covers = site.collected(self.name)
        for path, summary in site.posts.items():
            for image in summary.images:
                if isinstance(image, Image) and is_local(image.src):
                    finding = self._judge(image, summary, resolver)
                    if finding is not None:
                        yield path, finding
            for value, span in covers.get(path, ()):
                image = Image(value, "cover", span, span, "shortcode")
                finding = self._judge(image, summary, resolver, key=True)
                if finding is not None:
                    yield path, finding

    def collect(self, post: Post, ctx: Context) -> Any:
        """Front matter values that name a local image (``[extra] cover``), with their spans."""
        fm = post.front_matter
        if fm is None:
            return None
        found = []
        for key, value in _leaves(fm.data, ""):
            if not (
                isinstance(value, str)
                and is_local(value)
                and value.lower().endswith(IMAGE_SUFFIXES)
                and "{" not in value
            ):
                continue
            span = fm.key_span(key)
            line_end = post.text.find("\n", span.end)
            at = post.text.find(value, span.end, len(post.text) if line_end < 0 else line_end)
            found.append((value, post.span(at, at + len(value)) if at >= 0 else span))
        return tuple(found) or None

    def _judge(
        self, image: Image, summary: PostSummary, resolver: Resolver, key: bool = False
    ) -> Finding | None:
        if "{{" in image.src or "{%" in image.src:
            return None
        shortcode = image.kind == "shortcode"
        result = resolver.resolve(image.src, Path(summary.source), summary.url, shortcode)
        if result.found:
            return None
        if result.case:
            folder, actual = result.case
            return self.finding(
                image.src_span,
                f"`{image.src}` matches `{folder}/{actual}` only if letter case is ignored: "
                "it works on a laptop and breaks on the Linux server; write the name "
                "exactly as the file is named.",
            )
        if resolver.site.generator == "plain" and _clean(image.src).startswith("/"):
            return None  # no site: nothing says where site-absolute paths point
        where = f" (looked for `{result.tried[0]}`)" if result.tried else ""
        if key:
            message = f"The front matter names the image `{image.src}`, which does not exist"
        else:
            message = f"The image `{image.src}` does not exist"
        return self.finding(image.src_span, f"{message}{where}; add the file or fix the path.")


class ImageAltMissing(Rule):
    """Reports an image without alt text.

    ## What it does
    Reports images whose alt text is empty or missing (`![](...)`, `<img>` without `alt`,
    a shortcode's empty `alt` argument; a shortcode without one may not take it).

    ## Why is this bad?
    Screen readers announce an image without alt text as a file name or skip it, and the text
    is what readers see when the image fails to load.

    ## Example
    ```markdown
    ![](/images/chart.png)
    ```

    Use instead:
    ```markdown
    ![Monthly sales, 2024: a steady rise to December](/images/chart.png)
    ```
    """

    code = "IMG002"
    name = "image-alt-missing"
    summary = "An image has no alt text"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for image in post.images:
            if image.kind == "shortcode" and image.alt_span is None:
                continue  # a shortcode without an alt argument may not take one
            if image.attribute != "src":
                continue  # a srcset candidate or a poster: the alt text is the <img src>'s
            if not image.alt.strip():
                yield self.finding(
                    image.span,
                    "This image has no alt text; describe what it shows for readers who "
                    "cannot see it.",
                )


class ImageAltDuplicate(Rule):
    """Reports the same alt text on different images of one post.

    ## What it does
    Reports an image whose alt text repeats, word for word, the alt text of a different image
    earlier in the post.

    ## Why is this bad?
    Two different pictures rarely show the same thing: the second alt text is usually a
    copy-paste left unchanged, and a reader who cannot see the images hears the same words twice.

    ## Example
    ```markdown
    ![Sales by region](/images/sales-2023.png)

    ![Sales by region](/images/sales-2024.png)
    ```

    Use instead:
    ```markdown
    ![Sales by region, 2023](/images/sales-2023.png)

    ![Sales by region, 2024](/images/sales-2024.png)
    ```
    """

    code = "IMG003"
    name = "image-alt-duplicate"
    summary = "Different images of one post share the same alt text"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        seen: dict[str, Image] = {}
        for image in post.images:
            key = " ".join(image.alt.casefold().split())
            if not key:
                continue
            first = seen.setdefault(key, image)
            if first is not image and _clean(first.src) != _clean(image.src):
                yield self.finding(
                    image.alt_span or image.span,
                    f"This alt text is the same as the image's on line {first.span.line} "
                    f"(`{first.src}`); describe what this image shows.",
                )


def _hotlink_reason(src: str, hosts: Iterable[str]) -> str | None:
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return None
    for blocked in hosts:
        blocked = blocked.lower().lstrip(".")
        if host == blocked or host.endswith("." + blocked):
            if "dropbox" in blocked and "raw=1" in parts.query:
                continue
            return f"`{host}` links expire or refuse to be embedded on other sites"
    query = {k.lower(): v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    for param in _EXPIRY_PARAMS:
        if param in query and (param != "se" or "sig" in query):
            return f"it is a signed URL that expires (`{param}=`)"
    if host.endswith("dropbox.com") and query.get("dl") == ["0"]:
        return "a Dropbox `dl=0` link is a preview page, not an image"
    return None


class ImageHotlink(Rule):
    """Reports a remote image on a host whose links expire or block embedding.

    ## What it does
    Reports images served from Google Drive, Docs and Photos (`googleusercontent.com`), Dropbox
    previews, chat apps, social media CDNs and signed URLs with an expiry (`X-Amz-Expires`,
    `Expires=`, an Azure SAS `se=`).

    ## Why is this bad?
    These links work when the post is written and break days later, or only for the writer who
    is signed in. Download the image into the site instead.

    ## Example
    ```markdown
    ![Team photo](https://lh3.googleusercontent.com/d/abc123)
    ```

    Use instead:
    ```markdown
    ![Team photo](https://example.org/images/team.jpg)
    ```

    ## Options
    `hotlink-hosts`: the hosts to report (subdomains included).
    """

    code = "IMG004"
    name = "image-hotlink"
    summary = "A remote image is on a host whose links expire or block embedding"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        hosts = ctx.options.get("hotlink-hosts", HOTLINK_HOSTS)
        for image in post.images:
            reason = _hotlink_reason(image.src, hosts)
            if reason:
                yield self.finding(
                    image.src_span,
                    f"This image will not stay visible: {reason}; download it into the site "
                    "and link the copy.",
                )


_SUFFIX_ALTERNATIVES = "|".join(s.lstrip(".") for s in IMAGE_SUFFIXES)
_IMAGE_SUFFIX = re.compile(rf"\.(?:{_SUFFIX_ALTERNATIVES})(?![\w])", re.I)


def image_names(text: str) -> Iterator[str]:
    """File names ending in an image suffix anywhere in ``text`` (found from the suffix back,
    so the scan is linear)."""
    for m in _IMAGE_SUFFIX.finditer(text):
        start = m.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_@%+~.-"):
            start -= 1
        stem = text[start : m.start()]
        if stem.strip("."):
            yield unquote(stem + m.group()).casefold()


_QUOTED = re.compile(rf"""["'(=\s]([^"'()\s<>]+\.(?:{_SUFFIX_ALTERNATIVES}))\b""", re.I)


def _leaves(value: Any, key: str) -> Iterator[tuple[str, Any]]:
    """(dotted key, value) for every scalar of the front matter, lists as ``key[i]``."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _leaves(item, f"{key}.{name}" if key else str(name))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{key}[{i}]")
    else:
        yield key, value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


class ImageUnused(Rule):
    """Reports image files that no page references.

    ## What it does
    Lists image files under `static/` and beside page bundles in `content/` that no post
    references: not as an image, not as a link, not as a front matter value (`[extra] cover`),
    and whose name appears in no template, stylesheet or site configuration. It only runs
    when the whole content folder is checked.

    ## Why is this bad?
    Unused images make the repository and the deploy heavier, and often mean that a post
    points at a different copy than the writer meant.

    ## Example
    ```markdown
    +++
    title = "Trip"
    +++
    A post without pictures.
    ```

    Use instead:
    ```markdown
    +++
    title = "Trip"
    +++
    ![The harbour at dawn](/images/harbour.jpg)
    ```

    ## Options
    `unused-ignore`: glob patterns (relative to the site root) of images never reported.
    """

    code = "IMG005"
    name = "image-unused"
    summary = "An image file is referenced by no page"
    severity = "info"
    site_wide = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        files = {"static/images/harbour.jpg": _PNG}
        bad = _GOOD.replace("![The harbour at dawn](/images/harbour.jpg)", "No pictures.")
        return (
            Example({"content/post.md": bad, **files}),
            Example({"content/post.md": _GOOD, **files}),
        )

    def collect(self, post: Post, ctx: Context) -> Any:
        """Every image file name the post mentions anywhere: srcset, posters, galleries."""
        return frozenset(image_names(post.text))

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        info = site.info
        if info.generator == "plain" or not _whole_content(site):
            return
        resolver = _resolver(site)
        used: set[str] = set()
        names: set[str] = set()
        for mentioned in site.collected(self.name).values():
            names |= mentioned
        for summary in site.posts.values():
            refs = [i.src for i in summary.images] + [link.url for link in summary.links]
            refs += [s for s in _strings(summary.front_matter) if "." in s or "/" in s]
            for ref in refs:
                if not is_local(ref):
                    continue
                hit = resolver.resolve(ref, Path(summary.source), summary.url).found
                if hit:
                    used.add(hit)
                names.add(posixpath.basename(_clean(ref)).casefold())
        names |= _names_in_theme(info)
        ignore = ctx.options.get("unused-ignore", ())
        candidates: list[tuple[str, Path]] = []
        if info.static_dir is not None:
            static = FileIndex(info.static_dir, site.static_files)
            candidates += [(f"static:{rel}", info.static_dir / rel) for rel in sorted(static.exact)]
        bundles = {
            Path(p.source).parent
            for p in site.posts.values()
            if Path(p.source).name in ("index.md", "_index.md")
        }
        for folder in sorted(bundles):
            for entry in sorted(folder.iterdir()):
                if entry.is_file():
                    rel = resolver.content_rel(entry)
                    if rel is not None:
                        candidates.append((f"content:{rel}", entry))
        for key, file in candidates:
            if not file.name.lower().endswith(IMAGE_SUFFIXES) or key in used:
                continue
            if file.name.casefold() in names:
                continue
            shown = _display(file)
            rel_root = _folder(file, info)
            if any(fnmatch.fnmatch(rel_root, pattern) for pattern in ignore):
                continue
            yield (
                shown,
                self.finding(
                    Span(0, 0, 1, 1, 1, 1),
                    f"No page uses the image `{rel_root}`; delete it or link it from a post.",
                ),
            )


def _display(file: Path) -> str:
    try:
        return file.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return file.as_posix()


def _whole_content(site: Site) -> bool:
    """True when every Markdown file of the content folder is in this run."""
    from postlint.site import markdown_files

    content = site.info.content_dir
    if not content.is_dir():
        return False
    checked = {os.path.abspath(p.source) for p in site.posts.values()}
    return all(os.path.abspath(f) in checked for f in markdown_files(content))


_THEME_SUFFIXES = (".html", ".css", ".scss", ".sass", ".js", ".toml", ".yaml", ".yml", ".json")


def _names_in_theme(info: SiteInfo) -> set[str]:
    """Image file names mentioned by templates, styles, data and the site configuration."""
    names: set[str] = set()
    folders = ["templates", "layouts", "sass", "assets", "themes", "data", "i18n", "config"]
    files = [info.root / n for n in ("config.toml", "zola.toml", "hugo.toml", "hugo.yaml")]
    for folder in folders:
        base = info.root / folder
        if base.is_dir():
            files += [f for f in _walk(base) if f.suffix.lower() in _THEME_SUFFIXES]
    for file in files:
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for m in _QUOTED.finditer(text):
            names.add(posixpath.basename(m.group(1)).casefold())
    return names


FAMILY = Family(
    name="images",
    prefix="IMG",
    description="Images: files that exist, alt text, and hosts that keep serving them.",
    rules=(ImageMissing, ImageAltMissing, ImageAltDuplicate, ImageHotlink, ImageUnused),
    options=(
        Option(
            "hotlink-hosts",
            HOTLINK_HOSTS,
            "Hosts whose images expire or refuse embedding (subdomains included).",
            list,
        ),
        Option(
            "unused-ignore", (), "Globs (from the site root) of images never reported unused.", list
        ),
    ),
)
