"""One glob dialect (issue 14): `exclude`, `per-file-ignores` and the site's `.gitignore` files
match paths the same way, git's way, from the folder of the file that holds the pattern."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config
from postlint.globs import Globs
from tests.conftest import git, run_cli, write_site

POSTS = [
    "content/index.md",
    "content/drafts/a.md",
    "content/drafts/2024/b.md",
    "content/posts/c.md",
    "content/posts/drafts.md",
    "content/archive/drafts/d.md",
]
DRAFTS = {"content/drafts/a.md", "content/drafts/2024/b.md"}
ANY_DRAFTS = DRAFTS | {"content/archive/drafts/d.md"}
POSTS_FOLDER = {"content/posts/c.md", "content/posts/drafts.md"}

# pattern -> the posts it matches, from the site's root
MATCHES = {
    "content/drafts/*": DRAFTS,  # a folder it matches brings everything in it
    "content/drafts/**": DRAFTS,
    "content/drafts/*.md": {"content/drafts/a.md"},
    "content/drafts/**/*.md": DRAFTS,
    "content/drafts/": DRAFTS,
    "drafts/*": set(),  # a slash anchors it to the configuration's folder: no drafts/ there
    "/content/posts/*": POSTS_FOLDER,
    "drafts": ANY_DRAFTS,  # no slash: a name at any depth
    "drafts/": ANY_DRAFTS,
    "**/drafts/*": ANY_DRAFTS,
    "drafts.md": {"content/posts/drafts.md"},
    "*.md": set(POSTS),
    "content/*/c.md": {"content/posts/c.md"},
    "!content/posts/**": set(POSTS) - POSTS_FOLDER,  # alone, a negation matches all the rest
}


def make_site(root: Path, config: str = "") -> Path:
    return write_site(root, dict.fromkeys(POSTS, "No front matter here.\n"), config)


def reported(root: Path, config: Config | None) -> set[str]:
    found = api.run_paths([root / "content"], config, jobs=1).diagnostics
    return {str(Path(d.path).relative_to(root)) for d in found}


@pytest.mark.parametrize("pattern", list(MATCHES))
def test_exclude_and_per_file_ignores_match_the_same_files(tmp_path: Path, pattern: str) -> None:
    root = make_site(tmp_path / "site")
    base = Config(path=root / "postlint.toml", select=("frontmatter-missing",))
    expected = set(POSTS) - MATCHES[pattern]
    assert reported(root, base.with_overrides(exclude=(pattern,))) == expected
    ignores = {pattern: ("frontmatter-missing",)}
    assert reported(root, base.with_overrides(per_file_ignores=ignores)) == expected
    assert {p for p in POSTS if Globs([pattern], root).matches(root / p)} == MATCHES[pattern]


def test_a_later_negation_takes_a_file_back(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    patterns = ("content/drafts/**", "!content/drafts/2024/b.md")
    config = Config(path=root / "postlint.toml", select=("FM001",), exclude=patterns)
    assert reported(root, config) == set(POSTS) - {"content/drafts/a.md"}
    # the same lines in a .gitignore leave out the same file
    (root / ".gitignore").write_text("\n".join(patterns) + "\n")
    config = Config(path=root / "postlint.toml", select=("FM001",))
    assert reported(root, config) == set(POSTS) - {"content/drafts/a.md"}


def test_patterns_are_matched_from_the_folder_of_their_configuration(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    (root / "postlint.toml").write_text('select = ["FM001"]\nexclude = ["content/posts/c.md"]\n')
    (root / "content/drafts/postlint.toml").write_text(
        'select = ["FM001"]\n[per-file-ignores]\n"2024/*" = ["FM001"]\n"/a.md" = ["FM001"]\n'
    )
    assert reported(root, None) == set(POSTS) - DRAFTS - {"content/posts/c.md"}


def test_the_command_line_matches_as_the_api_does(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 'select = ["FM001"]\nexclude = ["content/drafts/*"]\n')
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    paths = {d["path"] for d in json.loads(result.stdout)["diagnostics"]}
    assert paths == set(POSTS) - DRAFTS
    (root / "postlint.toml").write_text(
        'select = ["FM001"]\n[per-file-ignores]\n"content/drafts/*" = ["FM001"]\n'
    )
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert {d["path"] for d in json.loads(result.stdout)["diagnostics"]} == set(POSTS) - DRAFTS


def test_gitignore_files_leave_posts_out_as_git_does(tmp_path: Path) -> None:
    """The repository's .gitignore above the site, the site's own and a nested one each match
    below their folder; a post they name is not checked, named or not, unless the site's
    configuration says `respect-gitignore = false`."""
    repo = tmp_path / "repo"
    root = make_site(repo / "blog", 'select = ["FM001"]\n')
    git(repo, "init", "-q")
    (repo / ".gitignore").write_text("# the repository's\nblog/content/index.md\n")
    (root / ".gitignore").write_text("content/drafts/\n")
    (root / "content/posts/.gitignore").write_text("*.md\n!c.md\n")
    expected = {"content/posts/c.md", "content/archive/drafts/d.md"}
    assert reported(root, api.load(root)[0]) == expected
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert {d["path"] for d in json.loads(result.stdout)["diagnostics"]} == expected
    named = run_cli("check", "--no-cache", "content/drafts/a.md", "content/posts/c.md", cwd=root)
    assert named.stderr == ("postlint: note: skipped content/drafts/a.md: a .gitignore names it\n")
    assert named.stdout.endswith("in 1 of 1 file checked.\n"), named.stdout
    (root / "postlint.toml").write_text('select = ["FM001"]\nrespect-gitignore = false\n')
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert {d["path"] for d in json.loads(result.stdout)["diagnostics"]} == set(POSTS)
    # a post git ignores is nothing `postlint init` learns from
    (root / "content/drafts/a.md").write_text('+++\ntitle = "A"\ntags = ["secret"]\n+++\nA.\n')
    (root / "content/posts/c.md").write_text('+++\ntitle = "C"\ntags = ["open"]\n+++\nC.\n')
    init = run_cli("init", "--stdout", cwd=root)
    assert init.returncode == 0, init.stderr
    assert '"open"' in init.stdout and "secret" not in init.stdout


def test_respect_gitignore_must_be_true_or_false(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 'respect-gitignore = "no"\n')
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        "postlint: error: postlint.toml:1: `respect-gitignore` must be true or false (got 'no').\n"
    )


def test_a_path_outside_the_configurations_folder_matches_only_unanchored_patterns(
    tmp_path: Path,
) -> None:
    globs = Globs(["*.md", "content/*"], tmp_path / "site")
    assert globs.matches(tmp_path / "elsewhere" / "a.md")
    assert not Globs(["content/*"], tmp_path / "site").matches(tmp_path / "content" / "a.md")
    assert Globs(["content/*"], tmp_path / "site").matches(tmp_path / "site" / "content" / "a.md")
