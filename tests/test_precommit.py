"""The pre-commit hooks and the README's pre-commit recipes, run by the real pre-commit and git.

pre-commit installs postlint into its own environment from the repository the configuration
names: here a local clone of this checkout tagged as the release (the README's
``https://github.com/postlint/postlint`` at ``rev: v0.1.0``), with the dependencies from the
package registry. So the tests are marked ``network``: POSTLINT_OFFLINE=1 skips them. They share
one PRE_COMMIT_HOME, so the hooks' environment is built once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PUBLIC_HOME, ROOT, readme_blocks, run_cli, write_site
from tests.httpservers import LoopbackServer, LoopbackServers, Reply

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(os.environ.get("POSTLINT_OFFLINE") == "1", reason="POSTLINT_OFFLINE=1"),
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed"),
]


def test_hooks_file_is_well_formed() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"postlint", "postlint-changed", "postlint-fix", "postlint-links"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["types"] == ["markdown"]
        assert hook["minimum_pre_commit_version"] == "3.2.0"
    assert by_id["postlint"]["entry"] == "postlint check"
    assert by_id["postlint-changed"]["entry"] == "postlint check --staged"
    assert by_id["postlint-fix"]["entry"] == "postlint check --fix --staged"
    assert by_id["postlint-links"]["entry"] == "postlint check --external"
    assert by_id["postlint-links"]["stages"] == ["manual", "pre-push"]


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=check,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=900,
    )


ENV: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    ENV.clear()
    ENV.update(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", TERM="dumb")
    ENV.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    ENV.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    yield


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pre-commit", *args], cwd=repo, env=ENV, capture_output=True, text=True, timeout=900
    )


def readme_config(release_clone: Path) -> dict[str, Any]:
    """The README's `.pre-commit-config.yaml`, pointing at the local clone of the release."""
    (recipe,) = readme_blocks("yaml", "repos:")
    config = yaml.safe_load(recipe.replace(PUBLIC_HOME, str(release_clone)))
    assert config["repos"][0]["rev"] == git(release_clone, "describe", "--tags").stdout.strip()
    return config  # type: ignore[no-any-return]


def make_repo(root: Path, files: dict[str, str], config: dict[str, Any], toml: str = "") -> Path:
    write_site(root, files, toml)
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the blog so far")
    return root


def test_postlint_hook_fails_on_a_bad_post_and_passes_once_fixed(
    tmp_path: Path, release_clone: Path
) -> None:
    config = readme_config(release_clone)
    config["repos"][0]["hooks"] = [{"id": "postlint"}]
    repo = make_repo(
        tmp_path / "repo",
        {
            "content/good.md": '+++\ntitle = "Fine"\n+++\nA fine post.\n',
            "content/bad.md": "+++\ntitle = 3\n+++\nA post with a numeric title.\n",
        },
        config,
    )
    failed = pre_commit(repo, "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert (
        "content/bad.md:2:1: FM005 `title` should be a string, not the number 3." in failed.stdout
    )
    (repo / "content" / "bad.md").write_text('+++\ntitle = "Three"\n+++\nA post with a title.\n')
    git(repo, "add", "-A")
    passed = pre_commit(repo, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr


LEGACY = (
    '+++\ntitle = "Harbour notes"\n+++\n'
    "We walked to the the pier at dawn.\n\n"  # line 4
    "Boats came in in the fog.\n\n"  # line 6
    "The gulls were loud.\n"  # line 8: the line the commit edits
)


def test_readme_recipe_changed_lines_and_fixes_on_a_legacy_site(
    tmp_path: Path, release_clone: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"content/old.md": LEGACY},
        readme_config(release_clone),
        toml='fail-on = "warning"\n',
    )
    installed = pre_commit(repo, "install")
    assert installed.returncode == 0, installed.stderr
    post = repo / "content" / "old.md"
    edited = LEGACY.replace("The gulls were loud.", "The gulls were loud and and hungry.")
    post.write_text(edited)
    git(repo, "add", "-A")
    first = git(repo, "commit", "-qm", "gulls", check=False)
    assert first.returncode == 1, first.stdout + first.stderr
    output = first.stdout + first.stderr
    # postlint-changed: only the edited line, although lines 4 and 6 have slips too
    assert "content/old.md:8:25: TXT002 `and` is repeated: remove the second one." in output
    assert "content/old.md:4:" not in output and "content/old.md:6:" not in output
    assert "files were modified by this hook" in output  # postlint-fix fixed line 8 only
    assert post.read_text() == edited.replace("and and", "and")  # lines 4 and 6 untouched
    git(repo, "add", "-A")
    second = git(repo, "commit", "-qm", "gulls", check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    diff = git(repo, "show", "--format=", "--unified=0", "HEAD").stdout
    assert [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"
    ] == [
        "-The gulls were loud.",
        "+The gulls were loud and hungry.",
    ]
    # a new post: all its lines are new
    (repo / "content" / "new.md").write_text("+++\ntitle = 5\n+++\nA new post.\n")
    git(repo, "add", "-A")
    added = git(repo, "commit", "-qm", "new post", check=False)
    assert added.returncode == 1
    assert "content/new.md:2:1: FM005" in added.stdout + added.stderr


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServers() as group:
        yield group.add(lambda request: Reply(200 if request.path == "/times" else 404))


def test_readme_recipe_links_on_push_and_by_hand(
    tmp_path: Path, release_clone: Path, server: LoopbackServer
) -> None:
    post = f'+++\ntitle = "Ferries"\n+++\nSee [the timetable]({server.url("/old-times")}).\n'
    repo = make_repo(
        tmp_path / "repo",
        {"content/ferries.md": post},
        readme_config(release_clone),
        toml="[links]\ncheck-private-addresses = true\n",
    )
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    for hook_type in ("pre-commit", "pre-push"):
        assert pre_commit(repo, "install", "--hook-type", hook_type).returncode == 0
    pushed = git(repo, "push", "-q", "origin", "main", check=False)
    assert pushed.returncode == 1, pushed.stdout + pushed.stderr
    assert (
        "content/ferries.md:4:21: LNK010 This link is broken (404 Not Found"
        in pushed.stdout + pushed.stderr
    )
    by_hand = pre_commit(repo, "run", "postlint-links", "--hook-stage", "manual", "--all-files")
    assert (
        by_hand.returncode == 1
        and "content/ferries.md:4:21: LNK010 This link is broken (404 Not Found" in by_hand.stdout
    )
    (repo / "content" / "ferries.md").write_text(post.replace("/old-times", "/times"))
    git(repo, "commit", "-qam", "fix the link")
    pushed = git(repo, "push", "-q", "origin", "main", check=False)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert server.count("/times") >= 1


def test_readme_recipe_for_an_existing_blog(tmp_path: Path, release_clone: Path) -> None:
    config = readme_config(release_clone)
    config["repos"][0]["hooks"] = [{"id": "postlint"}]  # whole files: the baseline does the work
    (setting,) = readme_blocks("toml", "baseline =")
    toml = 'fail-on = "warning"\n' + setting
    repo = make_repo(tmp_path / "repo", {"content/old.md": LEGACY}, config, toml=toml)
    (command,) = readme_blocks("sh", "postlint baseline")
    made = run_cli(*command.split("#")[0].split()[1:], "--no-cache", cwd=repo)
    assert made.returncode == 0 and (repo / ".postlint-baseline.json").is_file()
    git(repo, "add", "-A")
    assert pre_commit(repo, "run", "--all-files").returncode == 0  # the old slips are recorded
    (repo / "content" / "old.md").write_text(LEGACY + "\nA new new slip.\n")
    git(repo, "add", "-A")
    failed = pre_commit(repo, "run", "--all-files")
    assert failed.returncode == 1
    assert "content/old.md:10:7: TXT002" in failed.stdout
    assert "content/old.md:4:" not in failed.stdout and "content/old.md:6:" not in failed.stdout


def test_a_draft_is_judged_by_its_folders_configuration_as_in_the_whole_site(
    tmp_path: Path, release_clone: Path
) -> None:
    """pre-commit names the one draft a commit changes; the findings on it are those of the
    whole-site run (CI), from the drafts folder's own configuration (issue 14)."""
    from tests.test_project import FILES, ROOT_CONFIG, SITE_CONFIG

    config = readme_config(release_clone)
    config["repos"][0]["hooks"] = [{"id": "postlint", "verbose": True}]
    files = {**FILES, "config.toml": SITE_CONFIG}
    repo = make_repo(tmp_path / "repo", files, config, toml=ROOT_CONFIG)  # type: ignore[arg-type]
    draft = repo / "content/drafts/plan.md"
    draft.write_text(draft.read_text() + "\nMore to come.\n")
    git(repo, "add", "-A")
    hook = pre_commit(repo, "run")
    # the drafts' `fail-on = "never"`: the hook shows their findings and passes
    assert hook.returncode == 0, hook.stdout + hook.stderr
    whole = run_cli("check", "--no-cache", cwd=repo)
    on_draft = [line for line in whole.stdout.splitlines() if line.startswith("content/drafts/")]
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in on_draft] == [
        "FM004",
        "TAG002",
        "LNK002",
    ]
    shown = [line for line in hook.stdout.splitlines() if line.startswith("content/")]
    assert shown == on_draft
