"""What the link rules share: URLs taken apart, where a post writes them, and its prose text.

No rule lives here; ``hygiene``, ``internal`` and ``external`` import these helpers.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from postlint.model import Block, Inline, Link, Post, Span

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
        return bare_host((parts.hostname or "").lower()), parts.port
    except ValueError:
        return "", None


def bare_host(host: str) -> str:
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
    if bare_host((parts.hostname or "").lower()) != base_host or port != base_port:
        return None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return path


def templated(url: str) -> bool:
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
    """Every URL written in the post, once: reference links are reported at their definition.

    Every link the model holds counts, whatever its kind (raw HTML ``<a href>`` and embeds
    included)."""
    for link in post.links:
        if link.kind == "reference" or link.url_span is None:
            continue
        yield UrlSite(link.url, link.url_span, link.span, link.kind, link)
    for definition in post.definitions:
        yield UrlSite(definition.url, definition.url_span, definition.span, "definition")


def malformed_reason(url: str, kind: str) -> str | None:
    """Why a link destination is malformed, as the end of a sentence, or None."""
    target = url.strip()
    if not target:
        return "has an empty target; write the address it should lead to"
    if target == "#" and kind != "html":
        return "points at `#`, which leads nowhere; write the address it should lead to"
    if templated(target):
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
    if _EMAIL_LIKE.match(target) and kind != "autolink":  # `<a@b.org>` links as mailto:
        return f"is an e-mail address without `mailto:`; write `mailto:{target}`"
    if kind == "html" and " " in target and not target.startswith(("/", ".", "#")):
        return "contains a space; write it as `%20` or remove it"
    return None


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


def link_span(link: Link) -> Span:
    """Where a finding about a link points: its destination when written inline."""
    span = link.url_span
    if link.kind in ("inline", "html", "autolink") and span is not None and span.end > span.start:
        return span
    return link.span
