"""Images: every picture a post shows must exist where the browser will look for it.

Sources resolve through the site index as the browser resolves them against the published
page: site-absolute paths from the site root (``static/``, a theme's, a page bundle's folder),
relative paths against the page's URL (which ``path`` or ``slug`` may move). A source that
climbs above the site is reported as such; no file outside the site is ever looked at. File
names are compared exactly, and again ignoring letter case, so a name that only works on a
case-insensitive laptop is called out.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from postlint.globs import Globs
from postlint.index import Published, above_root
from postlint.model import Finding, Image, Post, Span
from postlint.rule import Context, Example, Family, Option, PostSummary, Rule, Site, SiteInfo
from postlint.urls import normalize_url_path

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
# resolving an image through the site index


def is_local(src: str) -> bool:
    src = src.strip()
    return bool(src) and not _REMOTE.match(src) and not src.startswith(("#", "{{", "{%"))


def _clean(src: str) -> str:
    path = src.strip().split("#", 1)[0].split("?", 1)[0]
    return unquote(path)


def _path(src: str) -> str:
    """The path of a source as written (query and fragment dropped, still percent-encoded)."""
    return src.strip().split("#", 1)[0].split("?", 1)[0]


def _shown(key: str) -> str:
    """A URL key as messages show it (keys end with ``/``; a file's URL does not)."""
    return key[:-1] if key != "/" else key


@dataclass
class Resolution:
    """Where an image source points: the file found, or why not and what almost matched."""

    found: Published | None = None
    case: Published | None = None  # the file that matches only if letter case is ignored
    outside: bool = False  # it climbs above the site's root
    key: str | None = None  # the URL the browser asks for (relative sources)
    tried: str | None = None  # the file the generator would serve, from the site root
    beside: tuple[Published, str] | None = None  # beside the post's file, and its URL


def resolve(src: str, summary: PostSummary, site: Site, lenient: bool = False) -> Resolution:
    """An image as the browser finds it: a relative source against the page's URL (which
    ``path`` or ``slug`` may move), a site-absolute one from the site root, both through the
    site index. ``lenient`` (shortcodes, front matter values, the unused-image scan) also takes
    the path relative to the post's file and to the content or static folder, as templates may.
    A plain folder has no URLs: there a source is relative to the file, as editors show it."""
    info = site.info
    path = _path(src)
    result = Resolution()
    if info.generator == "plain":
        if path.startswith("/"):
            return result  # no site: nothing says where site-absolute paths point
        folder = posixpath.dirname(summary.rel or "")
        if above_root(path, f"/{folder}/" if folder else "/"):
            result.outside = True
            return result
        rel = posixpath.normpath(posixpath.join(folder, _clean(src)))
        if site.files.exists(rel):
            result.found = Published(rel, info.root / rel)
        return result
    routes = site.routes
    keys = []
    if path.startswith("/"):
        keys.append(normalize_url_path(path))
        static = info.static_shown
        result.tried = f"{static}/{posixpath.normpath(_clean(src)).lstrip('/')}"
    else:
        if above_root(path, summary.url):
            result.outside = True
        else:
            result.key = normalize_url_path(path, base=summary.url)
            keys.append(result.key)
            if summary.bundle_dir is not None and posixpath.dirname(
                result.key.rstrip("/")
            ) == summary.url.rstrip("/"):
                prefix = info.content_shown
                name = posixpath.basename(result.key.rstrip("/"))
                result.tried = "/".join(p for p in (prefix, summary.bundle_dir, name) if p)
        beside = _beside(path, summary, info)
        if lenient:
            keys += [k for k in (beside, normalize_url_path("/" + path)) if k]
        elif beside is not None and not result.outside:
            found = routes.file(beside)
            if found is not None:
                result.beside = (found, _shown(beside))
    for key in keys:
        found = routes.file(key)
        if found is not None:
            result.found = found
            result.outside = False
            return result
    for key in keys:
        result.case = result.case or routes.file_ignoring_case(key)
    return result


def _beside(path: str, summary: PostSummary, info: SiteInfo) -> str | None:
    """The URL key of the file at ``path`` from the post's own folder (where an editor's
    preview finds it), when that file is one the site publishes: in the content folder or in
    the static folder (``../../static/images/a.png`` is published at ``/images/a.png``)."""
    if summary.rel is None:
        return None
    prefix = info.content_shown
    folder = posixpath.dirname(f"{prefix}/{summary.rel}" if prefix else summary.rel)
    rel = posixpath.normpath(posixpath.join(folder, path))
    static = info.static_shown
    for top in (prefix, static):
        if top and rel.startswith(top + "/"):
            return normalize_url_path(rel[len(top) :])
    return None if prefix else normalize_url_path("/" + rel)


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
        covers = site.collected(self.name)
        for path, summary in site.posts.items():
            if not site.reports(path):
                continue
            for image in summary.images:
                if isinstance(image, Image) and is_local(image.src):
                    finding = self._judge(image, summary, site)
                    if finding is not None:
                        yield path, finding
            for value, span in covers.get(path, ()):
                image = Image(value, "cover", span, span, "shortcode")
                finding = self._judge(image, summary, site, key=True)
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
        self, image: Image, summary: PostSummary, site: Site, key: bool = False
    ) -> Finding | None:
        if "{{" in image.src or "{%" in image.src:
            return None
        result = resolve(image.src, summary, site, lenient=image.kind == "shortcode")
        if result.found:
            return None
        src = image.src
        if result.case:
            return self.finding(
                image.src_span,
                f"`{src}` matches `{result.case.shown}` only if letter case is ignored: "
                "it works on a laptop and breaks on the Linux server; write the name "
                "exactly as the file is named.",
            )
        if result.outside:
            return self.finding(
                image.src_span,
                f"The image `{src}` points outside the site: it climbs above the site's root; "
                "fix the path.",
            )
        if result.beside:
            found, url = result.beside
            return self.finding(
                image.src_span,
                f"The image `{src}` names `{found.shown}`, but the page is published at "
                f"`{summary.url}`, where the browser asks for `{_shown(result.key or '')}`, "
                f"which does not exist; write `{url}`.",
            )
        if site.info.generator == "plain" and _clean(src).startswith("/"):
            return None  # no site: nothing says where site-absolute paths point
        if result.tried:
            where = f" (looked for `{result.tried}`)"
        elif result.key:
            where = f" (the page `{summary.url}` asks for `{_shown(result.key)}`)"
        else:
            where = ""
        if key:
            message = f"The front matter names the image `{src}`, which does not exist"
        else:
            message = f"The image `{src}` does not exist"
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
    and whose name appears in no template, stylesheet or site configuration. A package copied
    into `static/` with its own licence file (an icon library) is left alone. It only runs
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
    `unused-ignore`: glob patterns (relative to the configuration's folder, as `exclude`) of
    images never reported.
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
        if info.generator == "plain" or not site.complete:
            return  # a post this run did not read may use any image
        candidates = [file for file in _candidates(site) if site.reports(_display(file.path))]
        if not candidates:
            return
        used: set[Path] = set()
        names: set[str] = set()
        for mentioned in site.collected(self.name).values():
            names |= mentioned
        for summary in site.posts.values():
            refs = [i.src for i in summary.images] + [link.url for link in summary.links]
            refs += [s for s in _strings(summary.front_matter) if "." in s or "/" in s]
            for ref in refs:
                if not is_local(ref):
                    continue
                hit = resolve(ref, summary, site, lenient=True).found
                if hit:
                    used.add(hit.path)
                names.add(posixpath.basename(_clean(ref)).casefold())
        names |= _names_in_theme(site)
        ignore = Globs(ctx.options.get("unused-ignore", ()), ctx.config.root)
        for file in candidates:
            if not file.path.name.lower().endswith(IMAGE_SUFFIXES) or file.path in used:
                continue
            if file.path.name.casefold() in names:
                continue
            if ignore.matches(file.path):
                continue
            yield (
                _display(file.path),
                self.finding(
                    Span(0, 0, 1, 1, 1, 1),
                    f"No page uses the image `{file.shown}`; delete it or link it from a post.",
                ),
            )


def _candidates(site: Site) -> list[Published]:
    """The files that could be unused images: the static folder's, and those beside a page
    bundle's or a section's index."""
    info = site.info
    found = []
    for folder, names in site.files.static:
        if folder == info.static_dir:
            shown = info.shown(folder)
            vendored = _vendored(names)
            found += [
                Published(f"{shown}/{name}", folder / name)
                for name in names
                if not name.startswith(vendored)
            ]
    bundles = {
        posixpath.dirname(summary.rel)
        for summary in site.posts.values()
        if summary.rel is not None and posixpath.basename(summary.rel) in ("index.md", "_index.md")
    }
    prefix = info.content_shown
    for rel in site.files.content:
        if posixpath.dirname(rel) in bundles:
            shown = f"{prefix}/{rel}" if prefix else rel
            found.append(Published(shown, info.content_dir / rel))
    return found


def _vendored(names: Iterable[str]) -> tuple[str, ...]:
    """Folders (as ``"name/"`` prefixes) of a third-party package copied as is, known by its
    own licence file (``fontawesome/LICENSE.txt``): its stylesheets use its images by class."""
    return tuple(
        name.rpartition("/")[0] + "/"
        for name in names
        if "/" in name and name.rpartition("/")[2].upper().startswith(("LICENSE", "LICENCE"))
    )


def _display(file: Path) -> str:
    try:
        return file.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return file.as_posix()


def _names_in_theme(site: Site) -> set[str]:
    """Image file names mentioned by templates, styles, data and the site configuration."""
    names: set[str] = set()
    for file in site.files.theme:
        text = site.files.read(file)
        for m in _QUOTED.finditer(text or ""):
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
            "unused-ignore",
            (),
            "Globs (from the configuration's folder, as `exclude`) of images never reported"
            " unused.",
            list,
        ),
    ),
)
