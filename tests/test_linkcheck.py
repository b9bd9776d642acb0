"""The link checker against real HTTP servers on loopback addresses (never anything else)."""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import errno
import json
import socket
import ssl
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from postlint import linkcheck
from postlint.linkcheck import (
    LinkCheckOptions,
    LinkResult,
    check_urls,
    check_urls_with_stats,
    describe_error,
    is_private_address,
    parse_retry_after,
)
from tests.httpservers import (
    LoopbackServers,
    Reply,
    Request,
    drip,
    free_port,
)

# Loopback servers are private addresses, so tests opt in; one test checks the default.
FAST = LinkCheckOptions(
    timeout=0.3,
    deadline=5.0,
    retries=2,
    backoff=0.01,
    max_retry_wait=0.3,
    check_private_addresses=True,
    trust_env=False,
    unverifiable_hosts=("127.0.0.5",),
)


def opts(**changes: Any) -> LinkCheckOptions:
    return dataclasses.replace(FAST, **changes)


@pytest.fixture
def servers() -> Iterator[LoopbackServers]:
    with LoopbackServers() as group:
        yield group


def site(req: Request) -> Reply:
    """A small site whose paths exercise each behaviour."""
    p = req.path.split("?", 1)[0]
    if p in ("/", "/ok", "/page", "/new"):
        return Reply(200, body=b"hello")
    if p == "/missing":
        return Reply(404)
    if p == "/old":
        return Reply(301, {"Location": "/new"})
    if p == "/moved-308":
        return Reply(308, {"Location": "/tmp"})
    if p == "/tmp":
        return Reply(302, {"Location": "/new"})
    if p == "/temp-only":
        return Reply(307, {"Location": "/tmp"})
    if p == "/loop-a":
        return Reply(302, {"Location": "/loop-b"})
    if p == "/loop-b":
        return Reply(302, {"Location": "/loop-a"})
    if p == "/needs-cookie":
        if "seen=1" in req.headers.get("cookie", ""):
            return Reply(200)
        return Reply(302, {"Location": "/needs-cookie", "Set-Cookie": "seen=1; Path=/"})
    if p.startswith("/chain/"):
        n = int(p.rsplit("/", 1)[1])
        return Reply(302, {"Location": f"/chain/{n + 1}"})
    if p == "/forbidden":
        return Reply(403)
    return Reply(404)


def test_ok_and_404(servers: LoopbackServers) -> None:
    srv = servers.add(site, "127.0.0.2")
    res = check_urls([srv.url("/ok"), srv.url("/missing")], FAST)
    ok, missing = res[srv.url("/ok")], res[srv.url("/missing")]
    assert ok.status == "ok" and ok.http_status == 200 and ok.attempts == 1
    assert ok.final_url is None and not ok.from_cache
    assert missing.status == "broken" and missing.http_status == 404
    assert missing.reason == "404 Not Found after HEAD and GET"
    assert [r.method for r in srv.requests if r.path == "/missing"] == ["HEAD", "GET"]


def test_long_headers(servers: LoopbackServers) -> None:
    policy = "default-src 'self'; " + "; ".join(f"img-src https://cdn{i}.test" for i in range(900))
    srv = servers.add(lambda req: Reply(200, {"Content-Security-Policy": policy}))
    assert len(policy) > 20_000
    assert check_urls([srv.url("/")], FAST)[srv.url("/")].status == "ok"


def test_head_refused_then_get(servers: LoopbackServers) -> None:
    def handler(req: Request) -> Reply:
        return Reply(405) if req.method == "HEAD" else Reply(200, body=b"x" * 1000)

    srv = servers.add(handler)
    urls = [srv.url(f"/{i}") for i in range(6)]
    res = check_urls(urls, opts(per_host_concurrency=2))
    assert all(r.status == "ok" and "HEAD refused" in r.reason for r in res.values()), res
    assert srv.count(method="GET") == 6
    # The host is remembered as HEAD-less: URLs queued after the first answer skip HEAD.
    assert srv.requests[0].method == "HEAD" and srv.count(method="HEAD") <= 2


def test_endless_body_is_not_downloaded(servers: LoopbackServers) -> None:
    def handler(req: Request) -> Reply:
        if req.method == "HEAD":
            return Reply(405)
        return Reply(200, {"Content-Type": "text/html"}, body=drip())

    srv = servers.add(handler)
    t0 = time.monotonic()
    res = check_urls([srv.url("/stream")], opts(deadline=3.0))[srv.url("/stream")]
    assert res.status == "ok", res
    assert time.monotonic() - t0 < 2.0
    time.sleep(0.1)
    sent = srv.bytes_sent
    time.sleep(0.2)
    assert srv.bytes_sent == sent, "server still dripping: the client kept the stream open"


def test_redirects_permanent_temporary_loop_and_limit(servers: LoopbackServers) -> None:
    srv = servers.add(site, "127.0.0.3")
    paths = ("/old", "/moved-308", "/temp-only", "/loop-a", "/chain/0", "/needs-cookie")
    urls = {k: srv.url(k) for k in paths}
    res = check_urls(urls.values(), FAST)
    old = res[urls["/old"]]
    assert old.status == "redirected" and old.final_url == srv.url("/new")
    assert old.http_status == 200
    moved = res[urls["/moved-308"]]  # 308 then 302: any permanent hop counts
    assert moved.status == "redirected" and moved.final_url == srv.url("/new")
    temp = res[urls["/temp-only"]]
    assert temp.status == "ok" and temp.final_url == srv.url("/new")
    loop = res[urls["/loop-a"]]
    assert loop.status == "broken" and loop.reason == "redirect loop"
    chain = res[urls["/chain/0"]]
    assert chain.status == "broken" and chain.reason.startswith("too many redirects")
    assert srv.count("/chain/10") == 1 and srv.count("/chain/11") == 0
    # Set a cookie, redirect to itself: not a loop (the jar makes the second visit differ).
    cookie = res[urls["/needs-cookie"]]
    assert cookie.status == "ok" and cookie.final_url == urls["/needs-cookie"], cookie


def _retry_after_server(servers: LoopbackServers, value: str, status: int = 429) -> Any:
    def handler(req: Request) -> Reply:
        if req.server.count() == 1:
            return Reply(status, {"Retry-After": value})
        return Reply(200)

    return servers.add(handler)


def test_retry_after_seconds(servers: LoopbackServers) -> None:
    srv = _retry_after_server(servers, "1")
    res = check_urls([srv.url("/")], opts(max_retry_wait=30.0))[srv.url("/")]
    assert res.status == "ok" and res.attempts == 2
    gap = srv.requests[1].time - srv.requests[0].time
    assert 0.95 <= gap < 2.0


def test_retry_after_is_capped(servers: LoopbackServers) -> None:
    srv = _retry_after_server(servers, "3600", status=503)
    res = check_urls([srv.url("/")], opts(max_retry_wait=0.2))[srv.url("/")]
    assert res.status == "ok" and res.attempts == 2
    gap = srv.requests[1].time - srv.requests[0].time
    assert 0.15 <= gap < 0.8


def test_retry_after_http_date(servers: LoopbackServers) -> None:
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    srv = _retry_after_server(servers, later)
    res = check_urls([srv.url("/")], opts(max_retry_wait=0.25))[srv.url("/")]
    assert res.status == "ok"
    gap = srv.requests[1].time - srv.requests[0].time
    assert 0.2 <= gap < 0.8


def test_retry_after_beyond_deadline_gives_up(servers: LoopbackServers) -> None:
    srv = _retry_after_server(servers, "60")
    res = check_urls([srv.url("/")], opts(max_retry_wait=30.0, deadline=1.0))[srv.url("/")]
    assert res.status == "broken" and res.http_status == 429
    assert "deadline" in res.reason and srv.count() == 1


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    now = time.time()
    assert (parse_retry_after(email.utils.formatdate(now + 60, usegmt=True), now) or 0) >= 59
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_fails_twice_then_succeeds(servers: LoopbackServers) -> None:
    def handler(req: Request) -> Reply:
        if req.method == "HEAD":
            return Reply(405)
        return Reply(500) if req.server.count(method="GET") <= 2 else Reply(200)

    srv = servers.add(handler)
    res = check_urls([srv.url("/flaky")], FAST)[srv.url("/flaky")]
    assert res.status == "ok" and res.attempts == 3
    assert srv.count(method="GET") == 3


def test_server_error_exhausts_retries(servers: LoopbackServers) -> None:
    srv = servers.add(lambda req: Reply(502))
    res = check_urls([srv.url("/")], opts(retries=1))[srv.url("/")]
    assert res.status == "broken" and res.attempts == 2 and res.http_status == 502
    assert res.reason == "502 Bad Gateway (2 tries)"


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/x"
    res = check_urls([url], FAST)[url]
    assert res.status == "broken" and res.reason == "connection refused (3 tries)"
    assert res.attempts == 3 and res.http_status is None


def test_slower_than_timeout(servers: LoopbackServers) -> None:
    srv = servers.add(lambda req: Reply(200, delay=2.0))
    t0 = time.monotonic()
    res = check_urls([srv.url("/slow")], opts(retries=1))[srv.url("/slow")]
    assert res.status == "broken" and res.reason == "timed out after 0.3 s (2 tries)"
    assert time.monotonic() - t0 < 1.5


def test_deadline_bounds_a_url(servers: LoopbackServers) -> None:
    srv = servers.add(lambda req: Reply(200, delay=0.25))  # each try fits the timeout...
    slow_redirects = servers.add(
        lambda req: Reply(302, {"Location": f"/{int(req.path[1:]) + 1}"}, delay=0.2)
    )
    t0 = time.monotonic()
    res = check_urls([slow_redirects.url("/0"), srv.url("/")], opts(deadline=0.7))
    assert time.monotonic() - t0 < 1.5
    r = res[slow_redirects.url("/0")]  # ...but ten slow hops do not fit the deadline
    assert r.status == "broken" and r.reason.startswith("gave up after 0.7 s")
    assert res[srv.url("/")].status == "ok"


def test_tls_error_against_plain_http(servers: LoopbackServers) -> None:
    srv = servers.add(site)
    url = f"https://127.0.0.1:{srv.port}/"
    res = check_urls([url], FAST)[url]
    assert res.status == "broken" and res.reason.startswith("TLS error: "), res
    assert res.attempts == 1  # TLS failures are not retried


def test_dropped_and_reset_connections_are_retried(servers: LoopbackServers) -> None:
    dropped = servers.add(lambda req: Reply(drop=True), "127.0.0.34")
    reset = servers.add(lambda req: Reply(reset=True), "127.0.0.35")
    res = check_urls([dropped.url("/"), reset.url("/")], FAST)
    assert [(r.status, r.reason) for r in res.values()] == [
        ("broken", "the server closed the connection without a valid answer (3 tries)"),
        ("broken", "connection reset by the server (3 tries)"),
    ]
    assert dropped.count() == 3 and reset.count() == 3


def test_describe_errors() -> None:
    gai = socket.gaierror(-2, "Name or service not known")
    assert describe_error(gai, 10.0) == ("DNS lookup failed", False)
    wrapped = httpx.ConnectError("[Errno -2] Name or service not known")
    wrapped.__cause__ = gai
    assert describe_error(wrapped, 10.0) == ("DNS lookup failed", False)
    assert describe_error(httpx.ReadTimeout("x"), 10.0) == ("timed out after 10 s", True)
    disconnected = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    assert describe_error(disconnected, 1.0) == (
        "the server closed the connection without a valid answer",
        True,
    )
    unreachable = OSError(errno.ENETUNREACH, "Network is unreachable")
    assert describe_error(unreachable, 1.0) == ("network unreachable", False)


class _CountingServer:
    def __init__(self, servers: LoopbackServers) -> None:
        self.srv = servers.add(site, "127.0.0.4")
        self.good = [self.srv.url(f"/ok?{i}") for i in range(5)] + [self.srv.url("/old")]
        self.bad = self.srv.url("/missing")


def test_cache_second_run_makes_no_request(servers: LoopbackServers, tmp_path: Path) -> None:
    c = _CountingServer(servers)
    o = opts(cache_dir=tmp_path)
    first = check_urls([*c.good, c.bad], o)
    assert first[c.srv.url("/old")].status == "redirected"
    c.srv.reset()
    second = check_urls(c.good, o)
    assert c.srv.count() == 0
    assert all(r.from_cache and r.status in ("ok", "redirected") for r in second.values())
    assert second[c.srv.url("/old")].final_url == c.srv.url("/new")
    # Broken results are not cached: checked again every run.
    third = check_urls([c.bad], o)
    assert not third[c.bad].from_cache and c.srv.count("/missing") == 2


def test_cache_expiry(servers: LoopbackServers, tmp_path: Path) -> None:
    c = _CountingServer(servers)
    check_urls(c.good, opts(cache_dir=tmp_path))
    c.srv.reset()
    res = check_urls(c.good, opts(cache_dir=tmp_path, cache_ttl=0.0))
    assert not any(r.from_cache for r in res.values())
    assert c.srv.count() >= len(c.good)


def test_corrupted_cache_is_a_note_not_a_warning(servers: LoopbackServers, tmp_path: Path) -> None:
    c = _CountingServer(servers)
    cache = tmp_path / "linkcheck.json"
    cache.write_text('{"version": 1, "entries": {"x": [', "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = check_urls_with_stats(c.good[:1], opts(cache_dir=tmp_path))
    assert report.notes == [f"the link cache {cache} was damaged; rebuilding it"]
    assert report.results[c.good[0]].status == "ok"
    data = json.loads((tmp_path / "linkcheck.json").read_text("utf-8"))
    assert c.good[0] in data["entries"]  # rewritten, whole
    assert not list(tmp_path.glob("*.tmp"))


def test_per_host_limit(servers: LoopbackServers) -> None:
    a = servers.add(lambda req: Reply(200, delay=0.05), "127.0.0.6")
    b = servers.add(lambda req: Reply(200, delay=0.05), "127.0.0.7")
    urls = [s.url(f"/{i}") for s in (a, b) for i in range(24)]
    res = check_urls(urls, opts(per_host_concurrency=3, concurrency=64))
    assert all(r.status == "ok" for r in res.values())
    assert a.max_in_flight == 3 and b.max_in_flight == 3
    assert servers.max_in_flight == 6


def test_global_limit(servers: LoopbackServers) -> None:
    hosts = [servers.add(lambda req: Reply(200, delay=0.05), f"127.0.0.{n}") for n in (8, 9, 10)]
    urls = [s.url(f"/{i}") for s in hosts for i in range(10)]
    res = check_urls(urls, opts(per_host_concurrency=8, concurrency=4))
    assert all(r.status == "ok" for r in res.values())
    assert servers.max_in_flight == 4


def test_dedupe_and_fragments(servers: LoopbackServers) -> None:
    srv = servers.add(site)
    u = srv.url("/page")
    res = check_urls([u, u, u + "#intro", u + "#end"], FAST)
    assert set(res) == {u, u + "#intro", u + "#end"}
    assert res[u + "#intro"].url == u + "#intro" and res[u + "#intro"].status == "ok"
    assert srv.count() == 1 and srv.requests[0].path == "/page"


def test_exclude_and_non_http(servers: LoopbackServers) -> None:
    srv = servers.add(site)
    skip = srv.url("/private/draft")
    res = check_urls([skip, "mailto:a@example.org", srv.url("/ok")], opts(exclude=(r"/private/",)))
    assert res[skip].status == "excluded" and res["mailto:a@example.org"].status == "excluded"
    assert srv.count("/private/draft") == 0 and res[srv.url("/ok")].status == "ok"


def test_malformed_urls_are_broken_not_fatal() -> None:
    urls = ["http://[bad/", "http://exa mple.com/", "https://", "http://e.com:99999/", "http://"]
    res = check_urls(urls, FAST)  # none of these reaches the network
    assert all(r.status == "broken" and r.reason.startswith("invalid URL") for r in res.values())


def test_user_agent_and_per_host_headers(servers: LoopbackServers) -> None:
    a = servers.add(site, "127.0.0.15")
    b = servers.add(site, "127.0.0.16")
    check_urls([a.url("/ok"), b.url("/ok")], opts(headers={"127.0.0.15": {"X-Token": "s3"}}))
    assert a.requests[0].headers.get("x-token") == "s3"
    assert "x-token" not in b.requests[0].headers
    assert b.requests[0].headers["user-agent"].startswith("Mozilla/5.0")


def test_accept_statuses(servers: LoopbackServers) -> None:
    srv = servers.add(site)
    u = srv.url("/forbidden")
    assert check_urls([u], FAST)[u].status == "broken"
    assert check_urls([u], opts(accept=(403,)))[u].status == "ok"


def test_unverifiable_hosts(servers: LoopbackServers) -> None:
    def handler(req: Request) -> Reply:
        return {"/999": Reply(999), "/429": Reply(429), "/404": Reply(404)}.get(
            req.path, Reply(403)
        )

    srv = servers.add(handler, "127.0.0.5")  # listed in FAST.unverifiable_hosts
    urls = [srv.url(p) for p in ("/999", "/429", "/403", "/404")]
    res = check_urls(urls, FAST)
    for p in ("/999", "/429", "/403"):
        r = res[srv.url(p)]
        assert r.status == "unverifiable" and "browser" in r.reason, r
        assert r.attempts == 1  # no pointless retries against a site that blocks robots
    assert res[srv.url("/404")].status == "broken"


def test_unverifiable_hosts_include_subdomains() -> None:
    checker = linkcheck._Checker(opts(unverifiable_hosts=("x.com", "linkedin.com")), None)
    assert checker._is_unverifiable_host("https://x.com/user")
    assert checker._is_unverifiable_host("https://www.linkedin.com/in/someone")
    assert not checker._is_unverifiable_host("https://notx.com/")
    assert "x.com" in LinkCheckOptions().unverifiable_hosts


def test_private_addresses_by_default(servers: LoopbackServers) -> None:
    srv = servers.add(site)
    default = LinkCheckOptions(trust_env=False)
    assert not default.check_private_addresses
    urls = [srv.url("/ok"), "http://[::1]:9/", "http://10.1.2.3/", "http://169.254.169.254/"]
    res = check_urls(urls, default)
    assert all(r.status == "private" for r in res.values()), res
    assert srv.count() == 0


def test_names_resolving_to_private_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_resolve(host: str) -> list[str]:  # no real DNS in tests
        return {"intranet.test": ["10.0.0.7"]}[host]

    monkeypatch.setattr(linkcheck, "resolve", fake_resolve)
    url = "http://intranet.test/"
    res = check_urls([url], LinkCheckOptions(trust_env=False))[url]
    assert res.status == "private"
    assert (
        res.reason == "intranet.test resolves to a private or local address (10.0.0.7), not checked"
    )


def test_redirect_to_private_address_is_not_followed(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = servers.add(site, "127.0.0.13")
    outer = servers.add(lambda req: Reply(302, {"Location": inner.url("/ok")}), "127.0.0.14")
    # Pretend 127.0.0.14 is a public site and 127.0.0.13 an intranet host.
    monkeypatch.setattr(linkcheck, "is_private_address", lambda a: a == "127.0.0.13")
    res = check_urls([outer.url("/")], LinkCheckOptions(trust_env=False))[outer.url("/")]
    assert res.status == "private" and "127.0.0.13" in res.reason
    assert outer.count() == 1 and inner.count() == 0


def test_is_private_address() -> None:
    for a in (
        "127.0.0.1",
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "fd00::1",
    ):
        assert is_private_address(a), a
    for a in ("93.184.215.14", "2606:4700::1", "example.org"):
        assert not is_private_address(a), a


def test_progress_and_stats(servers: LoopbackServers) -> None:
    srv = servers.add(site, "127.0.0.12")
    calls: list[tuple[int, int, int]] = []
    urls = [srv.url("/ok"), srv.url("/missing"), srv.url("/page"), srv.url("/ok#x")]
    report = check_urls_with_stats(urls, FAST, progress=lambda *a: calls.append(a))
    assert [c[:2] for c in calls] == [(1, 3), (2, 3), (3, 3)]  # dedupe: 3 distinct URLs
    assert calls[-1] == (3, 3, 1) and [c[2] for c in calls] == sorted(c[2] for c in calls)
    stats = report.hosts[f"127.0.0.12:{srv.port}"]
    assert stats.urls == 3 and stats.requests == 4 and stats.slowest_url in urls
    assert stats.total_time >= stats.slowest_time > 0
    assert report.requests == 4 and isinstance(report.results[urls[0]], LinkResult)


def test_async_api_inside_a_loop(servers: LoopbackServers) -> None:
    srv = servers.add(site)

    async def main() -> dict[str, LinkResult]:
        return await linkcheck.acheck_urls([srv.url("/ok")], FAST)

    assert asyncio.run(main())[srv.url("/ok")].status == "ok"


def test_no_warnings_on_clean_run(servers: LoopbackServers, tmp_path: Path) -> None:
    srv = servers.add(site)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_urls([srv.url("/ok")], opts(cache_dir=tmp_path))
        check_urls([srv.url("/ok")], opts(cache_dir=tmp_path))


# --- addresses: each host resolved once, connected to what was vetted -----------------------


def _fake_getaddrinfo(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> None:
    """The system resolver, with scripted answers for some names: one list per lookup, the
    last one repeated (what a DNS server rebinding a name to another address does)."""
    real = socket.getaddrinfo
    calls: dict[str, int] = {}

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return real(host, port, *args, **kwargs)
        n = calls[name] = calls.get(name, 0) + 1
        addresses = answers[name][min(n, len(answers[name])) - 1]
        number = int(port or 0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, number)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_dns_rebinding_connects_to_the_vetted_address(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = servers.add(site, "127.0.0.21")
    inner = servers.add(site, "127.0.0.22", port=public.port)  # same port, "intranet" address
    # 127.0.0.21 plays a public site; 127.0.0.22 an intranet host the guard must keep out.
    monkeypatch.setattr(linkcheck, "is_private_address", lambda a: a == "127.0.0.22")
    _fake_getaddrinfo(monkeypatch, {"rebind.test": [["127.0.0.21"], ["127.0.0.22"]]})
    urls = [f"http://rebind.test:{public.port}/ok", f"http://rebind.test:{public.port}/page"]
    res = check_urls(urls, LinkCheckOptions(trust_env=False, retries=0, timeout=2))
    assert [r.status for r in res.values()] == ["ok", "ok"], res
    assert inner.count() == 0 and public.count() == 2
    assert {r.headers["host"] for r in public.requests} == {f"rebind.test:{public.port}"}


def test_a_name_with_one_private_answer_among_others_is_refused(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = servers.add(site, "127.0.0.21")
    inner = servers.add(site, "127.0.0.22", port=public.port)
    monkeypatch.setattr(linkcheck, "is_private_address", lambda a: a == "127.0.0.22")
    _fake_getaddrinfo(monkeypatch, {"two.test": [["127.0.0.21", "127.0.0.22"]]})
    url = f"http://two.test:{public.port}/ok"
    res = check_urls([url], LinkCheckOptions(trust_env=False, retries=0, timeout=2))[url]
    assert res.status == "private"
    assert res.reason == "two.test resolves to a private or local address (127.0.0.22), not checked"
    assert public.count() == 0 and inner.count() == 0


def test_https_to_a_pinned_address_names_the_host(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("pinned.test").configure_cert(tls)
    srv = servers.add(site, "127.0.0.23", tls=tls)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # read when the checker trusts env
    monkeypatch.setenv("NO_PROXY", "*")

    async def fake_resolve(host: str) -> list[str]:
        return {"pinned.test": ["127.0.0.23"]}[host]

    monkeypatch.setattr(linkcheck, "resolve", fake_resolve)
    url = f"https://pinned.test:{srv.port}/ok"
    res = check_urls([url], opts(trust_env=True))[url]
    assert res.status == "ok", res  # the certificate was checked against the name, not the IP
    assert srv.server_names and set(srv.server_names) == {"pinned.test"}
    assert srv.requests[0].headers["host"] == f"pinned.test:{srv.port}"
    # an address the certificate does not name is refused, pinned or not
    bare = f"https://127.0.0.23:{srv.port}/ok"
    res = check_urls([bare], opts(trust_env=True))[bare]
    assert res.status == "broken" and res.reason.startswith("TLS error"), res


# --- which addresses are refused ---------------------------------------------------------------


def test_addresses_that_are_not_global_are_refused() -> None:
    refused = (
        "100.64.0.1",  # carrier-grade NAT
        "100.100.100.200",  # a cloud metadata address inside it
        "192.0.2.10",  # documentation
        "198.18.0.1",  # benchmarking
        "224.0.0.1",  # multicast
        "255.255.255.255",
        "ff02::1",
        "fec0::1",  # site-local
        "::",
        "2002:a00:1::",  # 6to4 wrapping 10.0.0.1
        "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
        "2002:6440:1::",  # 6to4 wrapping 100.64.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::6464:64c8",  # NAT64 of 100.100.100.200
        "::ffff:100.64.0.1",
    )
    for address in refused:
        assert is_private_address(address), address
    for address in (
        "93.184.215.14",
        "2606:4700::1",
        "2002:5db8:d70e::",  # 6to4 of 93.184.215.14
        "64:ff9b::5db8:d70e",  # NAT64 of 93.184.215.14
        "::ffff:93.184.215.14",
    ):
        assert not is_private_address(address), address


def test_names_resolving_to_ranges_that_are_not_global(monkeypatch: pytest.MonkeyPatch) -> None:
    names = {
        "metadata.test": ["100.100.100.200"],
        "sixtofour.test": ["2002:a00:1::"],
        "nat64.test": ["64:ff9b::a9fe:a9fe"],
        "mixed.test": ["93.184.215.14", "100.64.0.9"],
    }

    async def fake_resolve(host: str) -> list[str]:  # the seam: nothing leaves the machine
        return names[host]

    monkeypatch.setattr(linkcheck, "resolve", fake_resolve)
    urls = [f"http://{name}/" for name in names]
    res = check_urls(urls, LinkCheckOptions(trust_env=False))
    assert {url: r.status for url, r in res.items()} == dict.fromkeys(urls, "private")
    assert "(100.64.0.9)" in res["http://mixed.test/"].reason
    literals = ["http://100.100.100.200/latest/meta-data/", "http://[2002:a00:1::]/"]
    res = check_urls(literals, LinkCheckOptions(trust_env=False))
    assert [r.status for r in res.values()] == ["private", "private"]


# --- the cache knows the options a verdict depends on ----------------------------------------


def test_cache_is_keyed_by_the_options_that_change_a_verdict(
    servers: LoopbackServers, tmp_path: Path
) -> None:
    def handler(req: Request) -> Reply:
        return Reply(200) if req.headers.get("x-token") == "right" else Reply(403)

    srv = servers.add(handler, "127.0.0.24")
    url = srv.url("/members")
    cached = opts(cache_dir=tmp_path, retries=0)

    def status(**changes: Any) -> tuple[str, bool]:
        result = check_urls([url], dataclasses.replace(cached, **changes))[url]
        return result.status, result.from_cache

    assert status(accept=(403,)) == ("ok", False)
    assert status(accept=(403,)) == ("ok", True)
    assert status() == ("broken", False)  # no longer accepting 403: asked again
    token = {"127.0.0.24": {"X-Token": "right"}}
    assert status(headers=token) == ("ok", False)
    assert status(headers=token) == ("ok", True)
    assert status(headers={"127.0.0.24": {"X-Token": "wrong"}}) == ("broken", False)
    assert status(headers=token, user_agent="postlint-test") == ("ok", False)
    assert "right" not in (tmp_path / "linkcheck.json").read_text("utf-8")  # digests only


def test_cache_that_cannot_be_written_is_a_note(servers: LoopbackServers, tmp_path: Path) -> None:
    srv = servers.add(site)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", "utf-8")
    report = check_urls_with_stats([srv.url("/ok")], opts(cache_dir=blocked / "cache"))
    assert report.results[srv.url("/ok")].status == "ok"
    assert len(report.notes) == 1 and report.notes[0].startswith(
        f"could not write the link cache {blocked / 'cache' / 'linkcheck.json'}"
    )


# --- a machine without network ------------------------------------------------------------------


def test_no_host_reachable_is_a_note_not_broken_links(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_network(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(linkcheck, "resolve", no_network)
    urls = ["https://docs.test/guide", "https://blog.test/a#x", "https://blog.test/b", "ftp://x/"]
    report = check_urls_with_stats(urls, opts(check_private_addresses=False))
    statuses = {url: r.status for url, r in report.results.items()}
    assert statuses == {**dict.fromkeys(urls[:3], "offline"), "ftp://x/": "excluded"}
    assert report.results[urls[0]].reason == (
        "not checked: no host could be reached (DNS lookup failed)"
    )
    assert report.notes == [
        "3 external links not checked: no host could be reached (DNS lookup failed) on 2 "
        "hosts; is this machine offline?"
    ]


def test_one_unknown_host_among_answering_ones_is_broken(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = servers.add(site, "127.0.0.25")
    b = servers.add(site, "127.0.0.26")

    async def fake_resolve(host: str) -> list[str]:
        if host == "gone.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return {"a.test": ["127.0.0.25"], "b.test": ["127.0.0.26"]}[host]

    monkeypatch.setattr(linkcheck, "resolve", fake_resolve)
    urls = [f"http://a.test:{a.port}/ok", f"http://b.test:{b.port}/missing", "http://gone.test/"]
    report = check_urls_with_stats(urls, FAST)
    got = {url: (r.status, r.reason) for url, r in report.results.items()}
    assert got == {
        urls[0]: ("ok", "200 OK"),
        urls[1]: ("broken", "404 Not Found after HEAD and GET"),
        urls[2]: ("broken", "DNS lookup failed"),
    }
    assert report.notes == []
    assert a.requests[0].headers["host"] == f"a.test:{a.port}"


def test_a_dead_domain_beside_cached_links_is_broken_not_offline(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The other links come from the cache, so the dead domain is the run's only request: a
    host the cache knows still resolving says the network is up, and the link is broken."""
    srv = servers.add(site, "127.0.0.27")
    network = {"up": True}

    async def fake_resolve(host: str) -> list[str]:
        if host == "good.test" and network["up"]:
            return ["127.0.0.27"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(linkcheck, "resolve", fake_resolve)
    cached = opts(cache_dir=tmp_path)
    good, dead = f"http://good.test:{srv.port}/ok", "https://expired-domain.test/post"
    assert check_urls_with_stats([good], cached).results[good].status == "ok"
    report = check_urls_with_stats([good, dead], cached)
    assert report.results[good].from_cache
    assert (report.results[dead].status, report.results[dead].reason) == (
        "broken",
        "DNS lookup failed",
    )
    assert report.notes == []
    network["up"] = False  # the same run on a machine without network: no verdict
    report = check_urls_with_stats([good, dead], cached)
    assert report.results[dead].status == "offline"
    assert report.notes == [
        "1 external link not checked: no host could be reached (DNS lookup failed) on 1 "
        "host; is this machine offline?"
    ]


def test_a_refused_connection_is_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{free_port()}/"  # something answered: the link is broken
    report = check_urls_with_stats([url], opts(retries=0))
    assert report.results[url].status == "broken" and report.notes == []


def test_proxy_from_the_environment(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forward(req: Request) -> Reply:  # a forward proxy answers for the URL it was given
        return Reply(200) if req.path.startswith("http://far.test/") else Reply(502)

    proxy = servers.add(forward, "127.0.0.27")
    near = servers.add(site, "127.0.0.28")
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://who:secret@127.0.0.27:{proxy.port}")
    monkeypatch.setenv("no_proxy", "near.test")

    async def fake_resolve(host: str) -> list[str]:
        # far.test points at a port nothing listens on: only the proxy can answer for it
        return {"far.test": ["127.0.0.29"], "near.test": ["127.0.0.28"]}[host]

    monkeypatch.setattr(linkcheck, "resolve", fake_resolve)
    urls = ["http://far.test/page", f"http://near.test:{near.port}/ok"]
    res = check_urls(urls, opts(trust_env=True, retries=0))
    assert [r.status for r in res.values()] == ["ok", "ok"], res
    assert [r.path for r in proxy.requests] == ["http://far.test/page"]
    assert proxy.requests[0].headers["proxy-authorization"] == "Basic d2hvOnNlY3JldA=="
    assert near.count("/ok") == 1


def test_what_https_trusts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundle = tmp_path / "roots.pem"
    pytest.importorskip("trustme").CA().cert_pem.write_to_path(str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    named = linkcheck._tls_context(verify=True, trust_env=True)
    assert named.cert_store_stats()["x509_ca"] == 1
    assert named.verify_mode == ssl.CERT_REQUIRED and named.check_hostname
    monkeypatch.delenv("SSL_CERT_FILE")
    unchecked = linkcheck._tls_context(verify=False, trust_env=True)
    assert unchecked.verify_mode == ssl.CERT_NONE and not unchecked.check_hostname
    system = ssl.DefaultVerifyPaths(str(bundle), None, "", "", "", "")
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: system)
    assert linkcheck._tls_context(verify=True, trust_env=True).cert_store_stats()["x509_ca"] == 1
    nothing = ssl.DefaultVerifyPaths(None, None, "", "", "", "")  # type: ignore[arg-type]
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: nothing)
    fallback = linkcheck._tls_context(verify=True, trust_env=True)  # certifi's
    assert fallback.cert_store_stats()["x509_ca"] > 100


def test_netrc_credentials_are_never_sent(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    srv = servers.add(site, "127.0.0.30")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.30 login who password secret\n", "utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("NO_PROXY", "*")
    res = check_urls([srv.url("/ok")], opts(trust_env=True))
    assert res[srv.url("/ok")].status == "ok"
    assert [r.headers.get("authorization") for r in srv.requests] == [None]


def test_pools_idle_past_the_keepalive_are_closed(
    servers: LoopbackServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linkcheck, "_KEEPALIVE", 0.2)
    open_then: list[int] = []

    async def last(req: Request) -> Reply:
        await asyncio.sleep(0.1)  # the server sees the closed sockets first
        open_then.append(len(servers._conns))
        return Reply(200)

    c = servers.add(last, "127.0.0.33")
    b = servers.add(lambda req: Reply(302, {"Location": c.url("/")}, delay=0.6), "127.0.0.32")
    a = servers.add(site, "127.0.0.31")
    report = check_urls_with_stats([a.url("/ok"), b.url("/hop")], opts(timeout=2))
    assert [r.status for r in report.results.values()] == ["ok", "ok"], report.results
    # a's connection (idle for 0.6 s) and b's were closed when c's pool opened
    assert open_then == [1]


def test_connections_are_kept_alive_and_reused(servers: LoopbackServers) -> None:
    srv = servers.add(lambda req: Reply(200), "127.0.0.36")
    closing = servers.add(lambda req: Reply(200, {"Connection": "close"}), "127.0.0.37")
    urls = [srv.url(f"/{i}") for i in range(30)] + [closing.url(f"/{i}") for i in range(6)]
    res = check_urls(urls, opts(per_host_concurrency=3))
    assert {r.status for r in res.values()} == {"ok"}
    assert srv.count() == 30 and 1 <= srv.connections <= 3
    assert closing.count() == 6 and closing.connections == 6  # "Connection: close" honoured
