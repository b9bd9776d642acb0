"""Links: internal links and anchors that lead nowhere, link hygiene, and external link checks.

One family (the ``[links]`` table, codes ``LNK``) in three modules a newcomer can find:
``internal`` (links and ``#anchors`` resolved through the site index), ``hygiene`` (links that
cannot work as written, tracking parameters, ``http://``, vague text ...) and ``external``
(links checked over the network with ``--external``); ``common`` holds what they share.
"""

from __future__ import annotations

from postlint.checks.links.common import (
    host_of,
    is_local_host,
    malformed_reason,
    own_site_path,
    scheme_of,
    url_sites,
)
from postlint.checks.links.external import (
    LinkBroken,
    LinkRedirected,
    LinkUnverifiable,
    check_headers,
    http_statuses,
)
from postlint.checks.links.hygiene import (
    LinkBareUrl,
    LinkInsecure,
    LinkMalformed,
    LinkReferenceUndefined,
    LinkSelfAbsolute,
    LinkTrackingParams,
    LinkVagueText,
    strip_tracking,
)
from postlint.checks.links.internal import LinkAnchorBroken, LinkInternalBroken
from postlint.config import positive, regular_expressions
from postlint.rule import Family, Option

__all__ = [
    "FAMILY",
    "LinkAnchorBroken",
    "LinkBareUrl",
    "LinkBroken",
    "LinkInsecure",
    "LinkInternalBroken",
    "LinkMalformed",
    "LinkRedirected",
    "LinkReferenceUndefined",
    "LinkSelfAbsolute",
    "LinkTrackingParams",
    "LinkUnverifiable",
    "LinkVagueText",
    "host_of",
    "is_local_host",
    "malformed_reason",
    "own_site_path",
    "scheme_of",
    "strip_tracking",
    "url_sites",
]

FAMILY = Family(
    name="links",
    prefix="LNK",
    description="Links: internal links and anchors, link hygiene, and external link checks.",
    rules=(
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
    ),
    options=(
        Option(
            "insecure-allow",
            (),
            "Hosts (and their subdomains) or URL prefixes that may stay on `http://`.",
            list,
        ),
        Option("external", False, "Check external links over the network (also `--external`)."),
        Option(
            "verbose",
            False,
            "External checks: per-host counts on stderr (also `--verbose`).",
            verdict=False,
        ),
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
            validate=http_statuses,
        ),
        Option(
            "headers",
            {},
            "External checks: extra request headers by host (host -> table).",
            validate=check_headers,
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
            verdict=False,
        ),
        Option(
            "cache-ttl", 86400.0, "External checks: seconds a good result is trusted.", minimum=0
        ),
    ),
)
