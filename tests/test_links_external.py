# ruff: noqa: E501  (expected messages are kept on one line each, as the report prints them)
"""External links end to end: `postlint check --external --format json` against real loopback
servers on 127.0.0.x (never any other address), with the link cache on disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, write_site
from tests.httpservers import LoopbackServer, LoopbackServers, Reply, Request

NO_PROXY = {"NO_PROXY": "*", "no_proxy": "*"}


def site_handler(req: Request) -> Reply:
    if req.path == "/old":
        return Reply(301, {"Location": "/new"})
    if req.path in ("/ok", "/new"):
        return Reply(200)
    return Reply(404)


@pytest.fixture
def servers() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    with LoopbackServers() as group:
        docs = group.add(site_handler, host="127.0.0.2")
        walled = group.add(lambda req: Reply(403), host="127.0.0.3")
        yield docs, walled


def make_site(root: Path, docs: LoopbackServer, walled: LoopbackServer, config: str) -> Path:
    post = (
        '+++\ntitle = "Reading list"\n+++\n'
        f"Start with [the guide]({docs.url('/ok')}), then [the notes]({docs.url('/gone#part')}).\n"
        f"The [old page]({docs.url('/old#part')}) moved; the [forum]({walled.url('/t/1')}) is walled.\n"
        f'See <a href="{docs.url("/gone")}">the notes again</a> and [them][notes].\n\n'
        f"[notes]: {docs.url('/gone')}\n"
    )
    other = '+++\ntitle = "Other"\n+++\nAgain [the guide](' + docs.url("/ok") + ").\n"
    return write_site(root, {"content/post.md": post, "content/other.md": other}, config)


CONFIG = (
    '[links]\ncheck-private-addresses = true\nunverifiable-hosts = ["127.0.0.3"]\n'
    "retries = 0\ntimeout = 5\n"
)


def check(root: Path, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    result = run_cli(
        "check",
        "content",
        "--no-cache",
        "--format",
        "json",
        "--select",
        "LNK010,LNK011,LNK012",
        *extra,
        cwd=root,
        env=NO_PROXY,
    )
    return result.returncode, json.loads(result.stdout)["diagnostics"], result.stderr


def test_broken_redirected_unverifiable_and_the_cache(tmp_path: Path, servers: Any) -> None:
    docs, walled = servers
    root = make_site(tmp_path / "site", docs, walled, CONFIG)
    code, found, stderr = check(root, "--external")
    assert code == 1, stderr
    assert stderr == ""  # no progress bar when stderr is not a terminal
    rows = [
        (d["path"], d["line"], d["column"], d["rule"], d["severity"], d["message"]) for d in found
    ]
    gone = docs.url("/gone")
    lines = (root / "content/post.md").read_text().split("\n")

    def col(line: int, needle: str) -> int:
        return lines[line - 1].index(needle) + 1

    broken = (
        "This link is broken (404 Not Found after HEAD and GET); fix the address, link an "
        "archived copy or remove it."
    )
    assert rows == [
        ("content/post.md", 4, col(4, gone + "#part"), "link-broken", "error", broken),
        (
            "content/post.md",
            5,
            col(5, docs.url("/old")),
            "link-redirected",
            "warning",
            f"This link moved permanently to `{docs.url('/new#part')}`; link the new address.",
        ),
        (
            "content/post.md",
            5,
            col(5, walled.url("/t/1")),
            "link-unverifiable",
            "info",
            "This link could not be checked: 127.0.0.3 answered 403 Forbidden; it blocks automated checks, open the link in a browser to verify.",
        ),
        ("content/post.md", 6, col(6, gone), "link-broken", "error", broken),
        ("content/post.md", 6, col(6, "[them][notes]"), "link-broken", "error", broken),
    ]
    assert found[-1]["end_column"] == col(6, "[them][notes]") + len("[them][notes]")
    redirect = found[1]
    assert redirect["fix_safe"] is False
    assert redirect["fix"] == [
        {
            "line": 5,
            "column": rows[1][2],
            "end_line": 5,
            "end_column": rows[1][2] + len(docs.url("/old#part")),
            "replacement": docs.url("/new") + "#part",
        }
    ]
    # every distinct URL was asked once, whatever the number of uses
    assert docs.count("/ok", "HEAD") == 1
    assert docs.count("/gone") == 2  # HEAD, then GET for a second opinion
    requests = (len(docs.requests), len(walled.requests))

    # second run: good results come from the cache, only the broken URL is asked again
    code, again, _ = check(root, "--external")
    assert again == found
    assert (root / ".postlint-cache" / "linkcheck.json").is_file()
    assert docs.count("/ok") == 1 and docs.count("/old") == 1 and docs.count("/new") == 1
    assert len(walled.requests) == requests[1]
    assert docs.count("/gone") == 4


def test_cached_links_make_no_request_at_all(tmp_path: Path, servers: Any) -> None:
    docs, _walled = servers
    post = '+++\ntitle = "Good"\n+++\n[a](' + docs.url("/ok") + ") [b](" + docs.url("/old") + ")\n"
    root = write_site(tmp_path / "site", {"content/post.md": post}, CONFIG + "external = true\n")
    _, found, _ = check(root)
    assert [d["rule"] for d in found] == ["link-redirected"]
    before = len(docs.requests)
    assert before == 3  # /ok, /old, /new
    _code, again, _ = check(root)
    assert again == found and len(docs.requests) == before


def test_offline_by_default(tmp_path: Path, servers: Any) -> None:
    docs, walled = servers
    root = make_site(tmp_path / "site", docs, walled, CONFIG)
    code, found, _ = check(root)
    assert (code, found) == (0, [])
    assert docs.requests == [] and walled.requests == []
    assert not (root / ".postlint-cache" / "linkcheck.json").exists()


def test_private_addresses_are_never_asked_unless_allowed(tmp_path: Path, servers: Any) -> None:
    docs, walled = servers
    config = "[links]\nexternal = true\nretries = 0\n"
    root = make_site(tmp_path / "site", docs, walled, config)
    code, found, _ = check(root)
    assert (code, found) == (0, [])
    assert docs.requests == [] and walled.requests == []


def test_accept_and_exclude_options(tmp_path: Path, servers: Any) -> None:
    docs, walled = servers
    config = (
        CONFIG + 'external = true\naccept = [404, "410"]\nexclude = ["/old"]\ncache-dir = "none"\n'
    )
    root = make_site(tmp_path / "site", docs, walled, config)
    _code, found, _ = check(root)
    assert [d["rule"] for d in found] == ["link-unverifiable"]
    assert docs.count("/old") == 0
    assert not (root / ".postlint-cache").exists()


def test_progress_bar_on_a_terminal(tmp_path: Path, servers: Any) -> None:
    import os
    import pty
    import subprocess

    from tests.conftest import postlint_command

    docs, walled = servers
    root = make_site(tmp_path / "site", docs, walled, CONFIG)
    master, slave = pty.openpty()
    try:
        result = subprocess.run(
            [*postlint_command(), "check", "content", "--no-cache", "--external"],
            cwd=root,
            env={**os.environ, **NO_PROXY, "NO_COLOR": "1"},
            stdout=subprocess.PIPE,
            stderr=slave,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        os.close(slave)
        slave = -1
        output = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    assert result.returncode == 1
    shown = output.decode()
    assert "postlint: checking links 4/4, 1 broken" in shown  # 4 distinct URLs, /gone broken
    assert shown.endswith("\r\x1b[K")  # the bar is cleared before the report


def test_verbose_prints_per_host_counts(tmp_path: Path, servers: Any) -> None:
    docs, walled = servers
    root = make_site(tmp_path / "site", docs, walled, CONFIG)
    code, found, stderr = check(root, "--external", "--verbose")
    assert code == 1 and found
    summary, *hosts = stderr.splitlines()
    assert summary.startswith("postlint: checked 5 links on 2 hosts with ")
    names = [server.url("/").split("//")[1].rstrip("/") for server in (docs, walled)]
    assert sorted(line.split()[1].rstrip(":") for line in hosts) == sorted(names)
    assert check(root, "--external")[2] == ""  # silent without --verbose


def test_one_post_named_asks_the_network_about_its_own_links_only(
    tmp_path: Path, servers: Any
) -> None:
    """The pre-commit case: `other.md` links only to `/ok`; the reading list's links are not
    requested when `other.md` alone is checked."""
    docs, walled = servers
    root = make_site(tmp_path / "site", docs, walled, CONFIG)
    result = run_cli(
        "check",
        "content/other.md",
        "--external",
        "--no-cache",
        "--format",
        "json",
        "--select",
        "LNK010,LNK011,LNK012",
        cwd=root,
        env=NO_PROXY,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["diagnostics"] == []
    assert sorted({req.path for req in docs.requests}) == ["/ok"]
    assert walled.requests == []
