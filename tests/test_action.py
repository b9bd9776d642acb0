"""The GitHub Action (``action.yml``), its steps run as the runner runs them, on a repository with
a base and a head commit: annotations, the job summary, SARIF, changed lines only, the link cache.

The action installs postlint in a fresh virtual environment, so the dependencies come from the
package registry: marked ``network`` (POSTLINT_OFFLINE=1 skips it).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from tests.conftest import git, write_site
from tests.httpservers import LoopbackServer, LoopbackServers, Reply
from tests.runner import Runner, load, text

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(os.environ.get("POSTLINT_OFFLINE") == "1", reason="POSTLINT_OFFLINE=1"),
]
ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
PUBLIC_HOME = "https://github.com/postlint/postlint"

OLD = (
    '+++\ntitle = "Harbour notes"\n+++\n'
    "We walked to the the pier at dawn.\n\n"  # line 4: a legacy slip
    "The gulls were loud.\n\n"
    "Read about [the pier](/missing/).\n"  # line 8: legacy, an error
)


def pull_request(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A repository whose `main` (also `origin/main`) has an old post with findings, and a head
    commit that changes one of its lines and adds a post."""
    write_site(root, {"content/old.md": OLD, **(extra or {})})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-qb", "topic")
    post = root / "content" / "old.md"
    post.write_text(OLD.replace("The gulls were loud.", "The gulls were were loud."))
    (root / "content" / "new.md").write_text("+++\ntitle = 7\n+++\nA new post.\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "head")
    return root


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One RUNNER_TEMP for the module's runs, so postlint's environment is built once."""
    return tmp_path_factory.mktemp("runner-temp")


class Actions:
    """Plays the ``uses:`` steps of the action: setup-python gives this interpreter, and the
    cache step records the folder it would restore and save."""

    def __init__(self) -> None:
        self.cached: list[str] = []

    def __call__(self, action: str, with_: dict[str, str], ctx: Any) -> dict[str, str] | int:
        name = action.split("@")[0]
        if name == "actions/setup-python":
            assert with_["update-environment"] == "false"
            return {"python-path": sys.executable}
        if name == "actions/cache":
            self.cached.append(with_["path"])
            return {}
        raise AssertionError(f"the action uses {action}, which this test cannot play")


def run_action(
    workspace: Path,
    temp: Path,
    inputs: dict[str, str],
    event: dict[str, str] | None = None,
    action_dir: Path = ROOT,
    actions: Actions | None = None,
) -> tuple[int, dict[str, dict[str, str]], Runner]:
    action = load(action_dir / "action.yml")
    given = {name: text(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(given)
    assert not unknown, f"the action has no input {unknown}"
    runner = Runner(workspace, temp, {"GITHUB_BASE_REF": "", **(event or {})})
    runner.summary.unlink(missing_ok=True)
    code, outputs = runner.run_steps(
        action["runs"]["steps"], {**given, **inputs}, actions or Actions(), action_dir
    )
    return code, outputs, runner


def annotations(runner: Runner) -> list[tuple[str, str, int, str]]:
    """(level, file, line, title) of each workflow command the run step printed."""
    found = []
    for step in runner.steps:
        for line in step.stdout.splitlines():
            match = re.match(
                r"::(error|warning|notice) file=([^,]*),line=(\d+),.*title=([^:]*)::", line
            )
            if match:
                level, file, number, title = match.groups()
                found.append((level, file, int(number), title.replace("%20", " ")))
    return found


def test_whole_files_annotations_summary_and_sarif(tmp_path: Path, runner_temp: Path) -> None:
    repo = pull_request(tmp_path / "repo")
    code, outputs, runner = run_action(repo, runner_temp, {"sarif": "postlint.sarif"})
    assert code == 1, [(s.name, s.returncode, s.stderr) for s in runner.steps]
    assert outputs["check"] == {"sarif": "postlint.sarif", "exit-code": "1"}
    assert [step.skipped for step in runner.steps] == [False, False, True, False]  # no link cache
    assert annotations(runner) == [  # errors first
        ("error", "content/new.md", 2, "FM005 frontmatter-field-type"),
        ("error", "content/old.md", 8, "LNK001 link-internal-broken"),
        ("warning", "content/old.md", 4, "TXT002 repeated-word"),
        ("warning", "content/old.md", 6, "TXT002 repeated-word"),
    ]
    summary = runner.summary.read_text()
    assert summary.startswith("## postlint: 4 problems in 2 files\n")
    assert "frontmatter-field-type" in summary and "link-internal-broken" in summary
    sarif = json.loads((repo / "postlint.sarif").read_text())
    validator_for(SCHEMA)(SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    ) == [
        ("content/new.md", 2),
        ("content/old.md", 4),
        ("content/old.md", 6),
        ("content/old.md", 8),
    ]
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["FM005"]["helpUri"] == (
        f"{PUBLIC_HOME}/blob/main/docs/rules/frontmatter-field-type.md"
    )


def test_only_changed_lines_of_the_pull_request(tmp_path: Path, runner_temp: Path) -> None:
    repo = pull_request(tmp_path / "repo")
    inputs = {"only-changed": "true", "fail-on": "warning"}
    code, outputs, runner = run_action(repo, runner_temp, inputs, {"GITHUB_BASE_REF": "main"})
    assert code == 1 and outputs["check"]["exit-code"] == "1"
    assert annotations(runner) == [
        ("error", "content/new.md", 2, "FM005 frontmatter-field-type"),
        ("warning", "content/old.md", 6, "TXT002 repeated-word"),
    ]
    assert runner.summary.read_text().startswith("## postlint: 2 problems in 2 files\n")
    # fail-on decides: the same run passes when only errors fail and none is on a changed line
    (repo / "content" / "new.md").write_text('+++\ntitle = "Seven"\n+++\nA new post.\n')
    git(repo, "commit", "-qam", "fix the title")
    code, outputs, runner = run_action(
        repo, runner_temp, {"only-changed": "true"}, {"GITHUB_BASE_REF": "main"}
    )
    assert code == 0 and outputs["check"]["exit-code"] == "0"
    assert annotations(runner) == [("warning", "content/old.md", 6, "TXT002 repeated-word")]


def test_only_changed_outside_a_pull_request_fails_loudly(
    tmp_path: Path, runner_temp: Path
) -> None:
    repo = pull_request(tmp_path / "repo")
    code, _, runner = run_action(repo, runner_temp, {"only-changed": "true"})
    assert code == 2
    check = runner.steps[-1]
    assert check.stdout == (
        "::error title=postlint::only-changed needs a pull_request event: "
        "GITHUB_BASE_REF is empty\n"
    )
    assert runner.summary.read_text() == (
        "postlint could not run: only-changed needs a pull_request event: "
        "GITHUB_BASE_REF is empty\n"
    )


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServers() as group:
        yield group.add(lambda request: Reply(200))


def test_external_links_with_the_cache_kept_between_runs(
    tmp_path: Path, runner_temp: Path, server: LoopbackServer
) -> None:
    post = f'+++\ntitle = "Links"\n+++\nSee [the timetable]({server.url("/times")}).\n'
    repo = pull_request(tmp_path / "repo", {"content/links.md": post})
    (repo / "postlint.toml").write_text("[links]\ncheck-private-addresses = true\n")
    actions = Actions()
    inputs = {"external": "true", "paths": "content/links.md"}
    first, _, _ = run_action(repo, runner_temp, inputs, actions=actions)
    assert first == 0 and server.count("/times") == 1
    second, _, _ = run_action(repo, runner_temp, inputs, actions=actions)
    assert second == 0 and server.count("/times") == 1  # answered from the kept cache
    cache = Path(runner_temp, "postlint-cache")
    assert actions.cached == [str(cache)] * 2 and (cache / "linkcheck.json").is_file()


def test_version_input_installs_that_release(tmp_path: Path, release_clone: Path) -> None:
    """`version: v0.1.0` installs the tagged release from the repository (here its local clone)."""
    action_dir = tmp_path / "action"
    action_dir.mkdir()
    text = (release_clone / "action.yml").read_text()
    assert PUBLIC_HOME in text
    (action_dir / "action.yml").write_text(text.replace(PUBLIC_HOME, f"file://{release_clone}"))
    from postlint import __version__

    repo = pull_request(tmp_path / "repo")
    code, _, runner = run_action(
        repo, tmp_path / "temp", {"version": f"v{__version__}"}, action_dir=action_dir
    )
    install = runner.steps[1]
    assert install.returncode == 0, install.stderr
    assert install.stdout == f"postlint {__version__}\n"
    assert code == 1 and len(annotations(runner)) == 4
