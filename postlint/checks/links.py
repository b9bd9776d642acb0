"""Links: internal links and anchors that lead nowhere, link hygiene, and external link checks.

Internal rules judge every link against the whole site (pages, aliases, sections, taxonomies,
feeds, static files and colocated assets), built from the site index plus a walk of the
content folder, so checking one file still knows every page. External rules only touch the
network when ``external`` is on (``--external`` or ``[links] external = true``).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import html
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from postlint.config import positive, regular_expressions
from postlint.model import Block, Edit, Finding, Fix, Inline, Link, Post, Span
from postlint.rule import Context, Example, Family, Option, PostSummary, Rule, Site, SiteInfo
from postlint.site import page_anchors
from postlint.urls import normalize_url_path, page_url

GOOD_FM = '+++\ntitle = "Post"\n+++\n'

# ---------------------------------------------------------------------------------------------
# URL helpers

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
KNOWN_SCHEMES = frozenset(
    [
        "http",
        "https",
        "mailto",
        "tel",
        "ftp",
        "ftps",
        "sftp",
        "ssh",
        "git",
        "irc",
        "ircs",
        "data",
        "javascript",
        "xmpp",
        "magnet",
        "news",
        "nntp",
        "sms",
        "geo",
        "webcal",
        "file",
        "feed",
        "matrix",
        "spotify",
        "steam",
        "zoommtg",
        "slack",
        "bitcoin",
        "urn",
        "doi",
        "callto",
        "skype",
        "facetime",
        "fax",
        "ws",
        "wss",
        "gopher",
        "gemini",
        "ipfs",
        "ipns",
        "dat",
        "hyper",
        "tg",
        "signal",
        "whatsapp",
    ]
)
_TYPO_TARGETS = ("http", "https", "mailto")
_LOCAL_HOST = re.compile(
    r"^(localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[::1?\]|::1|10(?:\.\d+){3}|192\.168(?:\.\d+){2}"
    r"|172\.(?:1[6-9]|2\d|3[01])(?:\.\d+){2}|(?:[\w-]+\.)*(?:example\.(?:com|org|net)|"
    r"example|test|invalid|local|localhost|internal|lan|home\.arpa))$",
    re.I,
)
# TLDs that make `name.tld/...` without a scheme plainly a domain. File extensions that are
# also TLDs (md, py, sh, rs, pl, cc, in, au, ai, app, page, zip, mov...) are left out on purpose.
_DOMAIN_TLDS = (
    "com|org|net|io|dev|edu|gov|co|uk|de|fr|me|xyz|blog|tech|site|us|ca|eu|nl|se|no|fi|dk|es"
    "|it|jp|cn|ru|nz|br|be|at|cz|tv|fm|gg|ly|cloud|online|news|social|wiki|design"
)
_DOMAIN_LIKE = re.compile(
    rf"^(?:www\.[\w-]+(?:\.[\w-]+)+|[\w-]+(?:\.[\w-]+)*\.(?:{_DOMAIN_TLDS}))(?::\d+)?(?:[/?#]|$)",
    re.I,
)
_EMAIL_LIKE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")
_TEMPLATED = ("{{", "{%", "{<")


def scheme_of(url: str) -> str:
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else ""


_HOST = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#@\s]*@)?([^/?#:\s\[\]]+)(?=[:/?#]|$)")


def host_of(url: str) -> str:
    m = _HOST.match(url)
    if m:
        return m.group(1).lower()
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@functools.cache
def _base_host(base_url: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(base_url)
        return _bare_host((parts.hostname or "").lower()), parts.port
    except ValueError:
        return "", None


def _bare_host(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def is_local_host(host: str) -> bool:
    return bool(host) and bool(_LOCAL_HOST.match(host))


def own_site_path(url: str, base_url: str) -> str | None:
    """The site-relative path (with query and fragment) of a link to the site's own address.

    ``http`` and ``https``, with and without ``www.``, count as the site's address.
    """
    if not base_url or not url.lower().startswith(("http://", "https://", "//")):
        return None
    base_host, base_port = _base_host(base_url)
    if not base_host or base_host not in url.lower():
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if _bare_host((parts.hostname or "").lower()) != base_host or port != base_port:
        return None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return path


def _templated(url: str) -> bool:
    return any(t in url for t in _TEMPLATED)


@dataclass(frozen=True)
class UrlSite:
    """Where a URL is written: an inline link, autolink, raw HTML link or a definition."""

    url: str
    span: Span  # the URL as written
    whole: Span  # the link or definition
    kind: str  # inline, autolink, html, definition
    link: Link | None = None


def url_sites(post: Post) -> Iterator[UrlSite]:
    """Every URL written in the post, once: reference links are reported at their definition."""
    for link in post.links:
        if link.kind == "reference" or link.url_span is None:
            continue
        yield UrlSite(link.url, link.url_span, link.span, link.kind, link)
    for definition in post.definitions:
        yield UrlSite(definition.url, definition.url_span, definition.span, "definition")


# ---------------------------------------------------------------------------------------------
# Link hygiene


def malformed_reason(url: str, kind: str) -> str | None:
    """Why a link destination is malformed, as the end of a sentence, or None."""
    target = url.strip()
    if not target:
        return "has an empty target; write the address it should lead to"
    if target == "#" and kind != "html":
        return "points at `#`, which leads nowhere; write the address it should lead to"
    if _templated(target):
        return None
    scheme = scheme_of(target)
    lower = target.lower()
    if scheme:
        if scheme in ("http", "https"):
            rest = target[len(scheme) + 1 :]
            if not rest.startswith("//") or rest.startswith("///"):
                return f"needs exactly two slashes after `{scheme}:`; write `{scheme}://`"
            if not host_of(target):
                return "has no host name after `//`"
            if " " in target:
                return "contains a space; write it as `%20` or remove it"
            if target.count("(") != target.count(")"):
                return "has unbalanced parentheses; check where the address ends"
            return None
        if scheme in KNOWN_SCHEMES:
            return None
        guess = difflib.get_close_matches(scheme, _TYPO_TARGETS, 1, 0.74)
        if guess and not (scheme == "mailto" or "." in scheme):
            return f"starts with `{scheme}:`, a misspelling of `{guess[0]}:`"
        return None
    if lower.startswith("mailto"):
        return "needs a colon after `mailto`: write `mailto:` before the address"
    m = re.match(r"^(https?)/{1,3}", lower)
    if m:
        return f"lacks the colon after `{m.group(1)}`: write `{m.group(1)}://`"
    if _DOMAIN_LIKE.match(target):
        domain = re.split(r"[/?#]", target, maxsplit=1)[0]
        return (
            f"starts with the domain `{domain}` but no `https://`, so it links to a page of "
            f"this site; write `https://{target}`"
        )
    if _EMAIL_LIKE.match(target):
        return f"is an e-mail address without `mailto:`; write `mailto:{target}`"
    if kind == "html" and " " in target and not target.startswith(("/", ".", "#")):
        return "contains a space; write it as `%20` or remove it"
    return None


# a `[text](destination` that the Markdown parser left as text
_BROKEN_LINK = re.compile(r"\[(?:[^\[\]\\\n]|\\.)+\]\(")


def prose_texts(post: Post, needles: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(file offset, text) of the Markdown text nodes outside links, code and HTML.

    Unlike runs, these keep URLs written as plain text. Only posts and nodes containing one
    of ``needles`` are looked at.
    """
    if not any(n in post.text for n in needles):
        return
    yield from _block_texts(post.text, post.blocks, needles)


def _block_texts(
    text: str, blocks: Iterable[Block], needles: tuple[str, ...]
) -> Iterator[tuple[int, str]]:
    for block in blocks:
        if block.inlines:
            yield from _inline_texts(text, block.inlines, needles)
        if block.children:
            yield from _block_texts(text, block.children, needles)


def _inline_texts(
    text: str, inlines: Iterable[Inline], needles: tuple[str, ...]
) -> Iterator[tuple[int, str]]:
    for inline in inlines:
        if inline.kind == "text":
            piece = text[inline.span.start : inline.span.end]
            if any(n in piece for n in needles):
                yield inline.span.start, piece
        elif inline.children and inline.kind not in ("link", "image", "codespan", "html"):
            yield from _inline_texts(text, inline.children, needles)


def _closing_parens(text: str) -> dict[int, int]:
    """Where each `(` is closed on its own line, found in one pass (a scan from every `](` to
    the end of the line was quadratic on long lines)."""
    closes: dict[int, int] = {}
    opened: list[int] = []
    for m in _PAREN_OR_NEWLINE.finditer(text):
        c = m.group()
        if c == "(":
            opened.append(m.start())
        elif c == ")":
            if opened:
                closes[opened.pop()] = m.start()
        else:
            opened.clear()
    return closes


_PAREN_OR_NEWLINE = re.compile(r"[()\n]")
_TEMPLATE_MARK = re.compile(r"\{[{%<]")
_ADDRESS_CHAR = re.compile(r"[/.:#]")
_SPACE = re.compile(r"\s")


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def _any_between(starts: list[int], lo: int, hi: int) -> bool:
    k = bisect.bisect_left(starts, lo)
    return k < len(starts) and starts[k] < hi


def _broken_inline_links(post: Post) -> Iterator[tuple[Span, str]]:
    parsed = sum(1 for link in post.links if link.kind == "inline")
    parsed += sum(1 for image in post.images if image.kind == "markdown")
    if post.text.count("](") <= parsed:
        return  # every `](` belongs to a link or image the parser understood
    for base, text in prose_texts(post, ("](",)):
        closes: dict[int, int] | None = None
        marks: tuple[list[int], list[int]] | None = None
        for m in _BROKEN_LINK.finditer(text):
            if m.start() > 0 and text[m.start() - 1] in "\\!":
                continue  # an escaped bracket, or an image (not this rule's business)
            if closes is None:
                closes = _closing_parens(text)
            i = closes.get(m.end() - 1, -1)  # the `(` of `](`
            end = i + 1 if i >= 0 else None
            inner = ""
            if end is not None:
                inner = text[m.end() : i]
                templated, address = _templated(inner), bool(_ADDRESS_CHAR.search(inner))
            else:
                # the rest of the line: positions found once per text, as a search of it from
                # every unclosed `](` was quadratic on long lines
                i = text.find("\n", m.end())
                i = len(text) if i < 0 else i
                if marks is None:
                    marks = (_starts(_TEMPLATE_MARK, text), _starts(_ADDRESS_CHAR, text))
                templated = _any_between(marks[0], m.end(), i - 1)
                address = _any_between(marks[1], m.end(), i)
            if templated:
                continue  # a shortcode such as Hugo's {{< ref "x.md" >}} makes the address
            if not address:
                continue  # `a[i](x)` and other bracketed prose, not an address
            if end is None:  # the address ends at the first space
                space = _SPACE.search(text, m.end(), i)
                i = space.start() if space else i
            start = base + m.start()
            stop = base + (end if end else i)
            if end is None:
                reason = "has unbalanced parentheses, so it is shown as text and not as a link"
            elif re.search(r"\s", inner.strip()) and not re.search(r"\s[\"'(]", inner):
                reason = (
                    "has a space in its address, so it is shown as text and not as a link; "
                    "write the space as `%20` or put the address in `<...>`"
                )
            else:
                reason = "is shown as text and not as a link; check its address"
            yield post.span(start, stop), reason


class LinkMalformed(Rule):
    """Flags link targets that cannot work as written.

    ## What it does
    Checks the target of every Markdown link, reference definition and raw HTML `<a href>`
    for mistakes that break the link: a misspelt scheme (`ttps://`, `htp://`, `mail-to:`),
    `mailto` without its colon, `https//` without a colon, a domain written without
    `https://` (`[x](github.com/y)` becomes a link to a page of your own site), an e-mail
    address without `mailto:`, spaces or unbalanced parentheses in an address, and an empty
    target. It also finds links the Markdown parser gave up on, which appear on the page as
    literal `[text](address)`.

    ## Why is this bad?
    Each of these produces a link that leads to an error page, or no link at all.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    The code is on [GitHub](github.com/acme/tool).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    The code is on [GitHub](https://github.com/acme/tool).
    ```
    """

    code = "LNK004"
    name = "link-malformed"
    summary = "Link target is malformed (misspelt scheme, missing `https://`, spaces, empty)"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        for site in url_sites(post):
            reason = malformed_reason(site.url, site.kind)
            if reason:
                what = "This definition" if site.kind == "definition" else "This link"
                span = site.span if site.span.end > site.span.start else site.whole
                yield self.finding(span, f"{what} {reason}.")
        for span, reason in _broken_inline_links(post):
            yield self.finding(span, f"This link {reason}.")


# bare URLs in prose (GFM's extended autolink rules: trailing punctuation is not part of it)
_BARE_URL = re.compile(r"(?<![\w/@.:=\-])(?:https?://[\w\[]|www\.[\w-]+\.[A-Za-z])[^\s<>\"'`]*")


def _maybe_bare(text: str) -> bool:
    """Whether some URL in ``text`` is not plainly a link destination (a cheap pre-check)."""
    for needle in ("://", "www."):
        i = text.find(needle)
        while i >= 0:
            start = i
            if needle == "://":
                while start > 0 and text[start - 1].isalpha():
                    start -= 1
            before = text[max(0, start - 2) : start]
            if not (before.endswith(("](", "<", "//")) or before in ('="', "='")):
                return True
            i = text.find(needle, i + len(needle))
    return False


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        if (
            last in ".,:;!?*_~'\""
            or (last == ")" and url.count(")") > url.count("("))
            or (last == "]" and url.count("]") > url.count("["))
        ):
            url = url[:-1]
        else:
            break
    return url


def _linkify_on(info: SiteInfo) -> bool:
    """Hugo's goldmark turns bare URLs into links unless ``extensions.linkify`` is false."""
    if info.generator != "hugo":
        return False
    try:
        value = info.config["markup"]["goldmark"]["extensions"]["linkify"]
    except (KeyError, TypeError):
        return True
    return value is not False


class LinkBareUrl(Rule):
    """Flags web addresses in prose that are not links.

    ## What it does
    Finds `https://...`, `http://...` and `www....` addresses written in running text
    (not in code, not inside a link). Zola, like CommonMark, does not turn them into links.
    Addresses of example and local hosts (`localhost`, `example.com`, `*.test`) are left
    alone, and so are Hugo sites, where goldmark's *linkify* (on by default) links them.

    ## Why is this bad?
    Readers cannot click them, and a long address in prose reads badly.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    The slides are at https://slides.acme.dev/talk.
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    The [slides](https://slides.acme.dev/talk) are online.
    ```

    ## Fix safety
    The fix wraps the address in `<...>`, which makes it a link and shows the same text.
    """

    code = "LNK005"
    name = "link-bare-url"
    summary = "Web address in prose is not a link"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        if _linkify_on(ctx.site):
            return
        if not _maybe_bare(post.text):
            return
        for base, text in prose_texts(post, ("://", "www.")):
            for m in _BARE_URL.finditer(text):
                if text[max(0, m.start() - 2) : m.start()] == "](":
                    continue  # the address of a link the parser left as text: link-malformed
                url = _trim_url(m.group(0))
                if "{" in url or "}" in url or "…" in url:
                    continue
                full = url if "://" in url else "https://" + url
                host = host_of(full)
                if not host or "." not in host.strip("[]") or is_local_host(host):
                    continue
                start = base + m.start()
                end = start + len(url)
                fix: Fix | None
                if post.text[start - 1 : start] == "<" or post.text[end : end + 1] == ">":
                    fix = None  # already in <...> that makes no link here: wrapping again would not
                elif "://" in url:
                    fix = Fix((post.edit(start, end, f"<{url}>"),), safe=True)
                else:
                    fix = Fix((post.edit(start, end, f"[{url}](https://{url})"),), safe=True)
                shown = url if len(url) <= 60 else url[:50] + "…"
                yield self.finding(
                    post.span(start, end),
                    f"`{shown}` is plain text, not a link; put it in `<...>` or give it link text.",
                    fix,
                )


TRACKING_PARAMS = frozenset(
    [
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "igsh",
        "ref_src",
        "ref_url",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "wickedid",
        "_gl",
        "s_cid",
        "trk",
        "trkcampaign",
    ]
)
_HOST_TRACKING = {
    "youtube.com": frozenset({"si", "feature"}),
    "youtu.be": frozenset({"si", "feature"}),
    "open.spotify.com": frozenset({"si"}),
    "twitter.com": frozenset({"s", "t"}),
    "x.com": frozenset({"s", "t"}),
    "instagram.com": frozenset({"utm_source", "igshid", "igsh"}),
}


def _is_tracking(name: str, host: str) -> bool:
    key = unquote(name).lower()
    if key.startswith("utm_") or key in TRACKING_PARAMS:
        return True
    host = _bare_host(host)
    for domain, names in _HOST_TRACKING.items():
        if (host == domain or host.endswith("." + domain)) and key in names:
            return True
    return False


def strip_tracking(raw: str) -> tuple[str, list[str]]:
    """``raw`` (a URL as written) without tracking parameters, and the names removed."""
    base, hash_, fragment = raw.partition("#")
    path, question, query = base.partition("?")
    if not question or not query:
        return raw, []
    host = host_of(raw)
    pieces = re.split(r"(&amp;|&)", query)
    params = pieces[0::2]
    separator = next((p for p in pieces[1::2]), "&")
    kept: list[str] = []
    removed: list[str] = []
    for param in params:
        name = param.split("=", 1)[0]
        if name and _is_tracking(name, host):
            removed.append(unquote(name))
        else:
            kept.append(param)
    if not removed:
        return raw, []
    kept = [p for p in kept if p]
    result = path + ("?" + separator.join(kept) if kept else "")
    return result + (hash_ + fragment if hash_ else ""), removed


def _names(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in dict.fromkeys(names)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


class LinkTrackingParams(Rule):
    """Flags links that carry tracking parameters.

    ## What it does
    Finds `utm_*`, `fbclid`, `gclid`, `mc_cid`, `mc_eid`, `igshid`, `ref_src` and similar
    campaign and click identifiers in the query of a link (and `si` on YouTube and Spotify
    share links).

    ## Why is this bad?
    They tell the other site where readers came from, make links long, and were usually
    copied by accident from a share button or a newsletter.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    See [the release notes](https://acme.dev/notes?v=2&utm_source=newsletter#fixes).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    See [the release notes](https://acme.dev/notes?v=2#fixes).
    ```

    ## Fix safety
    The fix removes only the tracking parameters and keeps the others and the fragment.
    """

    code = "LNK006"
    name = "link-tracking-params"
    summary = "Link carries tracking parameters"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        text = post.text
        for site in url_sites(post):
            if "?" not in site.url or scheme_of(site.url) not in ("http", "https"):
                continue
            raw = text[site.span.start : site.span.end]
            cleaned, removed = strip_tracking(raw)
            if not removed:
                continue
            fix = Fix((post.edit(site.span.start, site.span.end, cleaned),), safe=True)
            plural = "parameters" if len(set(removed)) > 1 else "parameter"
            yield self.finding(
                site.span,
                f"This link carries the tracking {plural} {_names(removed)}; remove "
                f"{'them' if plural == 'parameters' else 'it'}.",
                fix,
            )


def _allowed(host: str, url: str, allow: Iterable[str]) -> bool:
    for entry in allow:
        entry = entry.strip().lower()
        if not entry:
            continue
        if "://" in entry:
            if url.lower().startswith(entry):
                return True
        elif host == entry or host.endswith("." + entry.lstrip(".")):
            return True
    return False


class LinkInsecure(Rule):
    """Flags links that use `http://`.

    ## What it does
    Finds links whose address starts with `http://`. Local and example hosts are skipped,
    and so are hosts listed in the `insecure-allow` option (a host also allows its
    subdomains; an entry with `://` is a URL prefix). Links to the site itself are left to
    `link-self-absolute`, which asks for a site-relative link instead.

    ## Why is this bad?
    Plain HTTP can be read and altered on the way, browsers warn about it, and most sites
    now answer on `https://`.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    Read [the spec](http://spec.acme.dev/v1).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    Read [the spec](https://spec.acme.dev/v1).
    ```

    ## Options
    `insecure-allow`: hosts or URL prefixes that may stay on `http://`.

    ## Fix safety
    The fix changes `http` to `https`; it is unsafe because not every site answers there.
    """

    code = "LNK007"
    name = "link-insecure"
    summary = "Link uses insecure `http://`"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        allow = ctx.options.get("insecure-allow", ())
        text = post.text
        for site in url_sites(post):
            if scheme_of(site.url) != "http":
                continue
            host = host_of(site.url)
            if not host or is_local_host(host) or _allowed(host, site.url, allow):
                continue
            if own_site_path(site.url, ctx.site.base_url) is not None:
                continue  # link-self-absolute asks for a site-relative link instead
            start = site.span.start
            fix = None
            if text[start : start + 4].lower() == "http":
                fix = Fix((post.edit(start, start + 4, "https"),), safe=False)
            yield self.finding(
                site.span,
                f"This link uses insecure `http://`; use `https://` if `{host}` supports it.",
                fix,
            )


VAGUE_TEXTS = frozenset(
    """here|click here|click|this|link|this link|the link|read more|more|learn more|see here|
    go here|this page|this article|this post|click this link|here's the link|there|read this|
    more info|more information|details|continue reading|this one|website|this site|check it out
    |check this out""".replace("\n", "").split("|")
)
_VAGUE_STRIP = " \t\n.:!?…→»>-–—()[]\"'“”‘’*_"


def html_link_text(post: Post, link: Link) -> tuple[str, Span]:
    """The text of a link and the span of the whole link, looking past an HTML opening tag."""
    if link.text or link.kind != "html" or link.element != "a":
        return link.text, link.span
    text = post.text
    close = _A_CLOSE.search(text, link.span.end, link.span.end + 500)
    if not close:
        return "", link.span
    inner = " ".join(re.sub(r"<[^>]*>", "", text[link.span.end : close.start()]).split())
    return inner, post.span(link.span.start, close.end())


_A_CLOSE = re.compile(r"</a\s*>", re.I)


class LinkVagueText(Rule):
    """Flags links whose text says nothing about where they lead.

    ## What it does
    Finds links whose whole text is a phrase such as "here", "click here", "this", "link",
    "read more" or "learn more".

    ## Why is this bad?
    Screen reader users often jump from link to link, and everyone scans links: "here"
    tells neither where the link goes. Search engines read link text too.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    The benchmark results are [here](https://acme.dev/bench).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    See [the benchmark results](https://acme.dev/bench).
    ```
    """

    code = "LNK008"
    name = "link-vague-text"
    summary = "Link text does not say where the link leads"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        for link in post.links:
            if link.kind == "autolink":
                continue
            text, span = html_link_text(post, link)
            key = " ".join(text.lower().strip(_VAGUE_STRIP).split())
            if key in VAGUE_TEXTS:
                yield self.finding(
                    span,
                    f"The link text “{text.strip()}” does not say where the link leads; "
                    "use words that describe the target.",
                )


class LinkSelfAbsolute(Rule):
    """Flags links that spell out the site's own address.

    ## What it does
    Finds links to the site's own `base_url` (with `http` or `https`, with or without `www.`)
    where a site-relative link such as `/posts/hello/` belongs.

    ## Why is this bad?
    Absolute links to yourself break in local previews and staging builds, keep pointing at
    the old domain when the site moves, and send readers to `http` when you moved to `https`.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    I wrote about this [before](https://example.org/).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    I wrote about this [before](/).
    ```

    ## Fix safety
    The fix replaces the address by its site-relative path. It is unsafe because a post that
    is also published elsewhere (a newsletter, a feed reader) needs absolute links.
    """

    code = "LNK009"
    name = "link-self-absolute"
    summary = "Link to the site's own address where a site-relative link belongs"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        base = ctx.site.base_url
        if not base:
            return
        for site in url_sites(post):
            relative = own_site_path(site.url, base)
            if relative is None:
                continue
            fix = None
            if site.kind != "autolink":
                fix = Fix((post.edit(site.span.start, site.span.end, relative),), safe=False)
            yield self.finding(
                site.span,
                f"This link spells out the site's own address; write the site-relative "
                f"`{relative}` so it works in previews and after a move.",
                fix,
            )


class LinkReferenceUndefined(Rule):
    """Flags reference links whose label has no definition.

    ## What it does
    Finds `[text][label]` and `[text][]` where no `[label]: URL` definition exists in the
    post. Markdown then prints the brackets literally instead of a link. A lone `[label]`
    (a shortcut reference) is not reported: brackets on their own are as often citations
    (`[1]`), task boxes (`[x]`) or bracketed prose as they are links.

    ## Why is this bad?
    The reader sees `[text][label]` instead of a link.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    See [the docs][docs].

    [doc]: https://acme.dev/docs
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    See [the docs][docs].

    [docs]: https://acme.dev/docs
    ```
    """

    code = "LNK003"
    name = "link-reference-undefined"
    summary = "Reference link has no definition"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterator[Finding]:
        labels = [d.label for d in post.definitions]
        for ref in post.undefined_references:
            label = ref.label.strip()
            if not label or label.startswith("^"):
                continue
            near = difflib.get_close_matches(label, labels, 1, 0.6)
            hint = f" (did you mean `[{near[0]}]`?)" if near else ""
            yield self.finding(
                ref.span,
                f"No definition `[{label}]: URL` exists for this reference link, so it shows "
                f"as plain text; add the definition or fix the label{hint}.",
            )


# ---------------------------------------------------------------------------------------------
# The site map: every published path, learned from the index and the content folder

FEEDS = frozenset({"atom.xml", "rss.xml", "feed.xml", "index.xml"})
ROOT_FILES = frozenset({"sitemap.xml", "robots.txt", "404.html"})
_PAGINATION = re.compile(r"^(?P<base>/(?:.*/)?)page/\d+/$")


def _loose(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


@dataclass
class Page:
    """A content file and where it is published."""

    rel: str  # content-relative POSIX path
    source: Path
    url: str
    summary: PostSummary | None = None
    anchors: frozenset[str] | None = None
    draft: bool = False  # not published by a normal build


@dataclass
class SiteMap:
    info: SiteInfo
    pages: dict[str, Page] = field(default_factory=dict)  # rel -> page
    urls: dict[str, Page] = field(default_factory=dict)  # url key -> page (aliases too)
    files: set[str] = field(default_factory=set)  # url keys of static files and assets
    sections: set[str] = field(default_factory=set)  # url keys of list pages
    folders: set[str] = field(default_factory=set)  # url keys of content folders (no section)
    terms: dict[str, set[str]] = field(default_factory=dict)  # taxonomy -> loose term keys
    by_source: dict[Path, Page] = field(default_factory=dict)
    base_path: str = "/"

    def page_for(self, source: Path) -> Page | None:
        return self.by_source.get(source)

    def markdown(self, rel: str) -> Page | None:
        """The content file at ``rel``, looked up on disk in a plain folder."""
        page = self.pages.get(rel)
        if page is None and self.info.generator == "plain":
            source = self.info.content_dir / rel
            if source.is_file():
                page = Page(rel, _resolve(source), page_url(rel, {}, "plain").url)
                page = self.by_source.setdefault(page.source, page)
                self.pages[rel] = page
        return page


def _taxonomy_names(info: SiteInfo) -> set[str]:
    names = {"tags", "categories"}
    config = info.config
    taxonomies = config.get("taxonomies")
    if isinstance(taxonomies, list):
        names |= {t["name"] for t in taxonomies if isinstance(t, dict) and "name" in t}
    elif isinstance(taxonomies, dict):
        names |= {str(v) for v in taxonomies.values()}
    return names


def build_site_map(site: Site) -> SiteMap:
    info = site.info
    smap = SiteMap(info)
    base = urlsplit(info.base_url).path if info.base_url else ""
    smap.base_path = normalize_url_path(base or "/")
    known: dict[Path, PostSummary] = {}
    for summary in site.posts.values():
        known[_resolve(summary.source)] = summary
    content = info.content_dir
    taxonomies = _taxonomy_names(info)
    smap.terms = {name: set() for name in taxonomies}
    mode = _slug_mode(info)
    bundles: dict[str, str] = {}  # content-relative folder -> url of its index page
    assets: list[str] = []
    # A plain folder may be any directory (a home folder): never walk it; Markdown files that
    # links name are looked up one by one instead (see ``SiteMap.markdown``).
    if content.is_dir() and info.generator != "plain":
        for dirpath, dirnames, filenames in os.walk(content):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            folder = Path(dirpath)
            rel_dir = folder.relative_to(content).as_posix()
            rel_dir = "" if rel_dir == "." else rel_dir
            for name in filenames:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if not name.lower().endswith((".md", ".markdown")):
                    assets.append(rel)
                    continue
                source = _resolve(folder / name)
                found = known.get(source)
                if found is not None:
                    url, aliases, meta = found.url, found.aliases, found.front_matter
                else:
                    url, aliases, meta = _route_of(source, rel, info, mode)
                page = Page(rel, source, url, found, draft=meta.get("draft") is True)
                smap.pages[rel] = page
                smap.by_source[source] = page
                for key in (url, *aliases):
                    smap.urls.setdefault(normalize_url_path(key), page)
                stem = name.rsplit(".", 1)[0]
                if stem in ("index", "_index"):
                    bundles[rel_dir] = url
                if stem == "_index":
                    smap.sections.add(normalize_url_path(url))
                _add_terms(smap.terms, meta, info.generator)
            if rel_dir:
                smap.folders.add(normalize_url_path("/" + rel_dir))
    for summary in site.posts.values():  # posts outside the content folder
        source = _resolve(summary.source)
        if source not in smap.by_source:
            try:
                rel = source.relative_to(_resolve(content)).as_posix()
            except ValueError:
                rel = source.name
            page = Page(rel, source, summary.url, summary, draft=summary.draft)
            smap.by_source[source] = page
            smap.pages.setdefault(rel, page)
            smap.urls.setdefault(normalize_url_path(summary.url), page)
            _add_terms(smap.terms, summary.front_matter, info.generator)
    smap.sections.add("/")
    if info.generator == "hugo":  # every top-level content folder is a section in Hugo
        for key in list(smap.folders):
            if key.count("/") == 2:
                smap.sections.add(key)
    for asset in assets:
        asset_dir, _, name = asset.rpartition("/")
        smap.files.add(normalize_url_path("/" + asset))
        if asset_dir in bundles:
            smap.files.add(normalize_url_path(bundles[asset_dir].rstrip("/") + "/" + name))
    for static_dir in _static_dirs(info, site):
        for path in _walk_files(static_dir):
            smap.files.add(normalize_url_path("/" + path.relative_to(static_dir).as_posix()))
    sass = info.root / "sass"
    if info.generator == "zola" and sass.is_dir():
        for path in _walk_files(sass):
            if path.suffix in (".scss", ".sass") and not path.name.startswith("_"):
                css = path.relative_to(sass).with_suffix(".css").as_posix()
                smap.files.add(normalize_url_path("/" + css))
    return smap


def _resolve(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _slug_mode(info: SiteInfo) -> str:
    slugify = info.config.get("slugify", {})
    return str(slugify.get("paths", "on")) if isinstance(slugify, dict) else "on"


def _route_of(
    source: Path, rel: str, info: SiteInfo, mode: str
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    from postlint.frontmatter import split_front_matter
    from postlint.model import LineIndex

    meta: dict[str, Any] = {}
    try:
        text = source.read_text(encoding="utf-8-sig", errors="replace")
        front_matter, _ = split_front_matter(text, LineIndex(text))
        if front_matter is not None and front_matter.error is None:
            meta = front_matter.data
    except OSError:
        pass
    try:
        route = page_url(rel, meta, info.generator, mode)
    except (ValueError, TypeError):
        return "/" + rel, (), meta
    return route.url, route.aliases, meta


def _add_terms(terms: dict[str, set[str]], meta: Any, generator: str) -> None:
    if not isinstance(meta, dict):
        return
    source = meta.get("taxonomies") if generator == "zola" else meta
    if not isinstance(source, dict):
        return
    for name, keys in terms.items():
        values = source.get(name)
        if isinstance(values, str):
            values = [values]
        if isinstance(values, list):
            keys.update(_loose(str(v)) for v in values)


def _static_dirs(info: SiteInfo, site: Site) -> list[Path]:
    dirs = [info.static_dir] if info.static_dir else []
    theme = info.config.get("theme")
    themes = [theme] if isinstance(theme, str) else theme if isinstance(theme, list) else []
    for name in themes:
        if isinstance(name, str):
            candidate = info.root / "themes" / name / "static"
            if candidate.is_dir():
                dirs.append(candidate)
    return dirs


def _walk_files(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in filenames:
            yield Path(dirpath, name)


_MAP_CACHE: dict[int, tuple[Site, SiteMap]] = {}


def site_map(site: Site) -> SiteMap:
    """One site map per run, shared by the rules that need it."""
    hit = _MAP_CACHE.get(id(site))
    if hit is not None and hit[0] is site:
        return hit[1]
    smap = build_site_map(site)
    _MAP_CACHE.clear()
    _MAP_CACHE[id(site)] = (site, smap)
    return smap


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


def resolve(link_url: str, source: Page, smap: SiteMap) -> Resolved | None:
    """The internal target of a link, or None for external, special or unjudgeable links."""
    url = link_url.strip()
    if not url or _templated(url) or url == "#":
        return None
    info = smap.info
    fragment: str | None = None
    if "#" in url:
        url, _, frag = url.partition("#")
        fragment = unquote(frag)
    if url.startswith("@/"):
        rel = unquote(url[2:].split("?", 1)[0])
        page = smap.markdown(rel)
        if page is None:
            near = difflib.get_close_matches(rel, list(smap.pages), 1, 0.85)
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
        return _by_path(normalize_url_path(path), url, fragment, smap)
    if url.startswith("/"):
        if info.generator == "plain":
            return None
        return _by_path(normalize_url_path(url), url, fragment, smap)
    if malformed_reason(url, "inline") is not None:
        return None  # a mistyped external address: link-malformed says so
    path = unquote(url.split("?", 1)[0])
    if path.lower().endswith((".md", ".markdown")):
        folder = PurePosixPath(source.rel).parent.as_posix()
        md_rel = posix_normalize(f"{folder}/{path}" if folder != "." else path)
        page = smap.markdown(md_rel) if md_rel is not None else None
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
    key = normalize_url_path(url, base=source.url)
    return _by_path(key, url, fragment, smap, relative=True)


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
    try:
        prefix = info.content_dir.relative_to(info.root).as_posix()
    except ValueError:
        prefix = info.content_dir.name
    return f"{prefix}/{rel}" if prefix not in ("", ".") else rel


def _by_path(
    key: str, written: str, fragment: str | None, smap: SiteMap, relative: bool = False
) -> Resolved:
    candidates = [key]
    if smap.base_path != "/" and key.startswith(smap.base_path):
        candidates.append("/" + key[len(smap.base_path) :])
    for candidate in candidates:
        page = smap.urls.get(candidate)
        if page is not None:
            return Resolved(written, page, fragment)
        if _special(candidate, smap):
            return Resolved(written, None, fragment)
    parts = [p for p in key.split("/") if p]
    last = parts[-1] if parts else ""
    shown = key[:-1] if "." in last else key
    subject = f"leads to `{shown}`, which is" if relative or not written.startswith("/") else "is"
    if key in smap.folders and key not in smap.sections and smap.info.generator == "zola":
        return Resolved(
            written,
            problem=f"{subject} a content folder without an `_index.md`, so Zola builds "
            "no page there",
        )
    if "." in last:
        static = smap.info.static_dir.name if smap.info.static_dir else "static"
        what = f"not a file in `{static}/` or beside a page"
        hint = ""
    elif len(parts) >= 2 and parts[0] in smap.terms:
        what = f"not a page of this site: no page has the {parts[0]} term `{parts[1]}`"
        hint = ""
    else:
        what = "not a page of this site"
        near = difflib.get_close_matches(key, list(smap.urls), 1, 0.85)
        hint = f"; did you mean `{near[0]}`?" if near else ""
    return Resolved(written, problem=f"{subject} {what}{hint}")


def _special(key: str, smap: SiteMap) -> bool:
    """Published paths that are not content files: home, sections, feeds, taxonomies."""
    if key in smap.sections or key in smap.files:
        return True
    if key == "/":
        return True
    parts = [p for p in key.split("/") if p]
    if len(parts) == 1 and parts[0] in ROOT_FILES:
        return True
    if parts and parts[-1] in FEEDS:
        parent = "/" + "".join(p + "/" for p in parts[:-1])
        return parent == "/" or _special(parent, smap) or parent in smap.urls
    m = _PAGINATION.match(key)
    if m:
        base = m.group("base")
        return base == "/" or _special(base, smap) or base in smap.urls
    if parts and parts[0] in smap.terms:
        if len(parts) == 1:
            return True
        terms = smap.terms[parts[0]]
        return _loose(parts[1]) in terms and (len(parts) == 2 or _special_rest(parts[2:]))
    return False


def _special_rest(rest: list[str]) -> bool:
    return (len(rest) == 1 and rest[0] in FEEDS) or (
        len(rest) == 2 and rest[0] == "page" and rest[1].isdigit()
    )


def _link_span(link: Link) -> Span:
    span = link.url_span
    if link.kind in ("inline", "html", "autolink") and span is not None and span.end > span.start:
        return span
    return link.span


def _page_anchors(page: Page, site: Site) -> frozenset[str]:
    if page.anchors is None:
        if page.summary is not None:
            page.anchors = page.summary.anchors
        else:
            page.anchors = _parse_anchors(page.source, site.info)
    return page.anchors


def _parse_anchors(source: Path, info: SiteInfo) -> frozenset[str]:
    from postlint.parse import parse_post

    try:
        text = source.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return frozenset()
    return page_anchors(parse_post(text, str(source), info.anchors))


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
        smap = site_map(site)
        for path, summary in site.posts.items():
            page = smap.page_for(_resolve(summary.source))
            if page is None:
                continue
            for target_path, span in refs.get(path, ()):
                if hugo_ref_target(target_path, page, smap) is None:
                    yield (
                        path,
                        self.finding(
                            span,
                            f"`{target_path}` is not a page of this site, so Hugo stops the build "
                            "(REF_NOT_FOUND); fix the path.",
                        ),
                    )
            for link in summary.links:
                target = resolve(link.url, page, smap)
                if target is None:
                    continue
                if target.problem is None:
                    if target.page is not None and target.page.draft and not page.draft:
                        yield (
                            path,
                            self.finding(
                                _link_span(link),
                                f"`{link.url.strip()}` leads to `{target.page.url}`, a draft, "
                                "which is not published; link it once it is, or remove the link.",
                            ),
                        )
                    continue
                end = "" if target.problem.endswith("?") else "."
                yield (
                    path,
                    self.finding(_link_span(link), f"`{link.url.strip()}` {target.problem}{end}"),
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


def hugo_ref_target(target: str, page: Page, smap: SiteMap) -> Page | None:
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
            if candidate in smap.pages:
                return smap.pages[candidate]
    name = PurePosixPath(target).name
    stem = name.rsplit(".", 1)[0] if name.endswith((".md", ".markdown")) else name
    for rel, found in smap.pages.items():
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
        smap = site_map(site)
        for path, summary in site.posts.items():
            page = smap.page_for(_resolve(summary.source))
            if page is None:
                continue
            for link in summary.links:
                if "#" not in link.url:
                    continue
                target = resolve(link.url, page, smap)
                if target is None or target.page is None or not target.fragment:
                    continue
                fragment = target.fragment
                if fragment.lower() == "top":
                    continue
                anchors = _page_anchors(target.page, site)
                if fragment in anchors:
                    continue
                where = "this page" if target.page is page else f"`{target.page.url}`"
                near = _nearest(fragment, anchors)
                hint = f"; did you mean `#{near}`?" if near else "."
                if not near:
                    hint = (
                        "; link to an existing heading or add an id."
                        if anchors
                        else (f"; {where} has no headings or ids.")
                    )
                yield (
                    path,
                    self.finding(
                        _link_span(link),
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


# ---------------------------------------------------------------------------------------------
# External links: one check of every distinct URL per run, shared by the three rules


@dataclass(frozen=True)
class ExternalUse:
    """One use of an external URL: the post, the link and what the checker was asked."""

    path: str
    link: Link
    url: str


def external_uses(site: Site) -> list[ExternalUse]:
    """Every http(s) link to another site, in every post (links to the site itself excluded)."""
    base = site.info.base_url
    uses = []
    for path, summary in site.posts.items():
        for link in summary.links:
            url = link.url.strip()
            if link.kind == "html" and "&" in url:
                url = html.unescape(url)
            if not url.lower().startswith(("http://", "https://")) or _templated(url):
                continue
            if own_site_path(url, base) is not None:
                continue  # judged offline by link-internal-broken
            uses.append(ExternalUse(path, link, url))
    return uses


def _accept(value: Any) -> tuple[int, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    statuses = []
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit() or not 100 <= int(text) <= 599:
            raise ValueError(f"{item!r} is not an HTTP status; write numbers such as 403")
        statuses.append(int(text))
    return tuple(statuses)


def _check_headers(value: dict[str, Any]) -> dict[str, Any]:
    for host, fields in value.items():
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise ValueError(f'`{host}` must be a table of header values, as {{ Cookie = "a=1" }}')
    return value


def _headers(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        return {}
    return {
        str(host): {str(k): str(v) for k, v in fields.items()}
        for host, fields in value.items()
        if isinstance(fields, dict)
    }


def link_check_options(ctx: Context) -> Any:
    """The checker's options from the ``[links]`` table."""
    from postlint.linkcheck import DEFAULT_UNVERIFIABLE_HOSTS, LinkCheckOptions

    options = ctx.options
    config = ctx.config
    root = config.path.parent if getattr(config, "path", None) else ctx.site.root
    cache_dir = str(options.get("cache-dir", "") or "")
    cache = None
    if cache_dir != "none":
        cache = (root / cache_dir) if cache_dir else root / ".postlint-cache"
    extra: dict[str, Any] = {}
    if options.get("user-agent"):
        extra["user_agent"] = str(options["user-agent"])
    return LinkCheckOptions(
        concurrency=int(options["concurrency"]),
        per_host_concurrency=int(options["per-host-concurrency"]),
        timeout=float(options["timeout"]),
        deadline=float(options["deadline"]),
        retries=int(options["retries"]),
        max_retry_wait=float(options["max-retry-wait"]),
        accept=_accept(options.get("accept", ())),
        headers=_headers(options.get("headers", {})),
        exclude=tuple(options.get("exclude", ())),
        check_private_addresses=bool(options["check-private-addresses"]),
        unverifiable_hosts=(*DEFAULT_UNVERIFIABLE_HOSTS, *options.get("unverifiable-hosts", ())),
        cache_dir=cache,
        cache_ttl=float(options["cache-ttl"]),
        **extra,
    )


class _ProgressBar:
    """``checking links 120/500, 2 broken`` redrawn on a terminal's stderr; silent otherwise."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, checked: int, total: int, failures: int) -> None:
        broken = f", {failures} broken" if failures else ""
        sys.stderr.write(f"\rpostlint: checking links {checked}/{total}{broken}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


_EXTERNAL_CACHE: dict[int, tuple[Site, list[ExternalUse], dict[str, Any]]] = {}


def external_results(site: Site, ctx: Context) -> tuple[list[ExternalUse], dict[str, Any]]:
    """Check every distinct external URL of the site once per run (the three rules share it)."""
    hit = _EXTERNAL_CACHE.get(id(site))
    if hit is not None and hit[0] is site:
        return hit[1], hit[2]
    uses = external_uses(site)
    results: dict[str, Any] = {}
    if uses:
        from postlint.linkcheck import check_urls_with_stats

        options = link_check_options(ctx)
        bar = _ProgressBar() if sys.stderr.isatty() else None
        try:
            report = check_urls_with_stats(dict.fromkeys(u.url for u in uses), options, bar)
        finally:
            if bar is not None:
                bar.close()
        results = dict(report.results)
        if ctx.options.get("verbose"):
            sys.stderr.write(host_summary(report))
    _EXTERNAL_CACHE.clear()
    _EXTERNAL_CACHE[id(site)] = (site, uses, results)
    return uses, results


def host_summary(report: Any, most: int = 10) -> str:
    """``--verbose``: how many URLs and requests went to each host, slowest hosts first."""
    hosts = sorted(report.hosts.items(), key=lambda item: -item[1].total_time)
    lines = [
        f"postlint: checked {len(report.results)} links on {len(report.hosts)} hosts with "
        f"{report.requests} requests in {report.elapsed:.1f} s"
    ]
    for host, stats in hosts[:most]:
        slowest = (
            f"; slowest {stats.slowest_time:.2f} s: {stats.slowest_url}"
            if stats.slowest_url
            else ""
        )
        lines.append(
            f"postlint:   {host}: {stats.urls} links, {stats.requests} requests, "
            f"{stats.total_time:.2f} s in all{slowest}"
        )
    return "\n".join(lines) + "\n"


class _ExternalRule(Rule):
    site_wide = True
    default = True  # but silent and free unless `external` is on
    verdict: ClassVar[str] = ""

    def active(self, ctx: Context) -> bool:
        return bool(ctx.options.get("external"))

    def check_site(self, site: Site, ctx: Context) -> Iterator[tuple[str, Finding]]:
        if not ctx.options.get("external"):
            return
        uses, results = external_results(site, ctx)
        for use in uses:
            result = results.get(use.url)
            if result is not None and result.status == self.verdict:
                yield use.path, self.report(use, result)

    def report(self, use: ExternalUse, result: Any) -> Finding:
        raise NotImplementedError


_EXAMPLE_CONFIG = "[links]\nexternal = true\ncache-ttl = 1e12\nretries = 0\n"


def _cached_example(url: str, entry: dict[str, Any], good_url: str) -> tuple[Example, Example]:
    """Examples that never touch the network: their verdicts come from a link cache file.

    Good results are cached by the checker (``.postlint-cache/linkcheck.json``), so a post
    whose URLs are all in the cache is judged offline.
    """
    import json

    def cache(key: str, value: dict[str, Any]) -> str:
        entries = {key: {"http_status": None, "final_url": None, "checked_at": 0.0, **value}}
        return json.dumps({"version": 1, "entries": entries})

    ok = {"status": "ok", "http_status": 200, "reason": "200 OK"}
    bad_post = GOOD_FM + f"Read [the guide]({url}).\n"
    good_post = GOOD_FM + f"Read [the guide]({good_url}).\n"
    files_bad = {"content/post.md": bad_post}
    if entry:
        files_bad[".postlint-cache/linkcheck.json"] = cache(url, entry)
    bad = Example(files_bad, _EXAMPLE_CONFIG)
    good = Example(
        {"content/post.md": good_post, ".postlint-cache/linkcheck.json": cache(good_url, ok)},
        _EXAMPLE_CONFIG,
    )
    return bad, good


class LinkBroken(_ExternalRule):
    """Flags external links that fail: not found, gone, server errors, no such host.

    ## What it does
    With `--external` (or `external = true` in `[links]`), asks every distinct external URL of
    the site once, `HEAD` first and `GET` when the server mishandles `HEAD`, retrying what may
    be transient, and reports each use of a URL that fails: a 404 or 410, a persistent server
    error, a host that does not exist, a refused connection, a timeout, a redirect loop.
    Without `--external` it does nothing and costs nothing.

    ## Why is this bad?
    Readers who follow the link hit an error page; old posts rot quietly as sites move.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    Read [the notes](https://acme.dev/notes-that-were-removed).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    Read [the notes](https://web.archive.org/web/2024/https://acme.dev/notes-that-were-removed).
    ```

    ## Options
    `external`, `concurrency`, `per-host-concurrency`, `timeout`, `deadline`, `retries`,
    `max-retry-wait`, `accept` (statuses that count as fine, such as `[403]`), `headers`
    (per host: `{ "api.acme.dev" = { Authorization = "..." } }`), `exclude` (regular
    expressions), `check-private-addresses`, `unverifiable-hosts`, `user-agent`, `cache-dir`
    (`"none"` turns the cache off) and `cache-ttl` (seconds a good result is trusted).
    """

    code = "LNK010"
    name = "link-broken"
    summary = "External link is broken"
    severity = "error"
    verdict = "broken"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        # No network: a port out of range is broken before any request is made.
        return _cached_example("https://acme.dev:99999/guide", {}, "https://acme.dev/guide/")

    def report(self, use: ExternalUse, result: Any) -> Finding:
        return self.finding(
            _link_span(use.link),
            f"This link is broken ({result.reason}); fix the address, link an archived copy "
            "or remove it.",
        )


class LinkRedirected(_ExternalRule):
    """Flags external links that moved permanently, with a fix to the new address.

    ## What it does
    With `--external`, reports links whose server answers a permanent redirect (301 or 308,
    possibly after other hops) to a page that works, and offers the final address as a fix.
    Temporary redirects (302, 303, 307), such as login walls and short links, are not reported.

    ## Why is this bad?
    Every visit pays an extra round trip, and redirects are often dropped when a site moves
    again, turning the link into a broken one.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    See [the guide](http://acme.dev/guide).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    See [the guide](https://docs.acme.dev/guide/).
    ```

    ## Fix safety
    Unsafe: the new address is what the server says today; a site that redirects everything
    to its home page would replace a specific link by a vague one. Read the fix.
    """

    code = "LNK011"
    name = "link-redirected"
    summary = "External link redirects permanently to another address"
    severity = "warning"
    fixable = True
    verdict = "redirected"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        moved = {
            "status": "redirected",
            "http_status": 200,
            "final_url": "https://docs.acme.dev/guide/",
            "reason": "moved permanently to https://docs.acme.dev/guide/",
        }
        return _cached_example("http://acme.dev/guide", moved, "https://docs.acme.dev/guide/")

    def report(self, use: ExternalUse, result: Any) -> Finding:
        final = result.final_url or ""
        span = _link_span(use.link)
        fix = None
        link = use.link
        if (
            final
            and link.url_span is not None
            and link.url_span.end > link.url_span.start
            and link.kind != "autolink"
        ):
            original_fragment = urlsplit(use.url).fragment
            if original_fragment and "#" not in final:
                final += "#" + original_fragment
            replacement = html.escape(final, quote=True) if link.kind == "html" else final
            fix = Fix((Edit(link.url_span, replacement),), safe=False)
        return self.finding(
            span, f"This link moved permanently to `{final}`; link the new address.", fix
        )


class LinkUnverifiable(_ExternalRule):
    """Notes external links that could not be checked because the site blocks robots.

    ## What it does
    With `--external`, notes links to sites that answer automated requests with 403, 429 or
    a login wall whatever the URL (X, LinkedIn, Instagram, Medium and the hosts listed in
    `unverifiable-hosts`), so their links can be neither confirmed nor called broken.

    ## Why is this bad?
    It is not: the note tells you which links to open in a browser yourself.

    ## Example
    ```markdown
    +++
    title = "Post"
    +++
    Announced [on LinkedIn](https://www.linkedin.com/posts/acme-launch).
    ```

    Use instead:
    ```markdown
    +++
    title = "Post"
    +++
    Announced [on our blog](https://acme.dev/blog/launch/).
    ```
    """

    code = "LNK012"
    name = "link-unverifiable"
    summary = "External link could not be verified (the site blocks automated checks)"
    severity = "info"
    verdict = "unverifiable"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        blocked = {
            "status": "unverifiable",
            "http_status": 999,
            "reason": "www.linkedin.com answered HTTP 999; it blocks automated checks, open "
            "the link in a browser to verify",
        }
        url = "https://www.linkedin.com/posts/acme-launch"
        return _cached_example(url, blocked, "https://acme.dev/blog/launch/")

    def report(self, use: ExternalUse, result: Any) -> Finding:
        return self.finding(
            _link_span(use.link), f"This link could not be checked: {result.reason}."
        )


# ---------------------------------------------------------------------------------------------


def _site_example(post: str, others: dict[str, str] | None = None) -> Example:
    return Example({"content/post.md": post, **(others or {})})


def rules() -> Iterator[type[Rule]]:
    yield from (
        LinkInternalBroken,
        LinkAnchorBroken,
        LinkReferenceUndefined,
        LinkMalformed,
        LinkBareUrl,
        LinkTrackingParams,
        LinkInsecure,
        LinkVagueText,
        LinkSelfAbsolute,
        LinkBroken,
        LinkRedirected,
        LinkUnverifiable,
    )


FAMILY = Family(
    name="links",
    prefix="LNK",
    description="Links: internal links and anchors, link hygiene, and external link checks.",
    rules=tuple(rules()),
    options=(
        Option(
            "insecure-allow",
            (),
            "Hosts (and their subdomains) or URL prefixes that may stay on `http://`.",
            list,
        ),
        Option("external", False, "Check external links over the network (also `--external`)."),
        Option("verbose", False, "External checks: per-host counts on stderr (also `--verbose`)."),
        Option("concurrency", 64, "External checks: requests in flight at once.", minimum=1),
        Option(
            "per-host-concurrency", 8, "External checks: requests in flight per host.", minimum=1
        ),
        Option(
            "timeout",
            10.0,
            "External checks: seconds to connect and for each read.",
            validate=positive,
        ),
        Option(
            "deadline",
            30.0,
            "External checks: seconds for one URL, retries included.",
            validate=positive,
        ),
        Option("retries", 2, "External checks: extra tries of a transient failure.", minimum=0),
        Option(
            "max-retry-wait",
            30.0,
            "External checks: longest wait before a retry, seconds.",
            minimum=0,
        ),
        Option(
            "accept",
            (),
            "External checks: HTTP statuses that count as fine besides 2xx (numbers or strings).",
            object,
            validate=_accept,
        ),
        Option(
            "headers",
            {},
            "External checks: extra request headers by host (host -> table).",
            validate=_check_headers,
        ),
        Option(
            "exclude",
            (),
            "External checks: regular expressions of URLs not to check.",
            list,
            validate=regular_expressions,
        ),
        Option(
            "check-private-addresses",
            False,
            "External checks: also request private and loopback addresses.",
        ),
        Option(
            "unverifiable-hosts",
            (),
            "External checks: more hosts that block robots (besides X, LinkedIn, ...).",
            list,
        ),
        Option("user-agent", "", "External checks: the User-Agent header (default: browser-like)."),
        Option(
            "cache-dir",
            "",
            "External checks: where results are kept (default `.postlint-cache` beside the "
            "configuration or the site root; `none` for no cache).",
        ),
        Option(
            "cache-ttl", 86400.0, "External checks: seconds a good result is trusted.", minimum=0
        ),
    ),
)
