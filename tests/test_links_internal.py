"""Internal links and anchors, judged against a whole small site through the real parse."""

from __future__ import annotations

from pathlib import Path

from postlint import api
from postlint.config import Config
from postlint.model import Diagnostic
from tests.conftest import run_cli, write_site

INTERNAL = Config(select=("link-internal-broken", "link-anchor-broken"))

SITE_CONFIG = (
    'base_url = "https://www.example.org"\ntitle = "Field notes"\ntaxonomies = [{name = "tags"}]\n'
)

HELLO = """+++
title = "Hello, world"
[taxonomies]
tags = ["Rust Lang"]
+++
# Getting started

## Café & crème

## FAQ

## FAQ

## Why Rust?

## Setup {#install}

<div id="raw-box">A box.</div>

A claim that needs a source[^note].

[^note]: The source.
"""

LINKS = """+++
title = "Links"
+++
## Local part

[a](@/posts/2024-01-05-hello-world.md) [b](/posts/hello-world/) [c](/posts/my-custom/)
[d](/about-me/) [e](/old-about/) [f](/posts/trip/map.pdf) [g](/files/report.pdf)
[h](/tags/rust-lang/) [i](/page/2/) [j](/atom.xml) [k](/posts/) [l](/) [m](../hello-world/)
[n](https://example.org/posts/my-custom/) [o](http://www.example.org/about-me/)
[p](/posts/hello-world/#cafe-creme) [q](/posts/hello-world/#faq-1) [r](@/posts/custom.md)
[s](#local-part) [t](/posts/hello-world/#install) [u](/posts/hello-world/#raw-box) [v](#top)
[w](/posts/hello-world/#why-rust) [x](/tags/) [y](/posts/hello-world/#note) [z](/style.css)
[zz](/posts/page/3/) [zy](/tags/rust-lang/atom.xml) [zx](https://elsewhere.dev/nothing/)

[A](@/posts/hello.md) [B](/posts/helo-world/) [C](/files/missing.pdf)
[D](https://example.org/nothing/) [E](../nope/) [F](custom.md) [G](/notes/)
[H](/posts/hello-world/#getting-startd) [I](#local) [J](@/about.md#nothing) [K](/tags/python/)
[L](/posts/hello-world/#Getting-Started) [M](missing.md) [N](trip/map.pdf)
[O][gone]

[gone]: /posts/gone/
"""


def zola_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/_index.md": '+++\ntitle = "Home"\n+++\n',
            "content/posts/_index.md": '+++\ntitle = "Posts"\n+++\n',
            "content/posts/2024-01-05-hello-world.md": HELLO,
            "content/posts/custom.md": '+++\ntitle = "C"\nslug = "my-custom"\n+++\nText.\n',
            "content/about.md": (
                '+++\ntitle = "About"\npath = "about-me"\naliases = ["old-about"]\n+++\nMe.\n'
            ),
            "content/posts/trip/index.md": '+++\ntitle = "Trip"\n+++\nWe went.\n',
            "content/posts/trip/map.pdf": b"%PDF-1.4\n",
            "content/notes/foo.md": '+++\ntitle = "Foo"\n+++\nA note.\n',
            "content/posts/links.md": LINKS,
            "static/files/report.pdf": b"%PDF-1.4\n",
            "sass/style.scss": "body { color: black; }\n",
        },
        site_config=SITE_CONFIG,
    )


def lines(found: list[Diagnostic]) -> list[str]:
    return [f"{d.path.rsplit('/', 1)[-1]}:{d.line}:{d.column} {d.rule} {d.message}" for d in found]


EXPECTED = [
    "links.md:15:5 link-internal-broken `@/posts/hello.md` points at `content/posts/hello.md`, "
    "which does not exist.",
    "links.md:15:27 link-internal-broken `/posts/helo-world/` is not a page of this site; "
    "did you mean `/posts/hello-world/`?",
    "links.md:15:51 link-internal-broken `/files/missing.pdf` is not a file in `static/` or "
    "beside a page.",
    "links.md:16:5 link-internal-broken `https://example.org/nothing/` leads to `/nothing/`, "
    "which is not a page of this site.",
    "links.md:16:39 link-internal-broken `../nope/` leads to `/posts/nope/`, which is not a "
    "page of this site.",
    "links.md:16:53 link-internal-broken `custom.md` names a source file, which Zola does not "
    "rewrite, so it leads to a missing page; write `@/posts/custom.md` (published at "
    "`/posts/my-custom/`).",
    "links.md:16:68 link-internal-broken `/notes/` is a content folder without an `_index.md`, "
    "so Zola builds no page there.",
    "links.md:17:5 link-anchor-broken `#getting-startd` matches no heading or id on "
    "`/posts/hello-world/`; did you mean `#getting-started`?",
    "links.md:17:45 link-anchor-broken `#local` matches no heading or id on this page; "
    "did you mean `#local-part`?",
    "links.md:17:57 link-anchor-broken `#nothing` matches no heading or id on `/about-me/`; "
    "`/about-me/` has no headings or ids.",
    "links.md:17:81 link-internal-broken `/tags/python/` is not a page of this site: no page "
    "has the tags term `python`.",
    "links.md:18:5 link-anchor-broken `#Getting-Started` matches no heading or id on "
    "`/posts/hello-world/`; did you mean `#getting-started`?",
    "links.md:18:46 link-internal-broken `missing.md` points at `content/posts/missing.md`, "
    "which does not exist.",
    "links.md:18:62 link-internal-broken `trip/map.pdf` leads to `/posts/links/trip/map.pdf`, "
    "which is not a file in `static/` or beside a page.",
    "links.md:19:1 link-internal-broken `/posts/gone/` is not a page of this site.",
]


def test_every_kind_of_internal_link(tmp_path: Path) -> None:
    root = zola_site(tmp_path / "site")
    found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
    assert lines(found) == EXPECTED
    assert {d.severity for d in found} == {"error"}


def test_checking_one_file_still_knows_every_page(tmp_path: Path) -> None:
    root = zola_site(tmp_path / "site")
    found = api.run_paths([root / "content/posts/links.md"], INTERNAL, jobs=1).diagnostics
    assert lines(found) == EXPECTED


def test_positions_point_at_the_destination(tmp_path: Path) -> None:
    root = zola_site(tmp_path / "site")
    found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
    first = found[0]
    assert LINKS[first.start : first.end] == "@/posts/hello.md"
    reference = found[-1]  # a reference link is reported where it is used
    assert LINKS[reference.start : reference.end] == "[O][gone]"


def test_anchor_styles_through_the_real_parse(tmp_path: Path) -> None:
    """Headings -> generator anchors -> links, for Zola's slugify on/safe and Hugo."""
    post = (
        '+++\ntitle = "A"\n+++\n# Hello World\n\n## Ünïcödé Straße\n\n## Q&A: why?\n\n'
        "## Intro\n\n## Intro\n\n## Intro 1\n\n"
        "[1](#{0}) [2](#{1}) [3](#{2}) [4](#{3}) [5](#{4}) [6](#{5})\n"
    )
    cases = {
        # Zola, slugify anchors = "on": the slug crate (deunicode, then [a-z0-9-])
        "on": ("hello-world", "unicode-strasse", "q-a-why", "intro", "intro-1", "intro-1-1"),
        # Zola "safe": only whitespace becomes `_`
        "safe": ("Hello_World", "Ünïcödé_Straße", "Q&A:_why?", "Intro", "Intro-1", "Intro_1"),
    }
    for mode, anchors in cases.items():
        config = f'base_url = "https://example.org"\n[slugify]\nanchors = "{mode}"\n'
        text = post.format(*anchors)
        root = write_site(tmp_path / mode, {"content/a.md": text}, site_config=config)
        found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
        assert found == [], (mode, lines(found))
        wrong = post.format("hello-world", "ünïcödé-straße", "q-a-why", "intro", "intro-1", "x")
        root = write_site(tmp_path / f"{mode}-wrong", {"content/a.md": wrong}, site_config=config)
        found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
        assert all(d.rule == "link-anchor-broken" for d in found)
        assert "#x" in found[-1].message
    # Hugo (goldmark, autoHeadingIDType = "github"): lower case, punctuation dropped, `-` kept
    hugo = 'baseURL = "https://example.org/"\ntitle = "H"\n'
    anchors = ("hello-world", "ünïcödé-straße", "qa-why", "intro", "intro-1", "intro-1-1")
    root = write_site(tmp_path / "hugo", {"content/a.md": post.format(*anchors)}, site_config=hugo)
    assert api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics == []


def test_hugo_routes_sections_and_feeds(tmp_path: Path) -> None:
    post = (
        '+++\ntitle = "A"\nslug = "first"\ntags = ["Go"]\n+++\n'
        "[a](/blog/first/) [b](/blog/) [c](/index.xml) [d](/tags/go/) [e](/categories/)\n"
        "[f](/blog/a/) [g](/blog/index.xml)\n"
    )
    hugo = 'baseURL = "https://example.org/"\ntitle = "H"\n'
    root = write_site(tmp_path / "hugo", {"content/blog/a.md": post}, site_config=hugo)
    found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
    assert lines(found) == ["a.md:7:5 link-internal-broken `/blog/a/` is not a page of this site."]


def test_base_url_with_a_path(tmp_path: Path) -> None:
    config = 'base_url = "https://example.org/blog"\n'
    files = {
        "content/a.md": '+++\ntitle = "A"\n+++\n[x](/blog/b/) [y](/b/) [z](/blog/c/)\n',
        "content/b.md": '+++\ntitle = "B"\n+++\nB.\n',
    }
    root = write_site(tmp_path / "s", files, site_config=config)
    found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
    assert lines(found) == ["a.md:4:28 link-internal-broken `/blog/c/` is not a page of this site."]


def test_plain_folder_checks_markdown_files_and_anchors_only(tmp_path: Path) -> None:
    files = {
        "a.md": "# Top\n\n[b](b.md#part) [c](c.md) [d](/anything/) [e](#top-1) [f](#top)\n",
        "b.md": "# B\n\n## Part\n",
    }
    root = write_site(tmp_path / "plain", files, site_config=None)
    found = api.run_paths([root], INTERNAL, jobs=1).diagnostics
    assert lines(found) == [
        "a.md:3:20 link-internal-broken `c.md` points at `c.md`, which does not exist.",
        "a.md:3:46 link-anchor-broken `#top-1` matches no heading or id on this page; "
        "did you mean `#top`?",
    ]


def test_cli_reports_internal_links(tmp_path: Path) -> None:
    root = zola_site(tmp_path / "site")
    result = run_cli("check", "content", "--no-cache", "--select", "LNK001", cwd=root)
    assert result.returncode == 1
    assert "content/posts/links.md:15:27: LNK001 `/posts/helo-world/`" in result.stdout


def test_hugo_ref_shortcodes(tmp_path: Path) -> None:
    post = (
        '+++\ntitle = "A"\n+++\n'
        'See [it]({{< ref "b.md" >}}), [part]({{< relref "b.md#part" >}}), '
        '[gone]({{< ref "/nope.md" >}}).\n'
        'And [a section]({{< ref "posts" >}}) and [by name]({{< ref "c" >}}).\n\n'
        '```\n{{< ref "in-code.md" >}}\n```\n'
    )
    files = {
        "content/a.md": post,
        "content/b.md": '+++\ntitle = "B"\n+++\nB.\n',
        "content/posts/_index.md": '+++\ntitle = "Posts"\n+++\n',
        "content/posts/deep/c.md": '+++\ntitle = "C"\n+++\nC.\n',
    }
    hugo = 'baseURL = "https://example.org/"\n'
    root = write_site(tmp_path / "hugo", files, site_config=hugo)
    select = Config(select=("LNK",))
    found = api.run_paths([root / "content"], select, jobs=1).diagnostics
    assert lines(found) == [
        "a.md:4:83 link-internal-broken `/nope.md` is not a page of this site, so Hugo stops "
        "the build (REF_NOT_FOUND); fix the path."
    ]
    assert post[found[0].start : found[0].end] == "/nope.md"


def test_links_to_drafts(tmp_path: Path) -> None:
    files = {
        "content/a.md": '+++\ntitle = "A"\n+++\nSee [the plan](/plan/) and [it](@/plan.md).\n',
        "content/plan.md": '+++\ntitle = "Plan"\ndraft = true\n+++\nSee [a](/a/).\n',
    }
    root = write_site(tmp_path / "s", files)
    found = api.run_paths([root / "content/a.md"], INTERNAL, jobs=1).diagnostics
    message = (
        "leads to `/plan/`, a draft, which is not published; link it once it is, or remove the "
        "link."
    )
    assert lines(found) == [
        f"a.md:4:16 link-internal-broken `/plan/` {message}",
        f"a.md:4:33 link-internal-broken `@/plan.md` {message}",
    ]


def test_footnote_anchors_come_from_the_parsed_footnotes(tmp_path: Path) -> None:
    """A page answers to the ids of its footnotes, as the parser reads them: a `[^label]:` line
    in a code block defines nothing."""
    note = (
        '+++\ntitle = "Note"\n+++\nA claim[^src].\n\n```\n[^code]: not a footnote\n```\n\n'
        "[^src]: The source.\n"
    )
    links = '+++\ntitle = "Links"\n+++\n[a](@/note.md#fn:src) [b](@/note.md#fn:code)\n'
    root = write_site(
        tmp_path,
        {"content/note.md": note, "content/links.md": links},
        site_config='base_url = "https://example.org"\n',
    )
    found = api.run_paths([root / "content"], INTERNAL, jobs=1).diagnostics
    assert [(d.line, d.column, d.end_column, d.rule) for d in found] == [
        (4, 27, 44, "link-anchor-broken")
    ]
