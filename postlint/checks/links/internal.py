"""Internal links and anchors: every link to a page, file or fragment of the site, resolved
through the site index as the generator publishes it and as the browser follows it.

The index (``Site.routes``) is built once per run from the posts' summaries and the engine's
discovery of the site's files; nothing here reads a file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from postlint.checks.links.common import (
    link_span,
    malformed_reason,
    own_site_path,
    prose_texts,
    scheme_of,
    templated,
)
from postlint.index import Page, Routes, above_root, loose, place
from postlint.model import Finding, Post, Span
from postlint.rule import Context, Rule, Site, SiteInfo
from postlint.urls import normalize_url_path

FEEDS = frozenset({"atom.xml", "rss.xml", "feed.xml", "index.xml"})
ROOT_FILES = frozenset({"sitemap.xml", "robots.txt", "404.html"})
_PAGINATION = re.compile(r"^(?P<base>/(?:.*/)?)page/\d+/$")


# ---------------------------------------------------------------------------------------------
# Resolving a link to a target of the site


@dataclass(frozen=True)
class Resolved:
    """What a link points at inside the site. ``page`` None and ``problem`` set: broken."""

    shown: str  # how the target is named in messages
    page: Page | None = None
    fragment: str | None = None
    problem: str | None = None  # the end of a sentence saying what is wrong
    anchored: bool = True  # whether the fragment names an element id (pages only)


def resolve(link_url: str, source: Page, routes: Routes) -> Resolved | None:
    """The internal target of a link, or None for external, special or unjudgeable links."""
    url = link_url.strip()
    if not url or templated(url) or url == "#":
        return None
    info = routes.info
    fragment: str | None = None
    if "#" in url:
        url, _, frag = url.partition("#")
        fragment = unquote(frag)
    if url.startswith("@/"):
        rel = unquote(url[2:].split("?", 1)[0])
        page = routes.markdown(rel)
        if page is None and routes.generated(rel):
            return Resolved(f"@/{rel}", None, fragment)  # a build step writes it
        if page is None:
            near = difflib.get_close_matches(rel, routes.rels, 1, 0.85)
            hint = f"; did you mean `@/{near[0]}`?" if near else ""
            return Resolved(
                f"@/{rel}",
                problem=f"points at `{_content_name(info, rel)}`, which does not exist{hint}",
            )
        return Resolved(f"@/{rel}", page, fragment)
    if not url or url.startswith("?"):
        return Resolved("this page", source, fragment) if fragment is not None else None
    scheme = scheme_of(url)
    if scheme or url.startswith("//"):
        own = own_site_path(url, info.base_url)
        if own is None:
            return None
        path = own.split("?", 1)[0].split("#", 1)[0]
        return _by_path(normalize_url_path(path), url, fragment, routes)
    path = unquote(url.split("?", 1)[0])
    content_file = path.lower().endswith((".md", ".markdown"))
    if url.startswith("/") and not (content_file and info.generator == "hugo"):
        if info.generator == "plain":
            return None
        return _by_path(normalize_url_path(url), url, fragment, routes)
    if malformed_reason(url, "inline") is not None:
        return None  # a mistyped external address: link-malformed says so
    if content_file:
        folder = PurePosixPath(source.rel).parent.as_posix()
        if path.startswith("/"):  # Hugo finds it from the content folder of the page's language
            folder = place(info, source.rel).folder or "."
        md_rel = posix_normalize(f"{folder}/{path}" if folder != "." else path)
        page = routes.markdown(md_rel) if md_rel is not None else None
        if page is None and md_rel is not None and routes.generated(md_rel):
            return Resolved(url, None, fragment)  # a build step writes it
        if page is None:
            return Resolved(
                url,
                problem=f"points at `{_content_name(info, md_rel or path)}`, which does not exist",
            )
        if info.generator == "zola":
            return Resolved(
                url,
                problem=(
                    f"names a source file, which Zola does not rewrite, so it leads to a missing "
                    f"page; write `@/{md_rel}` (published at `{page.url}`)"
                ),
            )
        return Resolved(url, page, fragment)
    if info.generator == "plain":
        return None
    if above_root(url, source.url):
        return Resolved(
            url,
            problem=f"points outside the site: from `{source.url}` it climbs above the site's root",
        )
    key = normalize_url_path(url, base=source.url)
    return _by_path(key, url, fragment, routes, relative=True)


def posix_normalize(path: str) -> str | None:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _content_name(info: SiteInfo, rel: str) -> str:
    prefix = info.content_shown
    return f"{prefix}/{rel}" if prefix else rel


def _by_path(
    key: str, written: str, fragment: str | None, routes: Routes, relative: bool = False
) -> Resolved:
    candidates = routes.candidates(key)
    for candidate in candidates:
        page = routes.urls.get(candidate)
        if page is not None:
            return Resolved(written, page, fragment)
        if _special(candidate, routes) or routes.generated_page(candidate):
            return Resolved(written, None, fragment)
    parts = [p for p in key.split("/") if p]
    last = parts[-1] if parts else ""
    shown = key[:-1] if "." in last else key
    subject = f"leads to `{shown}`, which is" if relative or not written.startswith("/") else "is"
    if key in routes.folders and key not in routes.sections and routes.info.generator == "zola":
        return Resolved(
            written,
            problem=f"{subject} a content folder without an `_index.md`, so Zola builds "
            "no page there",
        )
    if "." in last:
        static = routes.info.static_dir.name if routes.info.static_dir else "static"
        what = f"not a file in `{static}/` or beside a page"
        hint = ""
    elif len(parts) >= 2 and parts[0] in routes.terms:
        what = f"not a page of this site: no page has the {parts[0]} term `{parts[1]}`"
        hint = ""
    else:
        what = "not a page of this site"
        near = difflib.get_close_matches(key, routes.url_keys, 1, 0.85)
        hint = f"; did you mean `{near[0]}`?" if near else ""
    return Resolved(written, problem=f"{subject} {what}{hint}")


def _special(key: str, routes: Routes) -> bool:
    """Published paths that are not content files: home, sections, feeds, taxonomies."""
    if key in routes.sections or key in routes.files:
        return True
    if key == "/":
        return True
    parts = [p for p in key.split("/") if p]
    if len(parts) == 1 and parts[0] in ROOT_FILES:
        return True
    if parts and parts[-1] in FEEDS:
        parent = "/" + "".join(p + "/" for p in parts[:-1])
        return parent == "/" or _special(parent, routes) or parent in routes.urls
    m = _PAGINATION.match(key)
    if m:
        base = m.group("base")
        return base == "/" or _special(base, routes) or base in routes.urls
    if parts and parts[0] in routes.terms:
        if len(parts) == 1:
            return True
        terms = routes.terms[parts[0]]
        return loose(parts[1]) in terms and (len(parts) == 2 or _special_rest(parts[2:]))
    return False


def _special_rest(rest: list[str]) -> bool:
    return (len(rest) == 1 and rest[0] in FEEDS) or (
        len(rest) == 2 and rest[0] == "page" and rest[1].isdigit()
    )


class LinkInternalBroken(Rule):
    """Flags links to pages and files of the site that do not exist.

    ## What it does
    Resolves every internal link against the whole site: Zola `@/path.md` links, site-absolute
    paths (`/posts/hello/`), relative links (`../other/`, `other.md`, `./notes/`) and links to
    the site's own `base_url`. A target exists when a content file is published there (from
    its path, section `_index.md`, front matter `slug`, `path`, `url` or `aliases`), when a
    file in `static/` or beside a page has that path, or when the generator builds it anyway:
    the home page, section pages, taxonomy and term pages (`/tags/rust/`), pagination
    (`/page/2/`) and feeds (`atom.xml`, `rss.xml`, `feed.xml`, `index.xml`). In a Zola site a
    relative link to a `.md` file is reported too: Zola publishes it unchanged, so it breaks.
    In a Hugo site the targets of the `ref` and `relref` shortcodes (`{{< ref "x.md" >}}`) are
    checked as Hugo finds them (beside the page, under `content/`, then by name). A link
    from a published page to a draft is reported too: a normal build does not publish drafts.

    ## Why is this bad?
    The reader lands on a "page not found" error, and Zola refuses to build a site with a
    broken `@/` link.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    Start with [the setup guide](@/setup.md).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    Start with [the setup guide](@/post.md).
    ```
    """

    code = "LNK001"
    name = "link-internal-broken"
    summary = "Internal link leads to a page or file that does not exist"
    severity = "error"
    site_wide = True

    def collect(self, post: Post, ctx: Context) -> Any:
        if ctx.site.generator != "hugo" or "ref" not in post.text:
            return None
        return hugo_refs(post) or None

    def check_site(self, site: Site, ctx: Context) -> Iterator[tuple[str, Finding]]:
        refs = site.collected(self.name)
        if not refs and not any(s.links for s in site.posts.values()):
            return
        routes = site.routes
        for path, summary in site.posts.items():
            if not site.reports(path):
                continue
            page = routes.page_for(summary.source)
            if page is None:
                continue
            for target_path, span in refs.get(path, ()):
                if hugo_ref_target(target_path, page, routes) is None:
                    yield (
                        path,
                        self.finding(
                            span,
                            f"`{target_path}` is not a page of this site, so Hugo stops the build "
                            "(REF_NOT_FOUND); fix the path.",
                        ),
                    )
            for link in summary.links:
                target = resolve(link.url, page, routes)
                if target is None:
                    continue
                if target.problem is None:
                    if target.page is not None and target.page.draft and not page.draft:
                        yield (
                            path,
                            self.finding(
                                link_span(link),
                                f"`{link.url.strip()}` leads to `{target.page.url}`, a draft, "
                                "which is not published; link it once it is, or remove the link.",
                            ),
                        )
                    continue
                end = "" if target.problem.endswith("?") else "."
                yield (
                    path,
                    self.finding(link_span(link), f"`{link.url.strip()}` {target.problem}{end}"),
                )


_HUGO_REF = re.compile(r"""\{\{[<%]\s*(?:rel)?ref\s+(?:\.\s+)?"([^"]*)"\s*[>%]\}\}""")


def hugo_refs(post: Post) -> list[tuple[str, Span]]:
    """Hugo ``{{< ref "x.md" >}}`` and ``relref`` targets written in prose (not in code)."""
    found = []
    for base, text in prose_texts(post, ("ref",)):
        for m in _HUGO_REF.finditer(text):
            path = m.group(1).split("#", 1)[0]
            if path:
                start = base + m.start(1)
                found.append((path, post.span(start, start + len(path))))
    return found


def hugo_ref_target(target: str, page: Page, routes: Routes) -> Page | None:
    """The page Hugo's ``ref`` finds: relative to the page, then to content/, then by name."""
    target = unquote(target).strip()
    folder = PurePosixPath(page.rel).parent.as_posix()
    bases = [target.lstrip("/")] if target.startswith("/") else []
    if not target.startswith("/"):
        joined = posix_normalize(f"{folder}/{target}" if folder != "." else target)
        bases += [b for b in (joined, target) if b]
    for base in bases:
        base = base.rstrip("/")
        for candidate in (base, f"{base}.md", f"{base}/index.md", f"{base}/_index.md"):
            if candidate in routes.pages:
                return routes.pages[candidate]
    name = PurePosixPath(target).name
    stem = name.rsplit(".", 1)[0] if name.endswith((".md", ".markdown")) else name
    for rel, found in routes.pages.items():
        parts = rel.split("/")
        if parts[-1] in (name, f"{stem}.md") or (
            len(parts) > 1 and parts[-1] in ("index.md", "_index.md") and parts[-2] == stem
        ):
            return found
    return None


class LinkAnchorBroken(Rule):
    """Flags `#fragment` links that match no heading or id on their page.

    ## What it does
    Checks the fragment of every link to this page (`#setup`) or another page of the site
    (`/posts/hello/#setup`, `@/hello.md#setup`) against the anchors that page really has:
    heading anchors as the generator computes them (with the site's anchor style), explicit
    `{#id}` ids, `id` and `name` attributes in raw HTML, and footnotes. It suggests the
    nearest existing anchor.

    ## Why is this bad?
    The link opens the top of the page instead of the part it promised, and the reader has
    to hunt for it. Renamed headings silently break every link to them.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    Jump to [the setup](#set-up).

    ## Setup
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    Jump to [the setup](#setup).

    ## Setup
    ```
    """

    code = "LNK002"
    name = "link-anchor-broken"
    summary = "Link fragment matches no heading or id on its page"
    severity = "error"
    site_wide = True

    def check_site(self, site: Site, ctx: Context) -> Iterator[tuple[str, Finding]]:
        if not any("#" in link.url for s in site.posts.values() for link in s.links):
            return
        routes = site.routes
        for path, summary in site.posts.items():
            if not site.reports(path):
                continue
            page = routes.page_for(summary.source)
            if page is None:
                continue
            for link in summary.links:
                if "#" not in link.url:
                    continue
                target = resolve(link.url, page, routes)
                if target is None or target.page is None or not target.fragment:
                    continue
                fragment = target.fragment
                if fragment.lower() == "top":
                    continue
                anchors = target.page.anchors
                if anchors is None or fragment in anchors:
                    continue  # a page that could not be read: its anchors are unknown
                where = "this page" if target.page is page else f"`{target.page.url}`"
                near = _nearest(fragment, anchors)
                if near:
                    hint = f"; did you mean `#{near}`?"
                elif anchors:
                    hint = "; link to an existing heading or add an id."
                else:
                    hint = f"; {where} has no headings or ids."
                yield (
                    path,
                    self.finding(
                        link_span(link),
                        f"`#{fragment}` matches no heading or id on {where}{hint}",
                    ),
                )


def _nearest(fragment: str, anchors: frozenset[str]) -> str | None:
    if not anchors:
        return None
    lowered = {a.lower(): a for a in anchors}
    if fragment.lower() in lowered:
        return lowered[fragment.lower()]
    near = difflib.get_close_matches(fragment, sorted(anchors), 1, 0.6)
    return near[0] if near else None
