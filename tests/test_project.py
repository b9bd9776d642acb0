# ruff: noqa: E501  (expected messages are kept on one line each, as the report prints them)
"""Configuration per file (issue 14): each post is judged by its nearest configuration, the same
whether a run names it alone (pre-commit, an editor) or the whole site (CI).

The site has a root configuration and a drafts folder with its own, standalone one: other rules
(no spelling, no typography), other options (required fields, a tag vocabulary), its own
`fail-on`. Each kind of run, as a subprocess, must give each file the findings below.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from postlint import api
from postlint.project import Project
from tests.conftest import readme_blocks, run_cli, write_site

ROOT_CONFIG = (
    'extend-select = ["typography"]\n'
    'exclude = ["content/drafts/old/"]\n'
    "[frontmatter]\n"
    'required = ["title", "date"]\n'
    "[tags]\n"
    'vocabulary = ["boats", "weather"]\n'
)
DRAFTS_CONFIG = (
    'select = ["frontmatter", "links", "tags"]\n'
    'fail-on = "never"\n'
    "[frontmatter]\n"
    'required = ["title", "description"]\n'
    "[tags]\n"
    'vocabulary = ["draft"]\n'
)
TIDES = (
    '+++\ntitle = "Tides"\ndate = 2024-03-01\n[taxonomies]\ntags = ["boats"]\n+++\n'
    "The tide turns twice a day... Boats recieve their moorings at dawn.\n\n"
    "## Moorings\n\n"
    "See the [plan](@/drafts/plan.md#timeline).\n"
)
PLAN = (
    '+++\ntitle = "Plan"\n[taxonomies]\ntags = ["boats"]\n+++\n'
    "We will recieve the new boats soon...\n\n"
    "See [tides](@/posts/tides.md#nowhere).\n"
)
FILES: dict[str, str | bytes | None] = {
    "content/posts/tides.md": TIDES,
    "content/drafts/plan.md": PLAN,
    "content/drafts/postlint.toml": DRAFTS_CONFIG,
    "content/drafts/old/ancient.md": "No front matter at all, and a tpyo.\n",
}
SITE_CONFIG = (
    'base_url = "https://example.org"\ntitle = "Harbour notes"\ntaxonomies = [{ name = "tags" }]\n'
)

# fmt: off
TIDES_FOUND = [
    (7, 27, "three-dots", "Write an ellipsis character (`…`) instead of three dots."),
    (7, 37, "spelling", "“recieve” is not in the dictionary: did you mean “receive”, “relieve”, “resieve”?"),
    (11, 16, "link-anchor-broken", "`#timeline` matches no heading or id on `/drafts/plan/`; `/drafts/plan/` has no headings or ids."),
]
PLAN_FOUND = [
    (1, 1, "frontmatter-field-missing", "The front matter has no `description`, which this site requires."),
    (4, 9, "tag-unknown", "The tag `boats` is not in the tag vocabulary; add it to the vocabulary or use a listed tag."),
    (8, 13, "link-anchor-broken", "`#nowhere` matches no heading or id on `/posts/tides/`; link to an existing heading or add an id."),
]
# fmt: on
EXPECTED = {"content/posts/tides.md": TIDES_FOUND, "content/drafts/plan.md": PLAN_FOUND}


def make_site(root: Path) -> Path:
    return write_site(root, FILES, ROOT_CONFIG, SITE_CONFIG)


def by_file(report: str) -> dict[str, list[tuple[int, int, str, str]]]:
    found: dict[str, list[tuple[int, int, str, str]]] = {}
    for d in json.loads(report)["diagnostics"]:
        found.setdefault(d["path"], []).append((d["line"], d["column"], d["rule"], d["message"]))
    return found


RUNS = {
    "the whole site": ([], EXPECTED),
    "the content folder": (["content"], EXPECTED),
    "the drafts folder": (["content/drafts"], {"content/drafts/plan.md": PLAN_FOUND}),
    "a draft alone": (["content/drafts/plan.md"], {"content/drafts/plan.md": PLAN_FOUND}),
    "a post alone": (["content/posts/tides.md"], {"content/posts/tides.md": TIDES_FOUND}),
    "both, as pre-commit names them": (
        ["content/drafts/plan.md", "content/posts/tides.md"],
        EXPECTED,
    ),
}


@pytest.mark.parametrize("cache", [False, True], ids=["no cache", "cache"])
def test_each_file_gets_its_own_configurations_findings_in_every_run(
    tmp_path: Path, cache: bool
) -> None:
    root = make_site(tmp_path / "site")
    cached = [] if cache else ["--no-cache"]
    for name, (paths, expected) in RUNS.items():
        result = run_cli("check", *cached, "--format", "json", *paths, cwd=root)
        assert by_file(result.stdout) == expected, name
        # the drafts' own `fail-on = "never"`: their findings never fail a run
        assert result.returncode == (1 if "content/posts/tides.md" in expected else 0), name
        assert result.stderr == "", name


def test_a_file_the_outer_configuration_excludes_is_skipped_when_named(tmp_path: Path) -> None:
    """The root's `exclude` covers a folder under the drafts' own configuration, named or not."""
    root = make_site(tmp_path / "site")
    named = run_cli("check", "--no-cache", "content/drafts/old/ancient.md", cwd=root)
    assert named.returncode == 0, named.stdout + named.stderr
    assert named.stdout == "All clear: 0 files checked, no problems found.\n"
    assert named.stderr == (
        "postlint: note: skipped content/drafts/old/ancient.md: `exclude` in postlint.toml "
        "leaves it out\n"
    )
    whole = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert "content/drafts/old/ancient.md" not in by_file(whole.stdout)
    assert json.loads(whole.stdout)["summary"]["files"] == 2


def test_fix_applies_each_files_own_rules_named_or_whole(tmp_path: Path) -> None:
    whole = make_site(tmp_path / "whole")
    named = make_site(tmp_path / "named")
    fixed = run_cli("check", "--no-cache", "--fix", cwd=whole)
    assert fixed.stdout.startswith("Applied 1 fix.\n"), fixed.stdout
    for path in ("content/drafts/plan.md", "content/posts/tides.md"):
        one = run_cli("check", "--no-cache", "--fix", path, cwd=named)
        assert one.returncode in (0, 1), one.stderr
    for path in ("content/drafts/plan.md", "content/posts/tides.md"):
        assert (named / path).read_text() == (whole / path).read_text()
    # typography is the root's: the post's dots are fixed, the draft's are left as written
    assert "twice a day… Boats" in (whole / "content/posts/tides.md").read_text()
    assert (whole / "content/drafts/plan.md").read_text() == PLAN


def test_each_configuration_keeps_its_own_baseline(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    (root / "postlint.toml").write_text('baseline = "base.json"\n' + ROOT_CONFIG)
    (root / "content/drafts/postlint.toml").write_text('baseline = "drafts.json"\n' + DRAFTS_CONFIG)
    written = run_cli("baseline", "--no-cache", cwd=root)
    assert written.returncode == 0, written.stderr
    assert sorted(written.stdout.splitlines()) == [
        f"Wrote 3 findings to {root / 'base.json'}.",
        f"Wrote 3 findings to {root / 'content/drafts/drafts.json'}.",
    ]
    entries = json.loads((root / "content/drafts/drafts.json").read_text())["entries"]
    assert {(e["rule"], e["path"]) for e in entries} == {
        ("frontmatter-field-missing", "plan.md"),
        ("tag-unknown", "plan.md"),
        ("link-anchor-broken", "plan.md"),
    }
    for paths in ([], ["content/drafts/plan.md"], ["content/posts/tides.md"]):
        clean = run_cli("check", "--no-cache", *paths, cwd=root)
        assert clean.returncode == 0, clean.stdout
        assert clean.stdout.startswith("All clear"), clean.stdout
    # a new finding in the draft shows, judged by the draft's own rules, alone or with the site
    (root / "content/drafts/plan.md").write_text(PLAN + "\nAnd [the gone post](@/posts/gone.md).\n")
    for paths in ([], ["content/drafts/plan.md"]):
        found = run_cli("check", "--no-cache", "--format", "json", *paths, cwd=root)
        assert by_file(found.stdout) == {
            "content/drafts/plan.md": [
                (
                    10,
                    21,
                    "link-internal-broken",
                    "`@/posts/gone.md` points at `content/posts/gone.md`, which does not exist.",
                )
            ]
        }
    # a baseline run on the draft alone rewrites only the draft's baseline
    before = (root / "base.json").read_text()
    again = run_cli("baseline", "--no-cache", "content/drafts/plan.md", cwd=root)
    assert again.stdout == f"Wrote 4 findings to {root / 'content/drafts/drafts.json'}.\n"
    assert (root / "base.json").read_text() == before


def test_stats_reads_each_post_as_check_does(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    whole = json.loads(run_cli("stats", "--format", "json", cwd=root).stdout)
    assert [post["path"] for post in whole["posts"]] == [
        "content/drafts/plan.md",
        "content/posts/tides.md",
    ]  # the excluded post is left out
    alone = json.loads(
        run_cli("stats", "--format", "json", "content/drafts/plan.md", cwd=root).stdout
    )
    assert alone["posts"] == whole["posts"][:1]


def test_the_python_api_resolves_each_path_like_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(tmp_path / "site")
    monkeypatch.chdir(root)
    for path, expected in EXPECTED.items():
        text = (root / path).read_text()
        found = api.lint_text(text, path=path)
        assert [(d.line, d.column, d.rule, d.message) for d in found] == expected
    found = api.lint_paths(["content"])
    assert {d.path for d in found} == set(EXPECTED)
    assert api.lint_text("No front matter.\n", path="content/drafts/old/new.md") == []
    drafts = api.config_for("content/drafts/plan.md")
    assert drafts.path == root / "content/drafts/postlint.toml"
    assert drafts.tables["frontmatter"]["required"] == ("title", "description")
    assert api.config_for("content/posts/tides.md").path == root / "postlint.toml"
    project = Project(root)
    assert project.config(root / "content/drafts/plan.md") == drafts
    assert project.why_excluded(root / "content/drafts/old/ancient.md") == (
        "`exclude` in postlint.toml leaves it out"
    )
    assert project.why_excluded(root / "content/drafts/plan.md") is None


def test_a_nested_configuration_that_extends_inherits(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    ideas = root / "content/drafts/ideas"
    ideas.mkdir()
    (ideas / "postlint.toml").write_text(
        'extend = "../postlint.toml"\n[frontmatter]\nextend-required = ["date"]\n'
    )
    (ideas / "sketch.md").write_text('+++\ntitle = "Sketch"\n+++\nA quick recieve...\n')
    (ideas / "alone.md").write_text("No front matter.\n")
    config = api.config_for(ideas / "sketch.md")
    assert config.tables["frontmatter"]["required"] == ("title", "description", "date")
    assert config.select == ("frontmatter", "links", "tags")
    for paths in ([root / "content"], [ideas / "sketch.md"]):
        found = api.lint_paths(paths)
        assert [(d.line, d.rule, d.message) for d in found if d.path.endswith("sketch.md")] == [
            (
                1,
                "frontmatter-field-missing",
                "The front matter has no `date`, which this site requires.",
            ),
            (
                1,
                "frontmatter-field-missing",
                "The front matter has no `description`, which this site requires.",
            ),
        ]
    # a standalone nested configuration inherits nothing: the defaults, not the drafts' rules
    (ideas / "postlint.toml").write_text("")
    assert api.config_for(ideas / "alone.md").select is None


def test_the_cache_follows_a_nested_configuration(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    first = run_cli("check", "--format", "json", "content/drafts/plan.md", cwd=root)
    assert by_file(first.stdout) == {"content/drafts/plan.md": PLAN_FOUND}
    drafts = root / "content/drafts/postlint.toml"
    drafts.write_text(DRAFTS_CONFIG.replace('["draft"]', '["draft", "boats"]'))
    for paths in ([], ["content/drafts/plan.md"]):
        again = run_cli("check", "--format", "json", *paths, cwd=root)
        assert by_file(again.stdout)["content/drafts/plan.md"] == [PLAN_FOUND[0], PLAN_FOUND[2]]


def test_a_broken_nested_configuration_stops_the_run(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    (root / "content/drafts/postlint.toml").write_text('select = ["spellin"]\n')
    for paths in ([], ["content/drafts/plan.md"]):
        result = run_cli("check", "--no-cache", *paths, cwd=root)
        assert result.returncode == 2
        assert result.stderr == (
            "postlint: error: content/drafts/postlint.toml:1: unknown rule `spellin` in "
            "`select` (did you mean `spelling`?).\n"
        )


def test_config_names_one_configuration_for_every_file(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    shutil.copy(root / "postlint.toml", root / "only.toml")
    result = run_cli("check", "--no-cache", "--config", "only.toml", "--format", "json", cwd=root)
    found = by_file(result.stdout)
    assert [rule for _, _, rule, _ in found["content/drafts/plan.md"]] == [
        "frontmatter-field-missing",
        "spelling",
        "three-dots",
        "link-anchor-broken",
    ]


def test_the_readmes_drafts_configuration_reports_and_never_fails(tmp_path: Path) -> None:
    (example,) = readme_blocks("toml", "# content/drafts/postlint.toml")
    root = make_site(tmp_path / "site")
    (root / "content/drafts/postlint.toml").write_text(example)
    for paths in ([], ["content/drafts/plan.md"]):
        result = run_cli("check", "--no-cache", "--format", "json", *paths, cwd=root)
        assert by_file(result.stdout)["content/drafts/plan.md"] == [PLAN_FOUND[2]]
    alone = run_cli("check", "--no-cache", "content/drafts/plan.md", cwd=root)
    assert alone.returncode == 0, alone.stdout
