"""Asynchronous checker for the external links of a site, on httpx.

Writers want to know which links are dead, not to wait for a crawler, and not to be told that
a working page is "broken" because a social network refuses robots. So the checker:

* asks each distinct URL once (fragments are not sent), ``HEAD`` first and a streamed ``GET``
  (closed before the body is read) when a server mishandles ``HEAD``;
* bounds concurrency globally and per host, so one slow site cannot starve the others and no
  site sees more than ``per_host_concurrency`` requests from us at a time;
* follows redirects itself to tell permanent moves (worth fixing in the post) from temporary
  ones, and to catch loops;
* retries what may be transient (5xx, timeouts, dropped connections) with exponential backoff
  and jitter, honouring ``Retry-After`` on 429 and 503 up to a cap;
* never requests an address that is not global (private, loopback, link-local, carrier-grade
  NAT, documentation ranges, and IPv4 addresses wrapped in IPv6) unless asked, so a post cannot
  make a CI runner probe its own network; each host is resolved once per run and connected to
  the addresses that were vetted, so a second DNS answer cannot slip a private one in;
* says once, in a note, that links were not checked when no host could be reached at all (a
  runner without network), instead of calling every link broken;
* remembers good results on disk for a day, keyed by the URL and the options that change a
  verdict, so that a second run is nearly free.

Entry points: :func:`check_urls` / :func:`acheck_urls` return ``{url: LinkResult}``;
:func:`check_urls_with_stats` / :func:`acheck_urls_with_stats` return a :class:`LinkCheckReport`
that also carries per-host statistics (URL count, requests, total and slowest time) and notes
for the command line to print once (a damaged cache, links not checked because offline).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import errno
import functools
import hashlib
import ipaddress
import json
import os
import random
import re
import socket
import ssl
import tempfile
import time
import urllib.request
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import certifi
import httpcore
import httpx

__all__ = [
    "DEFAULT_UNVERIFIABLE_HOSTS",
    "DEFAULT_USER_AGENT",
    "HostStats",
    "LinkCheckOptions",
    "LinkCheckReport",
    "LinkResult",
    "LinkStatus",
    "acheck_urls",
    "acheck_urls_with_stats",
    "check_urls",
    "check_urls_with_stats",
]

# "offline": not checked because no host at all could be reached; link-broken ignores it.
LinkStatus = Literal["ok", "redirected", "broken", "unverifiable", "excluded", "private", "offline"]
Progress = Callable[[int, int, int], None]

# Many sites serve robots a 403 or a captcha; a browser-like agent avoids most false alarms.
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36 postlint-linkcheck/0.1"
)
# Sites that answer automated requests with 403/429/999 or a login wall whatever the URL.
DEFAULT_UNVERIFIABLE_HOSTS = (
    "x.com",
    "twitter.com",
    "linkedin.com",
    "instagram.com",
    "facebook.com",
    "threads.net",
    "medium.com",
    "tiktok.com",
    "quora.com",
)
# What such sites answer robots with: treated as "could not check", never as "broken".
UNVERIFIABLE_STATUSES = frozenset({400, 401, 403, 405, 406, 429, 451, 503, 999})
MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_HONOURS_RETRY_AFTER = frozenset({429, 503})
# HEAD answers worth a second opinion from GET; 429/503 mean "slow down", not "broken HEAD".
_NO_GET_FALLBACK = frozenset({429, 503})
_HEAD_UNSUPPORTED = frozenset({405, 501})
_GOOD: frozenset[str] = frozenset({"ok", "redirected", "unverifiable"})
_CACHE_FILE = "linkcheck.json"
_CACHE_VERSION = 1
# How a URL is asked (HEAD, then GET when HEAD fails): part of a cached verdict's key.
_METHODS = ("HEAD", "GET")
# Seconds an idle connection is kept for the next request to its origin (httpx's default).
_KEEPALIVE = 5.0
# Bytes a connection takes in ahead of its reader (a body is never read: 64 KiB is plenty).
_READ_AHEAD = 65536
# NAT64 well-known prefix (RFC 6052): the last 32 bits are the IPv4 destination.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class LinkCheckOptions:
    """How to check links. Defaults suit a real site checked from a laptop or CI."""

    concurrency: int = 64
    per_host_concurrency: int = 8
    timeout: float = 10.0  # seconds, for connecting and for each read
    deadline: float = 30.0  # seconds, for one URL including retries and redirects
    retries: int = 2  # extra tries after the first one
    max_retry_wait: float = 30.0  # cap for Retry-After and for backoff
    backoff: float = 0.5  # first backoff in seconds, doubled each retry, with jitter
    accept: tuple[int, ...] = ()  # statuses accepted besides 2xx (e.g. 403)
    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by host or host:port
    user_agent: str = DEFAULT_USER_AGENT
    exclude: tuple[str, ...] = ()  # regular expressions searched in the URL
    check_private_addresses: bool = False
    unverifiable_hosts: tuple[str, ...] = DEFAULT_UNVERIFIABLE_HOSTS  # subdomains included
    cache_dir: Path | None = None
    cache_ttl: float = 86400.0  # seconds a good result is trusted
    verify_tls: bool = True
    trust_env: bool = True  # honour HTTP(S)_PROXY / NO_PROXY like other tools


@dataclass(frozen=True)
class LinkResult:
    """The verdict on one URL, with a reason a writer can act on."""

    url: str
    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None  # where redirects ended, when there were any
    reason: str = ""
    attempts: int = 0  # tries of the URL (a try may be HEAD then GET, plus redirects)
    elapsed: float = 0.0  # seconds from the first request to the verdict, waits included
    from_cache: bool = False


@dataclass
class HostStats:
    """Where the time went, per host (``host`` or ``host:port``).

    ``urls``, ``total_time`` and ``slowest_*`` count the URLs as written in the posts;
    ``requests`` counts every request sent to the host, redirect hops and retries included.
    """

    urls: int = 0
    requests: int = 0
    total_time: float = 0.0
    slowest_url: str | None = None
    slowest_time: float = 0.0


@dataclass
class LinkCheckReport:
    """Results keyed by the URLs as given, per-host statistics and the wall time of the run."""

    results: dict[str, LinkResult]
    hosts: dict[str, HostStats]
    elapsed: float
    requests: int
    notes: list[str] = field(default_factory=list)  # to print once: "postlint: note: ..."


def check_urls(
    urls: Iterable[str], options: LinkCheckOptions | None = None, progress: Progress | None = None
) -> dict[str, LinkResult]:
    """Check ``urls`` and return ``{url: result}``; not callable from a running event loop."""
    return check_urls_with_stats(urls, options, progress).results


def check_urls_with_stats(
    urls: Iterable[str], options: LinkCheckOptions | None = None, progress: Progress | None = None
) -> LinkCheckReport:
    """Like :func:`check_urls`, with per-host statistics for ``--verbose`` output."""
    return asyncio.run(acheck_urls_with_stats(urls, options, progress))


async def acheck_urls(
    urls: Iterable[str], options: LinkCheckOptions | None = None, progress: Progress | None = None
) -> dict[str, LinkResult]:
    """Async form of :func:`check_urls`."""
    return (await acheck_urls_with_stats(urls, options, progress)).results


async def acheck_urls_with_stats(
    urls: Iterable[str], options: LinkCheckOptions | None = None, progress: Progress | None = None
) -> LinkCheckReport:
    """Check every distinct URL once; ``progress(checked, total, failures)`` after each."""
    checker = _Checker(options or LinkCheckOptions(), progress)
    return await checker.run(list(urls))


# --- internals -------------------------------------------------------------------------------


class _PrivateAddress(Exception):
    """A hop of the URL points at an address we were told not to touch."""


class _LookupTimeout(TimeoutError):
    """Our own bound on a DNS lookup."""


class _GiveUp(Exception):
    """A verdict reached inside the retry loop, carried out of the deadline scope."""

    def __init__(self, result: LinkResult) -> None:
        super().__init__(result.reason)
        self.result = result


@dataclass
class _Hop:
    status: int
    location: str | None
    retry_after: str | None
    methods: tuple[str, ...]


@dataclass
class _Outcome:
    status: int
    final_url: str
    redirected: bool
    permanent: bool
    retry_after: str | None
    methods: tuple[str, ...]
    problem: str | None = None  # redirect loop, too many redirects, bad Location


@dataclass
class _Try:
    """Per-URL state shared by the hops and retries of one check."""

    scope: asyncio.Timeout
    deadline: float
    started: float | None = None
    attempts: int = 0

    def begin(self) -> None:
        """Start the per-URL deadline at the first request, not while queued behind others."""
        if self.started is None:
            loop = asyncio.get_running_loop()
            self.started = loop.time()
            self.scope.reschedule(self.started + self.deadline)

    def elapsed(self) -> float:
        return 0.0 if self.started is None else asyncio.get_running_loop().time() - self.started

    def remaining(self) -> float:
        when = self.scope.when()
        return float("inf") if when is None else when - asyncio.get_running_loop().time()


def _request_key(url: str) -> str:
    """What is requested and cached for a URL: stripped of blanks and of its fragment."""
    url = url.strip()
    try:
        return urldefrag(url)[0]
    except ValueError:
        return url.split("#", 1)[0]


@functools.lru_cache(maxsize=4096)  # asked several times per URL and hop
def host_key(url: str) -> str:
    """The unit of per-host limits and statistics: host, plus the port when one is written."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def _phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _fmt_seconds(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 10 else f"{seconds:.0f} s"


def _tries(n: int) -> str:
    return "" if n <= 1 else f" ({n} tries)"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def describe_error(exc: BaseException, timeout: float) -> tuple[str, bool]:
    """A writer-readable reason for a transport failure, and whether retrying may help."""
    if isinstance(exc, _LookupTimeout):
        return f"DNS lookup timed out after {_fmt_seconds(timeout)}", True
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return f"timed out after {_fmt_seconds(timeout)}", True
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"invalid URL ({exc})", False
    chain = _chain(exc)
    for err in chain:
        if isinstance(err, ssl.SSLCertVerificationError):
            return f"TLS error: {err.verify_message or 'certificate verification failed'}", False
        if isinstance(err, ssl.SSLError):
            detail = (err.reason or str(err)).replace("_", " ").lower()
            return f"TLS error: {detail}", False
        if isinstance(err, socket.gaierror):
            return "DNS lookup failed", False
        if isinstance(err, ConnectionRefusedError):
            return "connection refused", True
        if isinstance(err, ConnectionResetError):
            return "connection reset by the server", True
        if isinstance(err, OSError) and err.errno == errno.ECONNREFUSED:
            return "connection refused", True
        if isinstance(err, OSError) and err.errno == errno.ENETUNREACH:
            return "network unreachable", False
        if isinstance(err, OSError) and err.errno == errno.EHOSTUNREACH:
            return "no route to the host", True
    text = " ".join(str(e) for e in chain).lower()
    if "refused" in text:
        return "connection refused", True
    if "name or service not known" in text or "nodename nor servname" in text:
        return "DNS lookup failed", False
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection without a valid answer", True
    if isinstance(exc, ValueError):
        return f"invalid URL ({exc})", False
    return f"connection error: {exc or type(exc).__name__}", True


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes, outermost first (httpx wraps httpcore's, which wrap the
    socket's)."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain


def reached_nothing(exc: BaseException) -> bool:
    """True for failures that say nothing about the link, only that no host could be reached.

    A lookup that fails, a network without a route, a connection attempt that times out: what
    a runner without network sees for every link. A refusal, a reset or a TLS error means
    something answered.
    """
    if isinstance(exc, httpx.ConnectTimeout | _LookupTimeout):
        return True
    return any(
        isinstance(err, socket.gaierror)
        or (isinstance(err, OSError) and err.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH))
        for err in _chain(exc)
    )


def _wrapped_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address carries: mapped, 6to4, Teredo, NAT64."""
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        return ip.teredo  # the relay server and the client behind its NAT
    if ip in _NAT64:
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    return ()


def _is_global(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.is_multicast or ip.is_reserved or not ip.is_global:
        return False
    return not (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)


def is_private_address(address: str) -> bool:
    """True for every IP address that is not global, so never to be requested by default.

    Private, loopback, link-local, carrier-grade NAT (100.64.0.0/10, which holds a cloud
    metadata address), documentation, benchmarking, multicast and reserved ranges; an IPv6
    address wrapping IPv4 (mapped, 6to4, Teredo, NAT64) is judged by the IPv4 it carries.
    False for host names: they are judged by what they resolve to.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        wrapped = _wrapped_ipv4(ip)
        if wrapped:
            return not all(_is_global(inner) for inner in wrapped)
    return not _is_global(ip)


def _is_ip_literal(host: str) -> bool:
    """An address written in the URL (``127.0.0.1``, ``::1``, ``fe80::1%eth0``): no lookup."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


async def resolve(host: str) -> list[str]:
    """Addresses of ``host``; a module-level seam so tests can avoid real DNS."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _os_reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


class _Cache:
    """Good results on disk, keyed by the requested URL (without fragment) and the options
    that change its verdict; problems with the file become notes, never failures."""

    def __init__(self, directory: Path | None, ttl: float, notes: list[str]) -> None:
        self.path = None if directory is None else directory / _CACHE_FILE
        self.ttl = ttl
        self.notes = notes
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path is not None:
            self._load(self.path)

    def _load(self, path: Path) -> None:
        try:
            raw = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return  # nothing cached yet; saving will say if the folder cannot be made
        except OSError as exc:
            self.notes.append(f"could not read the link cache {path} ({_os_reason(exc)}); ignored")
            return
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
                raise ValueError("unknown format")
            entries = data["entries"]
            if not isinstance(entries, dict):
                raise ValueError("entries is not an object")
            for key, entry in entries.items():
                if not isinstance(entry, dict) or not isinstance(
                    entry.get("checked_at"), float | int
                ):
                    raise ValueError(f"bad entry for {key!r}")
                if entry.get("status") not in _GOOD:
                    raise ValueError(f"bad status for {key!r}")
        except (ValueError, KeyError, TypeError):
            self.notes.append(f"the link cache {path} was damaged; rebuilding it")
            return
        self.entries = entries

    def get(self, key: str, url: str, now: float) -> LinkResult | None:
        entry = self.entries.get(key)
        if entry is None or now - float(entry["checked_at"]) >= self.ttl:
            return None
        try:
            return LinkResult(
                url=url,
                status=entry["status"],
                http_status=entry.get("http_status"),
                final_url=entry.get("final_url"),
                reason=str(entry.get("reason", "")),
                attempts=0,
                elapsed=0.0,
                from_cache=True,
            )
        except (TypeError, KeyError):
            return None

    def update(self, results: Mapping[str, LinkResult], now: float) -> None:
        for key, res in results.items():
            if res.from_cache:
                continue
            if res.status in _GOOD:
                self.entries[key] = {
                    "status": res.status,
                    "http_status": res.http_status,
                    "final_url": res.final_url,
                    "reason": res.reason,
                    "checked_at": now,
                }
            else:
                self.entries.pop(key, None)
        self.entries = {
            k: v for k, v in self.entries.items() if now - float(v["checked_at"]) < self.ttl
        }

    def save(self) -> None:
        """Write atomically so a crash or a parallel run never leaves half a file."""
        if self.path is None:
            return
        data = {"version": _CACHE_VERSION, "entries": self.entries}
        tmp_name: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=".linkcheck-", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=0, sort_keys=True)
            os.replace(tmp_name, self.path)
            tmp_name = None
        except OSError as exc:
            self.notes.append(f"could not write the link cache {self.path} ({_os_reason(exc)})")
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)


def _tls_context(verify: bool, trust_env: bool) -> ssl.SSLContext:
    """What to trust for HTTPS: the bundle named by ``SSL_CERT_FILE``/``SSL_CERT_DIR``, else
    the system's roots (what the machine's browsers and curl trust, corporate CAs included),
    else certifi's where the system has none (python.org builds on macOS).
    """
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    system = ssl.get_default_verify_paths()
    if system.cafile or system.capath:
        return ssl.create_default_context(cafile=system.cafile, capath=system.capath)
    return ssl.create_default_context(cafile=certifi.where())


class _Proxies:
    """``HTTP(S)_PROXY`` and ``NO_PROXY``, read once per run.

    Read here rather than by httpx (``trust_env``) so that every request not sent through a
    proxy goes over a pinned pool, and so that nothing else comes from the environment: a
    ``~/.netrc`` password sent to whatever host a post links to would be a leak.
    """

    def __init__(self, trust_env: bool) -> None:
        found = urllib.request.getproxies() if trust_env else {}
        self.by_scheme = {
            scheme: url if "://" in url else f"http://{url}"
            for scheme, url in found.items()
            if scheme in ("http", "https") and url
        }
        self.bypassed: dict[str, bool] = {}

    def lookup(self, scheme: str, host: str) -> str | None:
        """The proxy for a request, or None to connect directly."""
        proxy = self.by_scheme.get(scheme)
        if proxy is None:
            return None
        bypassed = self.bypassed.get(host)
        if bypassed is None:
            bypassed = self.bypassed[host] = bool(urllib.request.proxy_bypass(host))
        return None if bypassed else proxy


class _Receiver(asyncio.Protocol):
    """What a connection received and was not read yet, and whether it ended."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.ended = False
        self.error: BaseException | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _READ_AHEAD and not self.paused and self.transport is not None:
            self.paused = True  # a body nobody reads: stop taking it in
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def read(self, max_bytes: int, timeout: float | None) -> bytes:
        if not self.buffer and not self.ended:
            loop = asyncio.get_running_loop()
            waiter = self.waiter = loop.create_future()
            timer = None if timeout is None else loop.call_later(timeout, _expire, waiter)
            try:
                await waiter
            finally:
                self.waiter = None
                if timer is not None:
                    timer.cancel()
        if not self.buffer:
            if self.error is not None:
                raise httpcore.ReadError(str(self.error)) from self.error
            return b""
        data = bytes(self.buffer[:max_bytes])
        del self.buffer[:max_bytes]
        if self.paused and len(self.buffer) <= _READ_AHEAD // 4 and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        return data


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(httpcore.ReadTimeout("timed out"))


class _Stream(httpcore.AsyncNetworkStream):
    """A connection for httpcore on asyncio's own transports.

    anyio's streams (httpcore's default) open a cancel scope for each read and write, and poll
    the socket to tell whether an idle connection was closed, where the receiver simply knows:
    30% of the checker's CPU (benchmarks/links.py).
    """

    def __init__(self, transport: asyncio.Transport, receiver: _Receiver) -> None:
        self.transport = transport
        self.receiver = receiver

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.receiver.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self.receiver.ended or self.transport.is_closing():
            raise httpcore.WriteError("the connection was closed") from self.receiver.error
        self.transport.write(buffer)  # requests are small: the transport buffers them

    async def aclose(self) -> None:
        # At once, and no TLS goodbye: a server may be sending a body nobody will read.
        self.transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                tls = await loop.start_tls(
                    self.transport, self.receiver, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            self.transport.abort()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from exc
        except OSError as exc:  # ssl.SSLError among them
            self.transport.abort()
            raise httpcore.ConnectError(str(exc)) from exc
        assert isinstance(tls, asyncio.Transport)
        self.receiver.transport = tls
        return _Stream(tls, self.receiver)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle connection the server closed, or spoke out of turn
            return self.receiver.ended or bool(self.receiver.buffer)
        if info == "ssl_object":
            return self.transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self.transport.get_extra_info("sockname")
        if info == "server_addr":
            return self.transport.get_extra_info("peername")
        if info == "socket":
            return self.transport.get_extra_info("socket")
        return None


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects a link's host to the addresses the checker vetted for it, never to a fresh
    DNS answer, so a second answer cannot slip a private address in.

    httpcore still names the host in TLS (server name, certificate check) and the request keeps
    its Host header: only the socket's address is pinned.
    """

    def __init__(self, vetted: Mapping[str, tuple[str, ...]]) -> None:
        self.vetted = vetted

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self.vetted.get(host)
        if not addresses:  # the checker vets each host before asking: never look one up here
            raise httpcore.ConnectError(f"{host} was not looked up and checked first")
        for address in addresses[:-1]:  # each address in turn; the last one's failure counts
            with contextlib.suppress(httpcore.ConnectError, httpcore.ConnectTimeout):
                return await self._connect(address, port, timeout, local_address, socket_options)
        return await self._connect(addresses[-1], port, timeout, local_address, socket_options)

    async def _connect(
        self,
        address: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> _Stream:
        loop = asyncio.get_running_loop()
        local = None if local_address is None else (local_address, 0)
        try:
            async with asyncio.timeout(timeout):
                transport, receiver = await loop.create_connection(
                    _Receiver, address, port, local_addr=local
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"connecting to {address} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for option in socket_options or ():
            transport.get_extra_info("socket").setsockopt(*option)
        assert isinstance(transport, asyncio.Transport)
        return _Stream(transport, receiver)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


# httpcore's errors as httpx's transports raise them: same names, httpx's classes.
_HTTPX_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    getattr(httpcore, name): getattr(httpx, name)
    for name in (
        "TimeoutException",
        "ConnectTimeout",
        "ReadTimeout",
        "WriteTimeout",
        "PoolTimeout",
        "NetworkError",
        "ConnectError",
        "ReadError",
        "WriteError",
        "ProtocolError",
        "LocalProtocolError",
        "RemoteProtocolError",
        "ProxyError",
        "UnsupportedProtocol",
    )
}


def _httpx_error(exc: Exception) -> httpx.TransportError | None:
    for cls in type(exc).__mro__:
        mapped = _HTTPX_ERRORS.get(cls)
        if mapped is not None:
            return mapped(str(exc))
    return None


class _Body(httpx.AsyncByteStream):
    """A response body from httpcore, read (if ever) and closed through httpx; closing it hands
    its connection back to the origin's transport."""

    def __init__(
        self,
        stream: Iterable[bytes] | AsyncIterable[bytes],
        owner: _OriginTransport,
        connection: httpcore.AsyncHTTPConnection,
    ) -> None:
        assert isinstance(stream, AsyncIterable)
        self.stream = stream
        self.owner = owner
        self.connection: httpcore.AsyncHTTPConnection | None = connection

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self.stream:
                yield part
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            if hasattr(self.stream, "aclose"):
                await self.stream.aclose()
        finally:
            await self.owner.release(connection)


class _OriginTransport(httpx.AsyncBaseTransport):
    """httpx requests to one origin over httpcore connections, which the pinned backend
    connects to the vetted addresses (httpx has no parameter for its pools' backend).

    The checker's semaphores already bound the requests in flight to a host, so the pool is no
    more than a stack of idle connections: httpcore's own pool scans all its connections
    several times per request, 40% of the checker's CPU (benchmarks/links.py).
    """

    def __init__(
        self, ssl_context: ssl.SSLContext | None, backend: _PinnedBackend, keep: int
    ) -> None:
        self.ssl_context = ssl_context
        self.backend = backend
        self.keep = keep  # idle connections kept for the next requests
        self.idle: list[httpcore.AsyncHTTPConnection] = []
        self.busy = 0
        self.used = 0.0  # time.monotonic() of the last request

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core = httpcore.Request(
            request.method,
            httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        connection = await self._idle_connection()
        if connection is None:
            connection = httpcore.AsyncHTTPConnection(
                core.url.origin,
                ssl_context=self.ssl_context,
                keepalive_expiry=_KEEPALIVE,
                network_backend=self.backend,
            )
        self.busy += 1
        try:
            response = await connection.handle_async_request(core)
        except BaseException as exc:
            self.busy -= 1
            await connection.aclose()
            mapped = _httpx_error(exc) if isinstance(exc, Exception) else None
            if mapped is None:
                raise
            raise mapped from exc
        return httpx.Response(
            response.status,
            headers=response.headers,
            stream=_Body(response.stream, self, connection),
            extensions=response.extensions,
        )

    async def _idle_connection(self) -> httpcore.AsyncHTTPConnection | None:
        """The connection used last, unless the server closed it or it expired."""
        while self.idle:
            connection = self.idle.pop()
            if connection.is_idle() and not connection.has_expired():
                return connection
            await connection.aclose()
        return None

    async def release(self, connection: httpcore.AsyncHTTPConnection) -> None:
        """Keep a connection whose exchange ended cleanly, close any other."""
        self.busy -= 1
        if connection.is_idle() and len(self.idle) < self.keep:
            self.idle.append(connection)
        else:
            await connection.aclose()

    async def aclose(self) -> None:
        idle, self.idle = self.idle, []
        for connection in idle:
            await connection.aclose()


class _Router(httpx.AsyncBaseTransport):
    """Sends each request through the environment's proxy when one applies, else over the
    pool of its origin, connected to the addresses vetted for its host.

    An origin unused for longer than the keep-alive expiry has its connections closed when
    another origin opens, so a site linking to thousands of hosts does not keep a socket open
    for each.
    """

    def __init__(self, checker: _Checker) -> None:
        self.checker = checker
        self.backend = _PinnedBackend(checker.vetted)
        self.origins: OrderedDict[tuple[bytes, bytes, int | None], _OriginTransport]
        self.origins = OrderedDict()
        self.proxied: dict[str, httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        proxy = self.checker.proxies.lookup(url.scheme, url.host)
        if proxy is not None:
            return await self._through(proxy).handle_async_request(request)
        now = time.monotonic()
        origin = (url.raw_scheme, url.raw_host, url.port)
        transport = self.origins.get(origin)
        if transport is None:
            transport = self.origins[origin] = self._open(url.scheme)
            transport.used = now
            await self._close_idle(now)
        else:
            transport.used = now
            self.origins.move_to_end(origin)
        return await transport.handle_async_request(request)

    def _open(self, scheme: str) -> _OriginTransport:
        tls = self.checker.tls() if scheme == "https" else None
        return _OriginTransport(tls, self.backend, self.checker.opts.per_host_concurrency)

    async def _close_idle(self, now: float) -> None:
        """Close the pools unused for longer than the keep-alive expiry, oldest first."""
        stale: list[_OriginTransport] = []
        for origin, transport in list(self.origins.items()):
            if now - transport.used < _KEEPALIVE:
                break
            if not transport.busy:
                stale.append(self.origins.pop(origin))
        for transport in stale:
            await transport.aclose()

    def _through(self, proxy: str) -> httpx.AsyncHTTPTransport:
        transport = self.proxied.get(proxy)
        if transport is None:
            if not proxy.startswith(("http://", "https://")):
                raise httpx.ProxyError(f"unsupported proxy {proxy} (http and https only)")
            limit = self.checker.opts.concurrency
            transport = self.proxied[proxy] = httpx.AsyncHTTPTransport(
                proxy=proxy,
                verify=self.checker.tls(),
                trust_env=False,
                limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
            )
        return transport

    async def aclose(self) -> None:
        for transport in [*self.origins.values(), *self.proxied.values()]:
            await transport.aclose()


class _Checker:
    """One run: shared client, semaphores, DNS memo, statistics and notes."""

    def __init__(self, options: LinkCheckOptions, progress: Progress | None) -> None:
        if options.concurrency < 1 or options.per_host_concurrency < 1:
            raise ValueError("concurrency and per_host_concurrency must be at least 1")
        self.opts = options
        self.progress = progress
        self.excludes = [re.compile(p) for p in options.exclude]
        self.unverifiable = tuple(h.lower().rstrip(".") for h in options.unverifiable_hosts)
        self.headers = {k.lower(): dict(v) for k, v in options.headers.items()}
        self.global_sem = asyncio.Semaphore(options.concurrency)
        self.host_sems: dict[str, asyncio.Semaphore] = {}
        self.head_unsupported: set[str] = set()
        self.dns: dict[str, asyncio.Task[tuple[str, ...]]] = {}  # host names of links
        self.vetted: dict[str, tuple[str, ...]] = {}  # hosts cleared, with their addresses
        self.tls_context: ssl.SSLContext | None = None
        self.proxies = _Proxies(options.trust_env)
        self.stats: dict[str, HostStats] = {}
        self.notes: list[str] = []
        self.requests = 0
        self.checked = 0
        self.failures = 0
        self.total = 0
        # Whether anything answered at all: a response, a refused or reset connection, TLS.
        self.contact = False
        self.unreached = ""  # why the first URL that reached nothing failed

    async def run(self, urls: list[str]) -> LinkCheckReport:
        started = time.perf_counter()
        keys: dict[str, str] = {url: _request_key(url) for url in urls}
        unique = list(dict.fromkeys(keys.values()))
        self.total = len(unique)
        cache = _Cache(self.opts.cache_dir, self.opts.cache_ttl, self.notes)
        now = time.time()
        by_key: dict[str, LinkResult] = {}
        cache_keys: dict[str, str] = {}
        todo: list[str] = []
        for key in unique:
            early = self._early_verdict(key)
            if early is None:
                cache_keys[key] = self.cache_key(key)
                early = cache.get(cache_keys[key], key, now)
            if early is not None:
                by_key[key] = early
                self._done(early)
            else:
                todo.append(key)
        if todo:
            async with self._client() as client:
                self.client = client
                results = await asyncio.gather(*(self._check(key) for key in todo))
            for task in self.dns.values():
                task.cancel()
            checked = dict(zip(todo, results, strict=True))
            if not self.contact and not await self._control_resolves(by_key.values()):
                self._offline(checked)
            by_key.update(checked)
        cache.update({cache_keys[k]: r for k, r in by_key.items() if k in cache_keys}, time.time())
        if cache.path is not None and todo:
            cache.save()
        out = {url: dataclasses.replace(by_key[key], url=url) for url, key in keys.items()}
        elapsed = time.perf_counter() - started
        return LinkCheckReport(out, self.stats, elapsed, self.requests, self.notes)

    def _client(self) -> httpx.AsyncClient:
        """One client for the run; its transport pins connections and reads no environment."""
        return httpx.AsyncClient(
            transport=_Router(self),
            # A request waiting for a pool is bounded by the URL's deadline.
            timeout=httpx.Timeout(self.opts.timeout, pool=None),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": self.opts.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Language": "en;q=0.9,*;q=0.5",
            },
        )

    def tls(self) -> ssl.SSLContext:
        """The TLS context, made at the first HTTPS connection (loading roots takes time)."""
        if self.tls_context is None:
            self.tls_context = _tls_context(self.opts.verify_tls, self.opts.trust_env)
        return self.tls_context

    async def _control_resolves(self, known: Iterable[LinkResult]) -> bool:
        """Whether a host that the link cache knows to be good still resolves: when the only
        requests of a run (the rest came from the cache) failed to look their host up, this
        tells a dead domain (broken) from a machine without network (not checked)."""
        for result in known:
            host = urlsplit(result.url).hostname or ""
            local = _is_ip_literal(host) or host == "localhost" or host.endswith(".localhost")
            if result.status != "ok" or not result.from_cache or local:
                continue
            try:
                await self._lookup(host)
            except (OSError, _LookupTimeout):
                return False
            return True
        return False

    def _offline(self, results: dict[str, LinkResult]) -> None:
        """Nothing answered: the links were not checked, which is no verdict on them."""
        failed = [url for url, result in results.items() if result.status == "broken"]
        if not failed:
            return
        why = f"no host could be reached ({self.unreached})"
        for url in failed:
            results[url] = dataclasses.replace(
                results[url], status="offline", reason=f"not checked: {why}"
            )
        hosts = len({host_key(url) for url in failed})
        links = f"{len(failed)} external link{'s' if len(failed) != 1 else ''}"
        self.notes.append(
            f"{links} not checked: {why} on {hosts} host{'s' if hosts != 1 else ''}; "
            "is this machine offline?"
        )

    def cache_key(self, url: str) -> str:
        """The URL, and a digest of the options that change its verdict unless all are defaults.

        A digest rather than the values: headers may hold tokens, which do not belong in a
        cache file. Results with default options keep the bare URL as their key.
        """
        options: dict[str, Any] = {}
        if self.opts.accept:
            options["accept"] = sorted(set(self.opts.accept))
        headers = self._host_headers(host_key(url))
        if headers:
            options["headers"] = sorted((k.lower(), v) for k, v in headers.items())
        if self.opts.user_agent != DEFAULT_USER_AGENT:
            options["user-agent"] = self.opts.user_agent
        if not options:
            return url
        options["methods"] = _METHODS
        blob = json.dumps(options, sort_keys=True).encode("utf-8")
        return f"{url} options:{hashlib.sha256(blob).hexdigest()[:16]}"

    def _host_headers(self, key: str) -> dict[str, str] | None:
        return self.headers.get(key) or self.headers.get(key.split(":", 1)[0])

    def _early_verdict(self, url: str) -> LinkResult | None:
        """Verdicts that need no network: excluded, not http(s), private IP literals."""
        if any(p.search(url) for p in self.excludes):
            return LinkResult(url, "excluded", reason="matches an exclude pattern")
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError as exc:
            return LinkResult(url, "broken", reason=f"invalid URL ({exc})")
        if parts.scheme.lower() not in ("http", "https"):
            return LinkResult(url, "excluded", reason="not an http(s) link")
        if not parts.hostname:
            return LinkResult(url, "broken", reason="invalid URL (no host)")
        if any(c.isspace() for c in parts.hostname):
            return LinkResult(url, "broken", reason="invalid URL (space in the host name)")
        if not self.opts.check_private_addresses and is_private_address(parts.hostname):
            return LinkResult(url, "private", reason="private or local address, not checked")
        return None

    def _done(self, result: LinkResult) -> None:
        self.checked += 1
        if result.status == "broken":
            self.failures += 1
        if self.progress is not None:
            self.progress(self.checked, self.total, self.failures)

    async def _check(self, url: str) -> LinkResult:
        result = await self._check_one(url)
        st = self.stats.setdefault(host_key(url), HostStats())
        st.urls += 1
        st.total_time += result.elapsed
        if result.elapsed >= st.slowest_time:
            st.slowest_time, st.slowest_url = result.elapsed, url
        self._done(result)
        return result

    async def _check_one(self, url: str) -> LinkResult:
        scope = asyncio.timeout(None)
        state = _Try(scope, self.opts.deadline)
        try:
            async with scope:
                return await self._retry_loop(url, state)
        except _GiveUp as stop:
            return stop.result
        except TimeoutError:
            reason = f"gave up after {_fmt_seconds(self.opts.deadline)}"
            return LinkResult(
                url,
                "broken",
                reason=reason + _tries(state.attempts),
                attempts=state.attempts,
                elapsed=state.elapsed(),
            )

    async def _retry_loop(self, url: str, state: _Try) -> LinkResult:
        opts = self.opts
        for attempt in range(opts.retries + 1):
            state.attempts = attempt + 1
            last = attempt == opts.retries
            try:
                outcome = await self._follow(url, state)
            except _PrivateAddress as exc:
                return LinkResult(
                    url,
                    "private",
                    reason=str(exc),
                    attempts=state.attempts,
                    elapsed=state.elapsed(),
                )
            except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
                reason, retriable = describe_error(exc, opts.timeout)
                if not reached_nothing(exc):
                    self.contact = True
                elif not self.unreached:
                    self.unreached = reason
                if not retriable or last:
                    return LinkResult(
                        url,
                        "broken",
                        reason=reason + _tries(state.attempts),
                        attempts=state.attempts,
                        elapsed=state.elapsed(),
                    )
                await self._sleep(self._backoff(attempt), state, url, reason)
                continue
            verdict = self._judge(url, outcome, state)
            if verdict is not None:
                return verdict
            status = outcome.status
            reason = _phrase(status)
            if last:
                break
            wait = self._backoff(attempt)
            if status in _HONOURS_RETRY_AFTER:
                asked = parse_retry_after(outcome.retry_after)
                if asked is not None:
                    wait = min(asked, opts.max_retry_wait)
            await self._sleep(wait, state, url, reason, status)
        return LinkResult(
            url,
            "broken",
            http_status=outcome.status,
            reason=_phrase(outcome.status) + _tries(state.attempts),
            final_url=outcome.final_url if outcome.redirected else None,
            attempts=state.attempts,
            elapsed=state.elapsed(),
        )

    def _backoff(self, attempt: int) -> float:
        base = self.opts.backoff * (2**attempt)
        return float(min(self.opts.max_retry_wait, base * (0.5 + random.random() / 2)))

    async def _sleep(
        self, wait: float, state: _Try, url: str, reason: str, status: int | None = None
    ) -> None:
        """Wait before a retry, or give up now if the wait would outlast the deadline."""
        if wait >= state.remaining():
            raise _GiveUp(
                LinkResult(
                    url,
                    "broken",
                    http_status=status,
                    reason=f"{reason}{_tries(state.attempts)}; retrying would pass the "
                    f"{_fmt_seconds(self.opts.deadline)} deadline",
                    attempts=state.attempts,
                    elapsed=state.elapsed(),
                )
            )
        await asyncio.sleep(wait)

    def _is_unverifiable_host(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.unverifiable)

    def _judge(self, url: str, out: _Outcome, state: _Try) -> LinkResult | None:
        """A verdict for an answer, or None when the answer is worth retrying."""
        common: dict[str, Any] = {
            "http_status": out.status,
            "final_url": out.final_url if out.redirected else None,
            "attempts": state.attempts,
            "elapsed": state.elapsed(),
        }
        status = out.status
        if out.problem is not None:
            return LinkResult(url, "broken", reason=out.problem, **common)
        if 200 <= status < 300 or status in self.opts.accept:
            if out.permanent:
                return LinkResult(
                    url, "redirected", reason=f"moved permanently to {out.final_url}", **common
                )
            how = " after following temporary redirects" if out.redirected else ""
            via = " (GET; HEAD refused)" if out.methods[-1:] == ("GET",) else ""
            return LinkResult(url, "ok", reason=f"{_phrase(status)}{how}{via}", **common)
        if status in UNVERIFIABLE_STATUSES and any(
            self._is_unverifiable_host(u) for u in (url, out.final_url)
        ):
            host = urlsplit(out.final_url).hostname
            return LinkResult(
                url,
                "unverifiable",
                reason=f"{host} answered {_phrase(status)}; it blocks automated checks, "
                "open the link in a browser to verify",
                **common,
            )
        if status == 429 or (status >= 500 and status not in (501, 505)) or status == 408:
            return None
        methods = " and ".join(dict.fromkeys(out.methods))
        return LinkResult(url, "broken", reason=f"{_phrase(status)} after {methods}", **common)

    async def _follow(self, url: str, state: _Try) -> _Outcome:
        """Follow up to MAX_REDIRECTS redirects by hand, noting whether any was permanent."""
        current = url
        # Sites that set a cookie then redirect to the same URL visit it twice legitimately
        # (the cookie jar makes the second visit differ); a third visit is a loop.
        visits = {url: 1}
        permanent = False
        for hops in range(MAX_REDIRECTS + 1):
            hop = await self._probe(current, state)
            redirected = hops > 0
            base = _Outcome(
                hop.status, current, redirected, permanent, hop.retry_after, hop.methods
            )
            if hop.status not in _REDIRECTS:
                return base
            if not hop.location:
                base.problem = f"{_phrase(hop.status)} without a Location header"
                return base
            target = urldefrag(urljoin(current, hop.location.strip()))[0]
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                base.problem = f"redirects to a non-web address ({target})"
                return base
            if hop.status in _PERMANENT:
                permanent = True
            if visits.get(target, 0) >= 2:
                base.problem = "redirect loop"
                base.final_url, base.redirected, base.permanent = target, True, permanent
                return base
            if hops == MAX_REDIRECTS:
                break
            visits[target] = visits.get(target, 0) + 1
            current = target
        return _Outcome(
            hop.status,
            current,
            True,
            permanent,
            None,
            hop.methods,
            problem=f"too many redirects (more than {MAX_REDIRECTS})",
        )

    async def _probe(self, url: str, state: _Try) -> _Hop:
        """One hop: HEAD, then GET when the server seems not to handle HEAD properly."""
        target = httpx.URL(url)
        await self.addresses(target.raw_host.decode("ascii"))  # the host as httpcore dials it
        key = host_key(url)
        status, location, retry_after, method = await self._send("HEAD", target, key, state)
        if method == "GET" or status < 400 or status in _NO_GET_FALLBACK:
            return _Hop(status, location, retry_after, (method,))
        if status in _HEAD_UNSUPPORTED:
            self.head_unsupported.add(key)
        status, location, retry_after, method = await self._send("GET", target, key, state)
        return _Hop(status, location, retry_after, ("HEAD", method))

    async def _send(
        self, method: str, url: httpx.URL, key: str, state: _Try
    ) -> tuple[int, str | None, str | None, str]:
        """One request under both limits; the body is never read (closing drops it).

        A HEAD becomes a GET when, while it queued, the host turned out to refuse HEAD.
        """
        sem = self.host_sems.get(key)
        if sem is None:
            sem = self.host_sems[key] = asyncio.Semaphore(self.opts.per_host_concurrency)
        # Host first: a task waiting for a busy host must not hold a global slot.
        async with sem, self.global_sem:
            state.begin()
            self.requests += 1
            self.stats.setdefault(key, HostStats()).requests += 1
            if method == "HEAD" and key in self.head_unsupported:
                method = "GET"
            async with self.client.stream(method, url, headers=self._host_headers(key)) as resp:
                self.contact = True
                if method == "HEAD":
                    # No body to read, but finishing the exchange keeps the connection alive.
                    # Leaving a GET unread closes its connection: a huge or endless body is
                    # never downloaded.
                    await resp.aread()
                return (
                    resp.status_code,
                    resp.headers.get("location"),
                    resp.headers.get("retry-after"),
                    method,
                )

    async def addresses(self, host: str) -> tuple[str, ...]:
        """Where to connect for ``host``: looked up once per run, refused if not global.

        The connection goes to these very addresses (see :class:`_PinnedBackend`), so a DNS
        answer that changes between the check and the connection cannot slip a private
        address in.
        """
        vetted = self.vetted.get(host)
        if vetted is not None:
            return vetted
        if _is_ip_literal(host):
            found: tuple[str, ...] = (host,)
        else:
            task = self.dns.get(host)
            if task is None:
                task = self.dns[host] = asyncio.ensure_future(self._lookup(host))
            try:
                found = await asyncio.shield(task)
            except TimeoutError:
                if self.dns.get(host) is task:
                    del self.dns[host]  # a retry looks the host up again
                raise
        if not self.opts.check_private_addresses:
            private = [address for address in found if is_private_address(address)]
            if private == [host]:
                raise _PrivateAddress(f"{host} is a private or local address, not checked")
            if private:
                raise _PrivateAddress(
                    f"{host} resolves to a private or local address ({private[0]}), not checked"
                )
        self.vetted[host] = found
        return found

    async def _lookup(self, host: str) -> tuple[str, ...]:
        try:
            async with asyncio.timeout(self.opts.timeout):
                found = tuple(dict.fromkeys(await resolve(host)))
        except TimeoutError:
            raise _LookupTimeout(f"looking up {host} took too long") from None
        if not found:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return found
