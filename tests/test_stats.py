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


def chart_site(site) -> Path:  # type: ignore[no-untyped-def]
    """Nine authors (more than any palette), sparse dates, and a two-word section that scores
    far above everything else."""
    names = ["Ana", "Ben", "Cy", "Dee", "Eva", "Fin", "Gil", "Hal", "Ivy"]
    files = {"content/_index.md": '+++\ntitle = "Blog"\n+++\n'}
    for n in range(12):
        author = names[n % 9] if n < 9 else "Ana"
        body = EASY if n % 2 else HARDER
        files[f"content/p{n:02}.md"] = post(
            f"P{n}", f"2025-{n % 12 + 1:02}-0{n % 9 + 1}", [author], body
        )
    files["content/thanks.md"] = post("Thanks", "2025-06-15", ["Ana"], "Thanks all.")
    return site(files, config="[readability]\nmin-words = 8\n")  # type: ignore[no-any-return]


def test_html_page_is_self_contained_and_well_formed(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = chart_site(site)
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
    # one small chart per author, so no two authors share a colour
    assert parser.tags.count("svg") == 9 and parser.tags.count("figure") == 9
    captions = re.findall(
        r"<figcaption><strong>(\w+)</strong> · (\d+) sections?</figcaption>", page
    )
    assert captions[0] == ("Ana", "4") and len(captions) == 9
    # a point per section of min-words or more: the two-word thank-you is left out
    assert parser.tags.count("circle") == 12
    assert "Thanks, 2025-06-15" not in page
    assert "1 shorter section is not charted." in page
    assert parser.tags.count("polyline") == 1  # a rolling median where there are 3 points or more
    assert page.count('class="threshold"') == 9
    ticks = [float(t) for t in re.findall(r'text-anchor="end">(-?\d+)</text>', page)]
    assert max(ticks) <= 110, "the axis is stretched by a section too short to score"


def test_rolling_median_resists_one_outlier() -> None:
    from postlint.stats import _rolling_median

    assert _rolling_median([50, 52, 5, 51, 53, 54]) == [
        50,
        50.5,
        51,
        52,
        52,
        53,
    ]  # 5 never pulls the line down


def test_missing_path_is_a_usage_error(site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(site)
    result = run_cli("stats", "nowhere", cwd=root)
    assert result.returncode == 2
    assert result.stderr == "postlint: error: nowhere: no such file or directory\n"
