# ruff: noqa: E501  (expected messages are kept on one line each, as the report prints them)
"""One reader, one site index: special files never hang a run, every post is opened once,
nothing outside the site is read or written, and links and images resolve as the browser
follows them from the published page."""

from __future__ import annotations

import json
import os
import socket
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from postlint import api
from postlint.config import Config
from tests.conftest import run_cli, write_site

POST = '+++\ntitle = "{0}"\n+++\n'

SOURCE = """+++
title = "A"
+++
## Start

[own](https://example.org/posts/b/) [anchor](https://example.org/posts/b/#part)
[gone](/posts/b/#nope) [fifo](/posts/f/) [rel](../b/#part) [here](#start) [miss](#stat)
"""


def special_site(root: Path) -> Path:
    """A Zola site whose content folder holds a FIFO, a socket and a dangling link named
    like posts, beside posts that link each other (and the site's own base_url)."""
    write_site(
        root,
        {
            "content/posts/a.md": SOURCE,
            "content/posts/b.md": POST.format("B") + "## Part\n\nText.\n",
            "content/posts/d.md": None,  # a symbolic link to a file that does not exist
        },
    )
    os.mkfifo(root / "content/posts/f.md")
    return root


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    root = special_site(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / "content/posts/s.md"))
        yield root


EXPECTED_A = [
    (
        "link-self-absolute",
        6,
        7,
        "This link spells out the site's own address; write the site-relative `/posts/b/` so it works in previews and after a move.",
    ),
    (
        "link-self-absolute",
        6,
        46,
        "This link spells out the site's own address; write the site-relative `/posts/b/#part` so it works in previews and after a move.",
    ),
    (
        "link-anchor-broken",
        7,
        8,
        "`#nope` matches no heading or id on `/posts/b/`; link to an existing heading or add an id.",
    ),
    (
        "link-internal-broken",
        7,
        31,
        "`/posts/f/` is not a page of this site; did you mean `/posts/b/`?",
    ),
    (
        "link-vague-text",
        7,
        60,
        "The link text “here” does not say where the link leads; use words that describe the target.",
    ),
    (
        "link-anchor-broken",
        7,
        82,
        "`#stat` matches no heading or id on this page; did you mean `#start`?",
    ),
]


def test_special_files_never_hang_a_run(unix_socket: Path) -> None:
    root = unix_socket
    result = run_cli(
        "check",
        "content",
        "--no-cache",
        "--format",
        "json",
        "--select",
        "LNK,IMG",
        cwd=root,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["path"], d["rule"], d["line"], d["column"], d["message"]) for d in found] == [
        ("content/posts/a.md", *expected) for expected in EXPECTED_A
    ]
    assert result.stderr.splitlines() == [
        "postlint: note: skipped content/posts/f.md: not a regular file",
        "postlint: note: skipped content/posts/s.md: not a regular file",
    ]


def test_special_files_when_one_post_is_checked(unix_socket: Path) -> None:
    result = run_cli(
        "check",
        "content/posts/a.md",
        "--no-cache",
        "--format",
        "json",
        "--extend-select",
        "link-self-absolute",  # off by default; the links to the site's own address stay
        cwd=unix_socket,
        timeout=60,
    )
    found = json.loads(result.stdout)["diagnostics"]
    assert [
        (d["rule"], d["line"], d["column"], d["message"])
        for d in found
        if d["rule"].startswith("link-")
    ] == EXPECTED_A
    assert result.stderr == ""  # notes are about the files checked


def test_stats_and_init_skip_special_files(unix_socket: Path) -> None:
    stats = run_cli("stats", "--format", "json", cwd=unix_socket, timeout=60)
    assert stats.returncode == 0, stats.stderr
    assert sorted(p["path"] for p in json.loads(stats.stdout)["posts"]) == [
        "content/posts/a.md",
        "content/posts/b.md",
    ]
    assert "postlint: note: skipped content/posts/f.md: not a regular file" in stats.stderr
    init = run_cli("init", "--stdout", cwd=unix_socket, timeout=60)
    assert init.returncode == 0, init.stderr
    assert init.stdout.startswith(  # the FIFO and the socket are not Markdown files
        "# postlint configuration for s, written by `postlint init` from 2 posts "
        "(of 3 Markdown files: 1 not readable as text)"
    )
    assert "postlint: note: skipped content/posts/f.md: not a regular file" in init.stderr


def test_image_unused_skips_special_files_in_templates_and_static(tmp_path: Path) -> None:
    """image-unused reads templates for image names and lists static files: a FIFO in either
    is neither read nor listed (issue 15)."""
    files: dict[str, str | bytes | None] = {
        "content/a.md": POST.format("A") + "Text.\n",
        "static/img/spare.png": b"\x89PNG\r\n\x1a\n",
        "static/img/logo.png": b"\x89PNG\r\n\x1a\n",
        "templates/base.html": '<img src="/img/logo.png">\n',
    }
    root = write_site(tmp_path / "site", files)
    os.mkfifo(root / "templates/page.html")
    os.mkfifo(root / "static/img/pipe.png")
    result = run_cli(
        "check", "content", "--no-cache", "--select", "image-unused", cwd=root, timeout=60
    )
    assert result.stdout.splitlines()[0] == (
        "static/img/spare.png:1:1: IMG005 No page uses the image `static/img/spare.png`; delete it "
        "or link it from a post. [image-unused]"
    )
    assert "pipe.png" not in result.stdout and "logo.png" not in result.stdout


class Opens:
    """Counts the files opened under one folder, through Python's audit hook for ``open``
    (raised by ``open()``, ``io.open`` and ``os.open`` alike)."""

    folder: ClassVar[str | None] = None
    counts: ClassVar[Counter[str]] = Counter()

    @classmethod
    def hook(cls, event: str, args: tuple[object, ...]) -> None:
        if event == "open" and cls.folder and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path.startswith(cls.folder):
                cls.counts[os.path.relpath(path, cls.folder)] += 1


sys.addaudithook(Opens.hook)


def test_each_post_is_opened_once_in_a_whole_site_run(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        f"content/posts/p{i}.md": POST.format(f"P{i}")
        + f"## Part {i}\n\n[next](@/posts/p{(i + 1) % 20}.md#part-{(i + 1) % 20}) "
        f"[prev](/posts/p{(i - 1) % 20}/) ![Chart](chart.png)\n"
        for i in range(20)
    }
    files["content/_index.md"] = POST.format("Home")
    files["content/trip/index.md"] = POST.format("Trip") + "![Boat](boat.png)\n"
    files["content/trip/boat.png"] = b"\x89PNG\r\n\x1a\n"
    files["content/drafts/wip.md"] = POST.format("WIP") + "## Later\n"
    files["static/logo.png"] = b"\x89PNG\r\n\x1a\n"
    root = write_site(tmp_path / "site", files, 'exclude = ["content/drafts/*"]\n')
    config = api.load(root)[0].with_overrides(select=("ALL",))
    Opens.counts.clear()
    Opens.folder = str(root / "content") + os.sep
    try:
        result = api.run_paths([root / "content"], config, jobs=1)
        cached = tmp_path / "cache"
        api.run_paths([root / "content"], config, jobs=1, cache_dir=cached)
        first = dict(Opens.counts)
        Opens.counts.clear()
        again = api.run_paths([root / "content"], config, jobs=1, cache_dir=cached)
    finally:
        Opens.folder = None
    markdown = {name for name in files if name.endswith(".md")}
    assert {f"content/{name}": n for name, n in first.items()} == {name: 2 for name in markdown}
    assert {f"content/{name}": n for name, n in Opens.counts.items()} == {
        name: 1 for name in markdown
    }
    assert again.cached == len(markdown) and again.diagnostics == result.diagnostics
    assert not any(d.path == "content/drafts/wip.md" for d in result.diagnostics)


PAGE_RELATIVE = {
    # Two bundles that move themselves with `path`: the image of one, shown by the other with
    # a URL relative to the page, loads in the browser (issue 13).
    "content/notes/cycle-79/index.md": '+++\ntitle = "79"\npath = "notes/2024/05/07/cycle-79"\n+++\n![Fig](figure.svg)\n',
    "content/notes/cycle-79/figure.svg": "<svg/>",
    "content/notes/cycle-82/index.md": (
        '+++\ntitle = "82"\npath = "notes/2024/10/01/cycle-82"\n+++\n'
        "![Fig](../../../../2024/05/07/cycle-79/figure.svg) "
        "[the figure](../../../../2024/05/07/cycle-79/figure.svg) "
        "[the post](../../../05/07/cycle-79/)\n\n"
        "![Climbs](../../../../../../etc/passwd.png) [climbs](../../../../../../../x/)\n\n"
        "![Beside](../cycle-79/figure.svg)\n"
    ),
    "content/posts/plain.md": '+++\ntitle = "P"\n+++\n![Wrong](../../static/img/a.png) ![Right](/img/a.png)\n',
    "static/img/a.png": b"\x89PNG\r\n\x1a\n",
}


def test_images_and_links_resolve_against_the_page_url(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", PAGE_RELATIVE)
    config = Config(select=("image-missing", "link-internal-broken"))
    found = api.run_paths([root / "content"], config, jobs=1).diagnostics
    assert [
        (d.path.rsplit("content/", 1)[1], d.line, d.column, d.rule, d.message) for d in found
    ] == [
        (
            "notes/cycle-82/index.md",
            7,
            11,
            "image-missing",
            "The image `../../../../../../etc/passwd.png` points outside the site: it climbs above the site's root; fix the path.",
        ),
        (
            "notes/cycle-82/index.md",
            7,
            54,
            "link-internal-broken",
            "`../../../../../../../x/` points outside the site: from `/notes/2024/10/01/cycle-82/` it climbs above the site's root.",
        ),
        (
            "notes/cycle-82/index.md",
            9,
            11,
            "image-missing",
            "The image `../cycle-79/figure.svg` names `content/notes/cycle-79/figure.svg`, but the page is published at `/notes/2024/10/01/cycle-82/`, where the browser asks for `/notes/2024/10/01/cycle-79/figure.svg`, which does not exist; write `/notes/cycle-79/figure.svg`.",
        ),
        (
            "posts/plain.md",
            4,
            10,
            "image-missing",
            "The image `../../static/img/a.png` names `static/img/a.png`, but the page is published at `/posts/plain/`, where the browser asks for `/static/img/a.png`, which does not exist; write `/img/a.png`.",
        ),
    ]
    assert not any(str(tmp_path) in d.message for d in found)


def test_a_post_linked_from_outside_the_site_is_never_read_nor_written(tmp_path: Path) -> None:
    outside = tmp_path / "home" / "dotfile.md"
    outside.parent.mkdir()
    secret = (
        POST.format("Secret") + "Read [it](https://acme.dev/x?utm_source=mail) sekrit words.  \n"
    )
    outside.write_text(secret)
    root = write_site(tmp_path / "site", {"content/a.md": POST.format("A") + "Fine.\n"})
    (root / "content/evil.md").symlink_to(outside)
    (root / "content/inside.md").symlink_to(root / "content/a.md")
    fixed = run_cli("check", "content", "--no-cache", "--fix", "--format", "json", cwd=root)
    assert outside.read_text() == secret
    assert "sekrit" not in fixed.stdout and "evil.md" not in fixed.stdout
    assert fixed.stderr.splitlines() == [
        "postlint: note: skipped content/evil.md: it is a link to a file outside the site, which postlint never reads or changes",
        "Applied 0 fixes.",
    ]
    assert fixed.returncode == 0, fixed.stdout


def test_excluded_pages_are_still_pages(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "content/a.md": POST.format("A") + "[w](/drafts/wip/#later) [n](/drafts/wip/#nope)\n",
        "content/drafts/wip.md": POST.format("WIP") + "## Later\n\n[x](/nowhere/)\n",
    }
    root = write_site(tmp_path / "site", files, 'exclude = ["content/drafts/*"]\n')
    config = api.load(root)[0].with_overrides(select=("LNK001", "LNK002"))
    found = api.run_paths([root / "content"], config, jobs=1).diagnostics
    assert [(d.path.rsplit("/", 1)[1], d.column, d.message) for d in found] == [
        (
            "a.md",
            29,
            "`#nope` matches no heading or id on `/drafts/wip/`; link to an existing heading or add an id.",
        )
    ]


def test_a_plain_folder_reads_a_linked_post_on_demand(tmp_path: Path) -> None:
    files = {
        "a.md": "# A\n\n[b](b.md#part) [c](b.md#nope) [p](pipe.md)\n",
        "b.md": "# B\n\n## Part\n",
    }
    root = write_site(tmp_path / "plain", files, site_config=None)
    os.mkfifo(root / "pipe.md")
    config = Config(select=("LNK001", "LNK002"))
    found = api.run_paths([root / "a.md"], config, jobs=1).diagnostics
    assert [(d.column, d.message) for d in found] == [
        (
            20,
            "`#nope` matches no heading or id on `/b/`; link to an existing heading or add an id.",
        ),
        (35, "`pipe.md` points at `pipe.md`, which does not exist."),
    ]


def test_the_link_checkers_notes_go_through_the_notes_channel(tmp_path: Path) -> None:
    """The run owns the link checker; what it has to say (a damaged link cache) is a note on
    stderr, printed by the command line, never a warning or a write from a rule."""
    files: dict[str, str | bytes | None] = {
        "content/a.md": POST.format("A") + "See [x](http://127.0.0.1:9/x).\n",
        ".postlint-cache/linkcheck.json": "not json{",
    }
    root = write_site(tmp_path / "site", files)
    result = run_cli(
        "check", "content", "--no-cache", "--external", "--select", "LNK010", cwd=root, timeout=60
    )
    assert result.returncode == 0, result.stdout
    assert result.stderr.startswith("postlint: note: the link cache ")
    assert result.stderr.endswith("linkcheck.json was damaged; rebuilding it\n")
    assert result.stderr.count("\n") == 1
