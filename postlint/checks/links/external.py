"""External links: with ``--external`` (or ``[links] external = true``) every distinct http(s)
URL of the site is checked once over the network, by the link checker the run owns.

The rules never touch the network or the terminal themselves: they ask ``ctx.services.links``,
which reports progress and ``--verbose`` details through the run's notes.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from postlint.checks.links.common import GOOD_FM, link_span, own_site_path, templated
from postlint.model import Edit, Finding, Fix, Link
from postlint.rule import Context, Example, Rule, Site


@dataclass(frozen=True)
class ExternalUse:
    """One use of an external URL: the post, the link and what the checker was asked."""

    path: str
    link: Link
    url: str


def external_uses(site: Site) -> list[ExternalUse]:
    """Every http(s) link to another site, in every post the run reports (links to the site
    itself excluded): naming one post asks the network about that post's links only."""
    base = site.info.base_url
    uses = []
    for path, summary in site.posts.items():
        if not site.reports(path):
            continue
        for link in summary.links:
            url = link.url.strip()
            if link.kind == "html" and "&" in url:
                url = html.unescape(url)
            if not url.lower().startswith(("http://", "https://")) or templated(url):
                continue
            if own_site_path(url, base) is not None:
                continue  # judged offline by link-internal-broken
            uses.append(ExternalUse(path, link, url))
    return uses


def external_results(site: Site, ctx: Context) -> tuple[list[ExternalUse], dict[str, Any]]:
    """Every distinct external URL of the site, checked once per run by the run's link checker
    (the three rules ask it for the same URLs and get the same answers)."""
    uses = external_uses(site)
    return uses, ctx.services.links.check([use.url for use in uses], ctx.options)


def http_statuses(value: Any) -> tuple[int, ...]:
    """``accept``: HTTP statuses, as numbers or strings (checked when the configuration loads)."""
    items = value if isinstance(value, (list, tuple)) else [value]
    statuses = []
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit() or not 100 <= int(text) <= 599:
            raise ValueError(f"{item!r} is not an HTTP status; write numbers such as 403")
        statuses.append(int(text))
    return tuple(statuses)


def check_headers(value: dict[str, Any]) -> dict[str, Any]:
    """``headers``: a table of header values for each host."""
    for host, fields in value.items():
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise ValueError(f'`{host}` must be a table of header values, as {{ Cookie = "a=1" }}')
    return value


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
            link_span(use.link),
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
        span = link_span(use.link)
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
            link_span(use.link), f"This link could not be checked: {result.reason}."
        )
