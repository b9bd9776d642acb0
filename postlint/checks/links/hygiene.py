"""Link hygiene: links that cannot work as written, bare addresses, tracking parameters,
``http://``, vague link text, the site's own address spelled out, undefined references.

Each rule judges one post on its own; none needs the site index or the network.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Iterator
from urllib.parse import unquote

from rapidfuzz import fuzz, process

from postlint.checks.links.common import (
    bare_host,
    host_of,
    is_local_host,
    malformed_reason,
    own_site_path,
    prose_texts,
    scheme_of,
    templated,
    url_sites,
)
from postlint.model import Finding, Fix, Link, Post, Span
from postlint.rule import Context, Rule, SiteInfo

_BROKEN_LINK = re.compile(r"\[(?:[^\[\]\\\n]|\\.)+\]\(")


def _closing_parens(text: str) -> dict[int, int]:
    """Where each `(` is closed on its own line, found in one pass (a scan to the line end from
    every unclosed `](` was quadratic on long lines)."""
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
    # a reference image (`![logo][l]`) has no `](` of its own: its source lies outside it
    parsed += sum(
        1
        for image in post.images
        if image.kind == "markdown" and image.span.start <= image.src_span.start < image.span.end
    )
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
                is_templated, address = templated(inner), bool(_ADDRESS_CHAR.search(inner))
            else:
                # the rest of the line: positions found once per text, as a search of it from
                # every unclosed `](` was quadratic on long lines
                i = text.find("\n", m.end())
                i = len(text) if i < 0 else i
                if marks is None:
                    marks = (_starts(_TEMPLATE_MARK, text), _starts(_ADDRESS_CHAR, text))
                is_templated = _any_between(marks[0], m.end(), i - 1)
                address = _any_between(marks[1], m.end(), i)
            if is_templated:
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


# Bare URLs in prose, where GFM's extended autolinks start, and the characters they run over.
_BARE_URL = re.compile(r"(?<![\w/@.:=\-])(?:https?://[\w\[]|www\.[\w-]+\.[A-Za-z])[^\s<>\"'`]*")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_ENTITY_AT_END = re.compile(r"&[A-Za-z0-9]+;$")
# what the page shows right after a text node: emphasis markers, then maybe more of an address
_PAST_MARKERS = re.compile(r"[*_~]*([^\s<>\"']*)")


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


def _autolink(url: str) -> str:
    """The address as GFM's extended autolinks take it: trailing `?!.,:*_~'"` and an entity
    (`&gt;`) or `;` left out, and a closing parenthesis only while it has no opening one. A
    closing bracket that opens nowhere in the address is left out too (`[see https://a.dev]`),
    which GFM keeps: `_bare_fix` decides whether that is right."""
    opening, closing = url.count("("), url.count(")")
    while url:
        last = url[-1]
        if last == ")" and closing > opening:
            closing -= 1
        elif last == "]" and url.count("]") > url.count("["):
            pass
        elif last == ";":
            entity = _ENTITY_AT_END.search(url)
            url = url[: entity.start()] if entity else url[:-1]
            continue
        elif last not in "?!.,:*_~'\"":
            break
        url = url[:-1]
    return url


def _bare_fix(post: Post, start: int, end: int, matched_end: int, node: tuple[int, int]) -> bool:
    """Whether ``<...>`` around ``post.text[start:end]`` (a bare URL found in the text node
    ``node`` that ran to ``matched_end`` before its trailing punctuation was left out) links
    exactly what the reader sees, and what the writer meant. No fix where only the writer can
    tell: a `*`, `_` or `~` after it (the address's or markup?), a `(` it does not close
    (`https://a.dev/x(the docs)`), a `]` left out with no `[` before it, an address that goes
    on past its text node (emphasis or code inside it), and an escape or entity in it (an
    autolink shows them as written)."""
    text = post.text
    url, tail = text[start:end], text[end:matched_end]
    if any(c in tail for c in "*_~") or url.count("(") > url.count(")"):
        return False
    if "]" in tail and text.count("[", node[0], start) <= text.count("]", node[0], start):
        return False
    if "\\" in url or ("&" in url and _ENTITY.search(url)):
        return False
    if text[start - 1 : start] == "<" or text[end : end + 1] == ">":
        return False  # already in <...> that makes no link here: wrapping again would not
    if matched_end < node[1]:
        return True
    after = _PAST_MARKERS.match(text, node[1])
    return not (after and _autolink(after.group(1)))


_TEMPLATE_REACH = 2_000  # how far back a shortcode call may open: a bound keeps long lines linear


def _in_template(text: str, offset: int) -> bool:
    """Whether ``offset`` is inside a `{{ ... }}` or `{% ... %}` call on its line (a
    shortcode's argument: the generator replaces it before any Markdown is read), opened at
    most ``_TEMPLATE_REACH`` characters before it."""
    reach = max(0, offset - _TEMPLATE_REACH)
    line = text.rfind("\n", reach, offset) + 1 or reach
    opened = max(text.rfind("{{", line, offset), text.rfind("{%", line, offset))
    if opened < 0:
        return False
    return max(text.rfind("}}", opened, offset), text.rfind("%}", opened, offset)) < 0


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
    The fix wraps the address in `<...>`, which makes it a link and shows the same text. It
    takes the address as GitHub's autolinks do: a full stop, comma or closing parenthesis after
    it ends the sentence, not the address. There is no fix where only the writer knows where
    the address ends (a `(` it never closes, a `_`, `*` or `~` after it, a `]` with no `[`
    before it, emphasis or code inside it) or where `<...>` would link something else than the
    page shows (a backslash escape or an entity such as `&amp;` in it). Addresses inside a
    shortcode call (`{{ figure(src="https://...") }}`) are not prose and are left alone.
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
        text = post.text
        for base, piece in prose_texts(post, ("://", "www.")):
            node = (base, base + len(piece))
            for m in _BARE_URL.finditer(text, *node):
                before = text[max(0, m.start() - 2) : m.start()]
                if before == "](":
                    continue  # the address of a link the parser left as text: link-malformed
                if before in ('="', "='"):
                    continue  # an attribute the parser did not take for HTML
                url = _autolink(m.group(0))
                if "{" in url or "}" in url or "…" in url or _in_template(text, m.start()):
                    continue
                full = url if "://" in url else "https://" + url
                host = host_of(full)
                if not host or "." not in host.strip("[]") or is_local_host(host):
                    continue
                start, end = m.start(), m.start() + len(url)
                fix: Fix | None = None
                if _bare_fix(post, start, end, m.end(), node):
                    linked = f"<{url}>" if "://" in url else f"[{url}](https://{url})"
                    fix = Fix((post.edit(start, end, linked),), safe=True)
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
    host = bare_host(host)
    for domain, names in _HOST_TRACKING.items():
        if (host == domain or host.endswith("." + domain)) and key in names:
            return True
    return False


# `&` as a query is written in Markdown or HTML: `&amp;`, `&#38;` and `&#x26;` are `&` too
_QUERY_SEPARATOR = re.compile(
    r"(&(?:amp|#0*38|#x0*26);|&(?!(?:[a-z][a-z0-9]*|#[0-9]+|#x[0-9a-f]+);))", re.I
)
_FRAGMENT = re.compile(r"(?<!&)#")  # not the `#` of `&#38;`


def strip_tracking(raw: str) -> tuple[str, list[str]]:
    """``raw`` (a URL as written) without tracking parameters, and the names removed. The
    parameters that stay keep their separators as written (`&amp;` in HTML stays `&amp;`)."""
    hash_ = _FRAGMENT.search(raw)
    base, fragment = (raw[: hash_.start()], raw[hash_.start() :]) if hash_ else (raw, "")
    path, question, query = base.partition("?")
    if not question or not query:
        return raw, []
    host = host_of(raw)
    pieces = _QUERY_SEPARATOR.split(query)
    kept: list[str] = []  # each parameter that stays, after the separator written before it
    removed: list[str] = []
    for i, param in enumerate(pieces[0::2]):
        name = html.unescape(param.split("=", 1)[0])
        if name and _is_tracking(name, host):
            removed.append(unquote(name))
        elif param:
            kept.append((pieces[2 * i - 1] if kept else "") + param)
    if not removed:
        return raw, []
    return path + ("?" + "".join(kept) if kept else "") + fragment, removed


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
    """The text of a link and the span of the whole link, looking past an HTML opening tag
    (only an ``<a>`` has text: an embed's address is a link without any)."""
    text = post.text
    if link.text or link.kind != "html" or not _A_OPEN.match(text, link.span.start):
        return link.text, link.span
    close = _A_CLOSE.search(text, link.span.end, link.span.end + 500)
    if not close:
        return "", link.span
    inner = " ".join(re.sub(r"<[^>]*>", "", text[link.span.end : close.start()]).split())
    return inner, post.span(link.span.start, close.end())


_A_OPEN = re.compile(r"<a\b", re.I)
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
    languages = ("en",)

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
    It is advice, not a defect: a page that is also read elsewhere (a README imported from a
    theme's repository, shown on GitHub too) needs the absolute address. So the rule is off
    by default: a site that wants relative links turns it on with
    `extend-select = ["link-self-absolute"]`.

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
    severity = "info"
    default = False  # the link works: on real blogs a third of all findings, rarely acted on
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
        hints: dict[str, str] = {}
        for ref in post.undefined_references:
            label = ref.label.strip()
            if not label or label.startswith("^"):
                continue
            if label not in hints:
                hints[label] = _nearest_label(label, labels)
            near = hints[label]
            hint = f" (did you mean `[{near}]`?)" if near else ""
            yield self.finding(
                ref.span,
                f"No definition `[{label}]: URL` exists for this reference link, so it shows "
                f"as plain text; add the definition or fix the label{hint}.",
            )


def _nearest_label(label: str, labels: list[str]) -> str:
    """The definition label most like ``label`` (difflib's ratio, at least 0.6), or "".
    rapidfuzz compares in C and skips the labels whose length alone rules them out: a post
    with thousands of definitions and undefined labels took seconds with difflib."""
    best = process.extractOne(label, labels, scorer=fuzz.ratio, score_cutoff=60)
    return str(best[0]) if best else ""
