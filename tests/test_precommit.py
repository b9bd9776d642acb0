"""The pre-commit hooks, run by the real pre-commit against this checkout's current commit.

pre-commit installs postlint into its own environment from the package registry, so the test is
marked ``network``: set POSTLINT_OFFLINE=1 to skip it where no registry can be reached. CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import write_site

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(os.environ.get("POSTLINT_OFFLINE") == "1", reason="POSTLINT_OFFLINE=1"),
]


def test_hooks_file_is_well_formed() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"postlint", "postlint-fix", "postlint-links"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["types"] == ["markdown"]
        assert hook["minimum_pre_commit_version"] == "3.2.0"
    assert by_id["postlint-links"]["stages"] == ["manual", "pre-push"]
    assert "--external" in by_id["postlint-links"]["entry"]
    assert "--fix" in by_id["postlint-fix"]["entry"]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_pre_commit_fails_on_a_bad_post_and_passes_once_fixed(tmp_path: Path) -> None:
    head = git(ROOT, "rev-parse", "HEAD")
    repo = write_site(
        tmp_path / "repo",
        {
            "content/good.md": '+++\ntitle = "Fine"\n+++\nA fine post.\n',
            "content/bad.md": "+++\ntitle = 3\n+++\nA post with a numeric title.\n",
        },
    )
    config = {"repos": [{"repo": str(ROOT), "rev": head, "hooks": [{"id": "postlint"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "run", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert (
        "content/bad.md:2:1: FM005 `title` should be a string, not the number 3." in failed.stdout
    )
    (repo / "content" / "bad.md").write_text('+++\ntitle = "Three"\n+++\nA post with a title.\n')
    git(repo, "add", "-A")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
