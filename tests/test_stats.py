"""``postlint stats``: tables per author and per post, JSON, and a self-contained HTML page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import run_cli

EASY = "We met on Monday. The plan is good. We will try it next week."
HARDER = (
    "Notwithstanding considerable heterogeneity, macroeconomic stabilisation necessitates "
    "comprehensive coordination."
)


def post(title: str, date: str, authors: list[str], body: str) -> str:
    names = ", ".join(f'"{a}"' for a in authors)
    return f'+++\ntitle = "{title}"\ndate = {date}\nauthors = [{names}]\n+++\n{body}\n'


def make_site(site) -> Path:  # type: ignore[no-untyped-def]
    return site(  # type: ignore[no-any-return]
        {
            "content/_index.md": '+++\ntitle = "Blog"\n+++\n',
            "content/one.md": post("One", "2025-01-05", ["Ana"], EASY),
            "content/two.md": post("Two", "2025-02-10", ["Ben"], HARDER),
            "content/three.md": post("Three", "2025-03-15", ["Ana"], f"{EASY} {EASY}"),
        }
    )


def test_json_gives_authors_and_posts(site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(site)
    result = run_cli("stats", "content", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["metric"] == "flesch-reading-ease"
    authors = {a["author"]: a for a in data["authors"]}
    assert authors["Ana"]["posts"] == 2 and authors["Ana"]["words"] == 14 * 3
    assert authors["Ana"]["median_sentence_words"] == 4.0
    assert authors["Ben"] == {
        "author": "Ben",
        "posts": 1,
        "words": 8,
        "median_readability": authors["Ben"]["median_readability"],
        "median_sentence_words": 8.0,
    }
    assert authors["Ben"]["median_readability"] < authors["Ana"]["median_readability"]
    assert [(p["path"], p["date"], p["authors"], p["words"]) for p in data["posts"]] == [
        ("content/one.md", "2025-01-05", ["Ana"], 14),
        ("content/two.md", "2025-02-10", ["Ben"], 8),
        ("content/three.md", "2025-03-15", ["Ana"], 28),
    ]  # dated posts in date order; the section index has no prose and is left out


def test_text_tables(site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(site)
    result = run_cli("stats", "content", cwd=root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "AUTHOR",
        "POSTS",
        "WORDS",
        "MEDIAN",
        "FLESCH",
        "READING",
        "EASE",
        "MEDIAN",
        "SENTENCE",
    ]
    assert lines[1].split()[:3] == ["Ana", "2", "42"]
    assert lines[2].split()[:3] == ["Ben", "1", "8"]
    assert any(line.split()[:4] == ["content/two.md", "2025-02-10", "Ben", "8"] for line in lines)


class Page(HTMLParser):
    """Collects tags, attribute values and checks that every element is closed in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(value or "" for _, value in attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(value or "" for _, value in attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_html_page_is_self_contained_and_well_formed(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_site(site)
    page_file = tmp_path / "out" / "stats.html"
    result = run_cli("stats", "content", "--html", str(page_file), cwd=root)
    assert result.returncode == 0, result.stderr
    page = page_file.read_text(encoding="utf-8")
    assert not re.search(r"https?:|//[a-z]", page, re.I), "the page references the network"
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert not {"script", "link", "img", "iframe", "object"} & set(parser.tags)
    assert not any(value.startswith(("http", "//", "data:")) for value in parser.attributes)
    assert parser.tags.count("svg") == 1
    assert parser.tags.count("polyline") == 2  # one line per author
    assert parser.tags.count("circle") == 3  # one point per dated section
    assert "2025-01-05" in page and "2025-03-15" in page
    assert ">Ana</text>" in page and ">Ben</text>" in page


def test_missing_path_is_a_usage_error(site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(site)
    result = run_cli("stats", "nowhere", cwd=root)
    assert result.returncode == 2
    assert result.stderr == "postlint: error: nowhere: no such file or directory\n"
