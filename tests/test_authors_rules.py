"""Author rules: roster names, near misses, byline forms, empty and repeated sections."""

from __future__ import annotations

from pathlib import Path

from postlint import api
from postlint.config import Config, parse_config

ZOLA = 'base_url = "https://example.org"\n'


def post(*sections: str) -> str:
    body = "\n".join(f"{line}\n\nSome words by this author.\n" for line in sections)
    return '+++\ntitle = "Post"\n+++\n' + body


def run(tmp_path: Path, files: dict[str, str], config: Config) -> list[tuple[str, int, int, str]]:
    (tmp_path / "config.toml").write_text(ZOLA)
    for name, text in files.items():
        (tmp_path / "content").mkdir(exist_ok=True)
        (tmp_path / "content" / name).write_text(text)
    result = api.run_paths([tmp_path / "content"], config, jobs=1)
    return [(Path(d.path).name, d.line, d.column, d.message) for d in result.diagnostics]


def test_roster_names_the_closest_author(tmp_path: Path) -> None:
    families = api.catalogue().families
    config = parse_config(
        {"select": ["author-unknown"], "authors": {"roster": ["Bhuvan", "Pranav"]}}, families
    )
    found = run(tmp_path, {"a.md": post("**Bhuvan**", "**Bhuavn**", "**Zara**")}, config)
    assert found == [
        ("a.md", 8, 3, "`Bhuavn` is not in the authors roster; did you mean `Bhuvan`?"),
        (
            "a.md",
            12,
            3,
            "`Zara` is not in the authors roster; add it to `roster` in [authors] if this is "
            "a new author.",
        ),
    ]


def test_rare_names_are_only_reported_next_to_a_frequent_near_miss(tmp_path: Path) -> None:
    files = {f"p{i}.md": post("**Bhuvan**", "**Asha**") for i in range(5)}
    files["q.md"] = post("**Bhuavn**", "**Asha Rao**", "**Mira**")
    found = run(tmp_path, files, Config(select=("author-unknown",)))
    assert found == [
        (
            "q.md",
            4,
            3,
            "`Bhuavn` appears once on the site, `Bhuvan` 5 times; did you mean `Bhuvan`?",
        )
    ]


def test_style_fix_rewrites_to_the_majority_form(tmp_path: Path) -> None:
    files = {
        "a.md": post("## Pranav — Editor", "## Krishna — Analyst", "## Bhuvan–Intern", "**Asha**")
    }
    (tmp_path / "config.toml").write_text(ZOLA)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(files["a.md"])
    roster = {"authors": {"roster": ["Pranav", "Krishna", "Bhuvan", "Asha"]}}
    config = parse_config({"select": ["author-style"], **roster}, api.catalogue().families)
    result = api.run_paths([tmp_path / "content"], config, jobs=1)
    # one finding for the post, at the first line that differs, fixing both lines
    lines = [(d.line, d.fix_safe, [e.replacement for e in d.fix or ()]) for d in result.diagnostics]
    assert lines == [(12, False, ["## Bhuvan — Intern", "## Asha"])]
    assert result.diagnostics[0].message == (
        "This author line separates name and title with `–`, while 2 of 3 titled author lines "
        "in this post use ` — `; 1 more author line in this post differs too; write them the "
        "same way (2 of 4 differ)."
    )


def test_uniform_site_gives_no_author_findings(tmp_path: Path) -> None:
    files = {f"p{i}.md": post("**Bhuvan**", "**Pranav**") for i in range(3)}
    assert run(tmp_path, files, Config(select=("AUT",))) == []


def test_catalogue_declares_roster() -> None:
    family = next(f for f in api.catalogue().families if f.name == "authors")
    assert [o.name for o in family.options] == ["roster", "duplicate-sections"]


def test_duplicate_reports_returns_only_when_asked_and_not_in_a_conversation(
    tmp_path: Path,
) -> None:
    families = api.catalogue().families
    config = parse_config(
        {"select": ["author-duplicate"], "authors": {"duplicate-sections": "any"}}, families
    )
    files = {
        "lone.md": post("**Asha**", "**Ravi**", "**Asha**"),
        "thread.md": post("**Asha**", "**Ravi**", "**Asha**", "**Ravi**"),
    }
    assert run(tmp_path, files, config) == [
        (
            "lone.md",
            12,
            3,
            "`Asha` already has a section in this post (line 4); merge them or fix the name.",
        )
    ]
    assert run(tmp_path, files, Config(select=("author-duplicate",))) == []


def test_author_rules_run_only_on_multi_author_sites(tmp_path: Path) -> None:
    """Bylines that recur as people's names, or that take turns, make a site multi-author;
    recurring topic headings in a fixed order do not."""
    solo = {
        f"p{i}.md": post("## Problem", "## Solution", "**Relevant PRs**", "**Relevant PRs**")
        for i in range(3)
    }
    (tmp_path / "solo").mkdir()
    assert run(tmp_path / "solo", solo, Config(select=("AUT",))) == []
    # common English first names, in changing order: still a team
    team = {
        "a.md": post("**John**", "**Sarah**", "**Sarah**"),
        "b.md": post("**Sarah**", "**John**"),
        "c.md": post("**John**", "**Emily**"),
    }
    (tmp_path / "team").mkdir()
    assert run(tmp_path / "team", team, Config(select=("AUT",))) == [
        (
            "a.md",
            12,
            3,
            "`Sarah` also wrote the section just before this one (line 8); merge the two "
            "sections or fix the name.",
        )
    ]
