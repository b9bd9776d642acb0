# ruff: noqa: E501  (one case a line)
"""Page routes against the generators' own examples.

Zola cases come from the tests in components/content/src/page.rs, file_info.rs and section.rs;
Hugo cases from the "URL management" docs page (content/en/content-management/urls.md) and
resources/page/page_paths.go plus common/paths/path.go (Sanitize).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from postlint.urls import (
    PageRoute,
    hugo_page_options,
    language_suffix,
    normalize_url_path,
    page_url,
)


def route(
    url: str,
    *,
    aliases: tuple[str, ...] = (),
    date: str | None = None,
    section: bool = False,
    bundle: str | None = None,
) -> PageRoute:
    return PageRoute(url, aliases, date, section, bundle)


# ---------------------------------------------------------------------------------------- Zola

ZOLA_CASES: list[tuple[str, dict[str, Any], str, PageRoute]] = [
    # page.rs test_can_make_url_from_sections_and_slug
    ("posts/intro/start.md", {"slug": "hello-world"}, "on", route("/posts/intro/hello-world/")),
    # page.rs can_make_url_from_slug_only
    ("start.md", {"slug": "hello-world"}, "on", route("/hello-world/")),
    # page.rs can_make_url_from_slug_only_with_no_special_chars
    ("start.md", {"slug": "hello-&-world"}, "on", route("/hello-world/")),
    # page.rs can_make_url_from_utf8_slug_frontmatter (slugify.paths = "safe")
    ("start.md", {"slug": "日本"}, "safe", route("/日本/")),
    # page.rs can_make_url_from_path / can_make_url_from_path_starting_slash
    ("posts/intro/start.md", {"path": "hello-world"}, "on", route("/hello-world/")),
    ("posts/intro/start.md", {"path": "/hello-world"}, "on", route("/hello-world/")),
    # page.rs can_make_slug_from_non_slug_filename
    (" file with space.md", {}, "on", route("/file-with-space/")),
    # page.rs can_make_path_from_utf8_filename (safe)
    ("日本.md", {}, "safe", route("/日本/")),
    # page.rs page_with_assets_gets_right_info / page_with_assets_and_slug_overrides_path
    (
        "posts/with-assets/index.md",
        {},
        "on",
        route("/posts/with-assets/", bundle="posts/with-assets"),
    ),
    (
        "posts/with-assets/index.md",
        {"slug": "hey"},
        "on",
        route("/posts/hey/", bundle="posts/with-assets"),
    ),
    # page.rs page_with_assets_uses_filepath_for_assets: the folder name is slugified
    (
        "posts/with_assets/index.md",
        {},
        "on",
        route("/posts/with-assets/", bundle="posts/with_assets"),
    ),
    # page.rs page_with_assets_and_date_in_folder_name
    (
        "posts/2013-06-02_with-assets/index.md",
        {},
        "on",
        route("/posts/with-assets/", date="2013-06-02", bundle="posts/2013-06-02_with-assets"),
    ),
    # page.rs colocated_page_with_slug_and_date_in_path
    (
        "articles/2021-07-29-sample-article-1.md",
        {"slug": "hey"},
        "on",
        route("/articles/hey/", date="2021-07-29"),
    ),
    # page.rs can_get_date_from_short_date_in_filename
    ("2018-10-08_hello.md", {}, "on", route("/hello/", date="2018-10-08")),
    # page.rs can_get_date_from_filename_with_spaces (+ _respects_slugification with "off")
    ("2018-10-08 - hello.md", {}, "on", route("/hello/", date="2018-10-08")),
    ("2018-10-08 - hello.md", {}, "off", route("/ hello/", date="2018-10-08")),
    # page.rs can_get_date_from_full_rfc3339_date_in_filename
    ("2018-10-02T15:00:00Z-hello.md", {}, "on", route("/hello/", date="2018-10-02T15:00:00Z")),
    # page.rs ..._respects_slugification_strategy (off keeps the leading space)
    ("2018-10-08_ こんにちは.md", {}, "off", route("/ こんにちは/", date="2018-10-08")),
    # The brief's examples.
    ("posts/2024-01-02-hello.md", {}, "on", route("/posts/hello/", date="2024-01-02")),
    ("posts/2024-01-02_hello.md", {}, "on", route("/posts/hello/", date="2024-01-02")),
    ("posts/trip/index.md", {}, "on", route("/posts/trip/", bundle="posts/trip")),
    # A date with nothing after it gives the date but the slug is the whole name.
    ("posts/2024-01-02.md", {}, "on", route("/posts/2024-01-02/", date="2024-01-02")),
    # Not a valid month: no date, the name is slugified as is.
    ("posts/2024-13-02-hello.md", {}, "on", route("/posts/2024-13-02-hello/")),
    # Folders above the page are used as written (FileInfo.components), only the slug changes.
    ("My Notes/Ça va.md", {}, "on", route("/My Notes/ca-va/")),
    # path front matter wins over slug and is not slugified.
    ("posts/x.md", {"slug": "ignored", "path": " Custom/Path "}, "on", route("/Custom/Path/")),
    # A root index.md is the site root.
    ("index.md", {}, "on", route("/")),
    # section.rs: _index.md is a section at its folder path.
    ("blog/_index.md", {}, "on", route("/blog/", section=True, bundle="blog")),
    ("_index.md", {}, "on", route("/", section=True, bundle="")),
    ("Blog Posts/_index.md", {}, "on", route("/Blog Posts/", section=True, bundle="Blog Posts")),
]


@pytest.mark.parametrize(("rel_path", "front_matter", "mode", "expected"), ZOLA_CASES)
def test_zola_routes(
    rel_path: str, front_matter: dict[str, Any], mode: str, expected: PageRoute
) -> None:
    assert page_url(rel_path, front_matter, "zola", mode) == expected


def test_zola_aliases_are_site_absolute() -> None:
    got = page_url("posts/a.md", {"aliases": ["old/a", "/older/a/", "legacy.html"]}, "zola")
    assert got.aliases == ("/old/a/", "/older/a/", "/legacy.html")


def test_zola_slug_front_matter_on_dated_file_keeps_the_date() -> None:
    got = page_url("posts/2024-05-06-draft.md", {"slug": "Final Title"}, "zola")
    assert got == route("/posts/final-title/", date="2024-05-06")


# ---------------------------------------------------------------------------------------- Hugo

HUGO_CASES: list[tuple[str, dict[str, Any], PageRoute]] = [
    # urls.md Overview: content/posts/post-1.md -> /posts/post-1/
    ("posts/post-1.md", {}, route("/posts/post-1/")),
    # urls.md slug
    ("posts/post-1.md", {"slug": "my-first-post"}, route("/posts/my-first-post/")),
    # urls.md url, "File extensions"
    ("posts/post-1.md", {"url": "articles/my-first-article"}, route("/articles/my-first-article/")),
    (
        "posts/post-1.md",
        {"url": "articles/my-first-article.html"},
        route("/articles/my-first-article.html"),
    ),
    # urls.md url, "Leading slashes" (monolingual)
    ("posts/post-1.md", {"url": "/about"}, route("/about/")),
    ("posts/post-1.md", {"url": "about"}, route("/about/")),
    # urls.md: "If you set both slug and url in front matter, the url value takes precedence."
    ("posts/post-1.md", {"slug": "s", "url": "/u/"}, route("/u/")),
    # urls.md: Hugo does not sanitize a page's url.
    ("posts/post-1.md", {"url": "/Mixed Case/"}, route("/Mixed Case/")),
    # page_paths.go + paths.Sanitize: segments sanitized and lower-cased.
    ("Posts/My Post & Stuff.md", {}, route("/posts/my-post-stuff/")),
    ("posts/Ça va?.md", {}, route("/posts/ça-va/")),
    ("posts/release-1.2.md", {}, route("/posts/release-1.2/")),
    ("posts/x.md", {"slug": "Hello World!"}, route("/posts/hello-world/")),
    # Date prefixes are not special by default.
    ("posts/2024-01-02-hello.md", {}, route("/posts/2024-01-02-hello/")),
    # Leaf bundle: the folder is the last segment, and slug replaces it.
    ("posts/trip/index.md", {}, route("/posts/trip/", bundle="posts/trip")),
    ("posts/trip/index.md", {"slug": "summer"}, route("/posts/summer/", bundle="posts/trip")),
    # Branch bundles (sections): slug does not apply; url is sanitized.
    ("blog/_index.md", {}, route("/blog/", section=True, bundle="blog")),
    ("blog/_index.md", {"slug": "nope"}, route("/blog/", section=True, bundle="blog")),
    ("Blog/_index.md", {"url": "/My Blog/"}, route("/my-blog/", section=True, bundle="Blog")),
    ("_index.md", {}, route("/", section=True, bundle="")),
]


@pytest.mark.parametrize(("rel_path", "front_matter", "expected"), HUGO_CASES)
def test_hugo_routes(rel_path: str, front_matter: dict[str, Any], expected: PageRoute) -> None:
    assert page_url(rel_path, front_matter, "hugo") == expected


def test_hugo_aliases_from_docs() -> None:
    # urls.md "Defining aliases" (monolingual, so without the /en prefix of the docs' table).
    got = page_url(
        "examples/example-1.md", {"aliases": ["/old-url", "old-name", "../old/path"]}, "hugo"
    )
    assert got.aliases == ("/old-url/", "/examples/old-name/", "/old/path/")


def test_hugo_alias_with_extension_stays_a_file() -> None:
    got = page_url("posts/a.md", {"aliases": ["/2010/01/01/another-url.html"]}, "hugo")
    assert got.aliases == ("/2010/01/01/another-url.html",)


def test_hugo_ignores_slug_mode() -> None:
    assert page_url("posts/Ça.md", {}, "hugo", "off") == page_url("posts/Ça.md", {}, "hugo", "on")


# --------------------------------------------------------------------------------------- plain


def test_plain_routes() -> None:
    assert page_url("posts/hello.md", {"slug": "x", "url": "/y/"}, "plain") == route(
        "/posts/hello/"
    )
    assert page_url("posts/trip/index.md", {}, "plain") == route("/posts/trip/index/")


def test_page_route_is_frozen() -> None:
    got = page_url("posts/hello.md", {}, "plain")
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.url = "/elsewhere/"  # type: ignore[misc]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown generator"):
        page_url("a.md", {}, "jekyll")
    with pytest.raises(ValueError, match="not a content file path"):
        page_url("", {}, "zola")
    with pytest.raises(ValueError, match="unknown slugify mode"):
        page_url("a.md", {}, "zola", "sometimes")


# ------------------------------------------------------------------------------ normalize_url_path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/posts/hello/", "/posts/hello/"),
        ("/posts/hello", "/posts/hello/"),
        ("/posts/hello/index.html", "/posts/hello/"),
        ("/posts//hello/./", "/posts/hello/"),
        ("/posts/a/../hello", "/posts/hello/"),
        ("/../../posts/hello", "/posts/hello/"),
        ("/posts/%C3%A7a-va/", "/posts/ça-va/"),
        ("/posts/%2e%2e/about", "/about/"),
        ("/posts/hello/?utm=x#intro", "/posts/hello/"),
        ("/img/a.png", "/img/a.png/"),
        ("/", "/"),
        ("", "/"),
    ],
)
def test_normalize_absolute(path: str, expected: str) -> None:
    assert normalize_url_path(path) == expected


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("../other/", "/posts/hello/", "/posts/other/"),
        ("other", "/posts/hello/", "/posts/hello/other/"),
        ("other", "/posts/hello.html", "/posts/other/"),
        ("#section", "/posts/hello/", "/posts/hello/"),
        ("./", "/posts/hello/", "/posts/hello/"),
    ],
)
def test_normalize_relative(path: str, base: str, expected: str) -> None:
    assert normalize_url_path(path, base=base) == expected


def test_normalize_matches_page_urls() -> None:
    page = page_url("posts/2024-01-02-hello.md", {}, "zola")
    for link in ("/posts/hello", "/posts/hello/index.html", "/posts/./hello/", "/posts/x/../hello"):
        assert normalize_url_path(link) == normalize_url_path(page.url)


# ------------------------------------------------------------------------------------ languages


@pytest.mark.parametrize(
    ("rel_path", "generator", "expected"),
    [
        # file_info.rs find_language: the code after the stem's first dot, if configured.
        ("blog/post.fr.md", "zola", ("blog/post.md", "fr")),
        ("blog/trip/index.fr.md", "zola", ("blog/trip/index.md", "fr")),
        ("_index.fr.md", "zola", ("_index.md", "fr")),
        ("blog/post.md", "zola", ("blog/post.md", None)),
        ("blog/post.it.md", "zola", ("blog/post.it.md", None)),  # not configured
        # Hugo's path parser: the identifier right before the extension.
        ("about.fr.md", "hugo", ("about.md", "fr")),
        ("about.FR.md", "hugo", ("about.md", "fr")),
        ("posts/v1.2.fr.md", "hugo", ("posts/v1.2.md", "fr")),
        ("posts/v1.2.md", "hugo", ("posts/v1.2.md", None)),
        (".fr.md", "hugo", (".fr.md", None)),
        ("about.fr.md", "plain", ("about.fr.md", None)),
    ],
)
def test_language_suffix(rel_path: str, generator: str, expected: tuple[str, str | None]) -> None:
    assert language_suffix(rel_path, generator, {"fr", "de"}) == expected


def test_zola_language_prefix() -> None:
    # page.rs / section.rs: the language before the path, but not before a `path` value.
    assert page_url("blog/post.md", {}, "zola", prefix="/fr").url == "/fr/blog/post/"
    assert page_url("blog/_index.md", {}, "zola", prefix="/fr").url == "/fr/blog/"
    assert page_url("_index.md", {}, "zola", prefix="/fr").url == "/fr/"
    assert page_url("blog/trip/index.md", {}, "zola", prefix="/fr") == route(
        "/fr/blog/trip/", bundle="blog/trip"
    )
    assert page_url("blog/post.md", {"path": "custom"}, "zola", prefix="/fr").url == "/custom/"


def test_hugo_language_prefix() -> None:
    # urls.md "Leading slashes" (multilingual) and the aliases table (language prefix /en).
    assert page_url("about.md", {}, "hugo", prefix="/de").url == "/de/about/"
    assert page_url("about.md", {"url": "/about"}, "hugo", prefix="/de").url == "/about/"
    assert page_url("about.md", {"url": "about"}, "hugo", prefix="/de").url == "/de/about/"
    got = page_url(
        "examples/example-1.md",
        {"aliases": ["/old-url", "old-name", "../old/path"]},
        "hugo",
        prefix="/en",
    )
    assert got.aliases == ("/en/old-url/", "/en/examples/old-name/", "/en/old/path/")
    assert page_url("_index.md", {}, "hugo", prefix="/de").url == "/de/"
    assert page_url("index.md", {}, "hugo", prefix="/de").url == "/de/"


# ----------------------------------------------------------------------- Hugo permalinks, ugly


@pytest.mark.parametrize(
    ("pattern", "rel_path", "front_matter", "expected"),
    [
        ("/:year/:month/:day/:slug/", "post/a.md", {"date": "2015-08-13", "slug": "Hi There"}, "/2015/08/13/hi-there/"),
        ("/:year/:month/:slug/", "posts/a.md", {"date": datetime.date(2024, 3, 2), "title": "First Light"}, "/2024/03/first-light/"),
        ("/:year/:month/:title/", "posts/a.md", {"date": datetime.datetime(2024, 3, 2, 9), "title": "A & B"}, "/2024/03/a-b/"),
        ("/:section/:slugorcontentbasename/", "posts/My Note.md", {}, "/posts/my-note/"),
        ("/:sections[last]/:filename/", "docs/guides/setup.md", {}, "/guides/setup/"),
        ("/:sections/:contentbasename/", "docs/guides/trip/index.md", {}, "/docs/guides/trip/"),
        ("/:yearday/:weekdayname/:slug/", "posts/a.md", {"publishDate": "2024-02-01", "slug": "x"}, "/32/Thursday/x/"),
        ("/:year/:slug/", "posts/a.md", {"slug": "undated"}, "/0001/undated/"),  # Go's zero time
    ],
)
def test_hugo_permalinks(pattern: str, rel_path: str, front_matter: dict[str, Any], expected: str) -> None:
    assert page_url(rel_path, front_matter, "hugo", permalink=pattern).url == expected


def test_hugo_permalinks_and_ugly_urls_by_section() -> None:
    config = {"permalinks": {"post": "/:year/:slug/"}, "uglyurls": {"post": True}}
    assert hugo_page_options(config, "post") == ("/:year/:slug/", True)
    assert hugo_page_options(config, "docs") == (None, False)
    assert hugo_page_options({"permalinks": {"page": {"posts": "/p/:slug/"}}}, "posts") == ("/p/:slug/", False)
    assert hugo_page_options({"uglyurls": True}, "anything") == (None, True)
    fm = {"date": "2015-08-13", "slug": "why-90-days"}
    assert page_url("post/x.md", fm, "hugo", permalink="/:year/:slug/", ugly=True).url == "/2015/why-90-days.html"
    assert page_url("notes/firing.md", {}, "hugo", ugly=True).url == "/notes/firing.html"
    assert page_url("notes/firing.md", {"url": "/kiln/"}, "hugo", ugly=True).url == "/kiln/"  # url wins
    assert page_url("notes/_index.md", {}, "hugo", ugly=True).url == "/notes/"  # sections stay
