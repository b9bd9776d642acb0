"""The README's commands and CI recipes, run as written: command 1 in a fresh clone, the GitHub
workflow through the action, the GitLab job's script. Where a recipe reaches the public
repository, a local clone of this checkout tagged as the release stands in for it.

Installing postlint in a fresh environment needs the package registry: the tests that do are
marked ``network`` (POSTLINT_OFFLINE=1 skips them). The pre-commit recipes are in
test_precommit.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import validator_for

from postlint import __version__
from postlint.cli import FIRST_RUN_TIP
from tests.conftest import PUBLIC_HOME, ROOT, git, readme_blocks, run_cli, write_site
from tests.runner import Runner, load, text

RELEASE = f"v{__version__}"
offline = pytest.mark.skipif(os.environ.get("POSTLINT_OFFLINE") == "1", reason="POSTLINT_OFFLINE=1")
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())


def the_two_commands() -> tuple[str, str]:
    block = readme_blocks("sh")[0]
    lines = block.splitlines()
    assert lines[0].startswith("# 1. ") and lines[3].startswith("# 2. "), block
    return lines[1], lines[4]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.index("```sh\n# 1. ")
    assert "Python 3.11 or newer" in readme[:first_block]
    assert "externally-managed-environment" in readme[:first_block]
    one, two = the_two_commands()
    assert one.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert two.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert two in ci, f".ci/run must run the README's command 2 exactly: {two}"


def test_every_recipe_pins_this_release() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pins = re.findall(r"(?:rev: |postlint/postlint@|postlint@)(v[\w.]+)", readme)
    assert len(pins) >= 3 and set(pins) == {RELEASE}, pins
    assert f"## {__version__} " in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    assert 'version = "' + __version__ + '"' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.network
@offline
def test_command_one_in_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "postlint"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    one, _ = the_two_commands()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if not p.startswith(sys.prefix)
    )
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        ["bash", "-c", one], cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    # what a newcomer sees on the demo site: a first run (no cache yet) ends with the tuning tip
    demo = shutil.copytree(ROOT / "fixtures" / "sites" / "demo", tmp_path / "demo")
    expected = run_cli("check", cwd=demo).stdout
    assert expected.endswith(FIRST_RUN_TIP)
    assert done.stdout.endswith("\n" + expected), done.stdout[-3000:]
    assert (clone / ".venv" / "bin" / "postlint").exists()


def pull_request(root: Path) -> tuple[Path, str]:
    """A site whose base commit has an old post with findings; the head changes one line and
    adds a post. Returns the repository and the base commit."""
    old = '+++\ntitle = "Old"\n+++\nThe the harbour.\n\nThe quay was quiet.\n'
    write_site(root, {"content/old.md": old})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    base = git(root, "rev-parse", "HEAD")
    git(root, "update-ref", "refs/remotes/origin/main", base)
    git(root, "checkout", "-qb", "topic")
    (root / "content" / "old.md").write_text(old.replace("quay was", "quay was was"))
    (root / "content" / "new.md").write_text("+++\ntitle = 2\n+++\nNew.\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "head")
    return root, base


@pytest.mark.network
@offline
def test_gitlab_recipe(tmp_path: Path, release_clone: Path) -> None:
    (recipe,) = readme_blocks("yaml", "codequality:")
    job = yaml.safe_load(recipe)["postlint"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["variables"] == {"GIT_DEPTH": 0}
    image = tmp_path / "image"  # the job's image: a Python where pip installs
    venv.EnvBuilder(with_pip=True).create(image)
    repo, base = pull_request(tmp_path / "repo")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        "PATH": f"{image / 'bin'}{os.pathsep}/usr/bin:/bin",
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
    }

    def script(variables: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
        done = []
        for line in job["script"]:
            command = line.replace(PUBLIC_HOME, f"file://{release_clone}")
            done.append(
                subprocess.run(
                    ["bash", "-c", command],
                    cwd=repo,
                    env={**env, **variables},
                    capture_output=True,
                    text=True,
                    timeout=900,
                )
            )
            if done[-1].returncode:
                break
        return done

    install, check = script({})
    assert install.returncode == 0, install.stderr
    assert check.returncode == 1, check.stderr
    quality = json.loads((repo / "gl-code-quality.json").read_text())
    assert [(i["check_name"], i["location"]) for i in quality] == [
        (
            "FM005 frontmatter-field-type",
            {"path": "content/new.md", "lines": {"begin": 2, "end": 2}},
        ),
        ("TXT002 repeated-word", {"path": "content/old.md", "lines": {"begin": 6, "end": 6}}),
    ]  # not line 4's slip, which the base already had
    suites = ET.parse(repo / "postlint.xml").getroot()
    assert sum(int(s.get("failures", "0")) for s in suites.iter("testsuite")) == 2
    outside = script({"CI_MERGE_REQUEST_DIFF_BASE_SHA": ""})[-1]  # a branch pipeline
    assert outside.returncode == 2
    assert outside.stderr == (
        "postlint: error: --diff got an empty git ref (is the variable meant to hold it unset?)\n"
    )


class Workflow:
    """Plays the workflow's ``uses:`` steps: checkout is the repository already there, the
    action is the release clone's action.yml at the pinned tag, and the SARIF upload checks the
    file code scanning would receive."""

    def __init__(self, runner: Runner, release_clone: Path) -> None:
        self.runner = runner
        self.release_clone = release_clone
        self.uploaded: list[dict[str, Any]] = []

    def __call__(self, action: str, with_: dict[str, str], ctx: Any) -> dict[str, str] | int:
        name, _, ref = action.partition("@")
        if name == "actions/checkout":
            assert with_ == {"fetch-depth": "0"}
            return {}
        if name == "postlint/postlint":
            assert ref == RELEASE
            assert git(self.release_clone, "rev-parse", f"{ref}^{{commit}}") == git(
                self.release_clone, "rev-parse", "HEAD"
            )
            action_yml = load(self.release_clone / "action.yml")
            inputs = {k: text(v.get("default", "")) for k, v in action_yml["inputs"].items()}
            assert set(with_) <= set(inputs)
            code, _ = self.runner.run_steps(
                action_yml["runs"]["steps"], {**inputs, **with_}, self.composite, self.release_clone
            )
            return code
        if name == "github/codeql-action/upload-sarif":
            sarif = json.loads((self.runner.workspace / with_["sarif_file"]).read_text())
            validator_for(SCHEMA)(SCHEMA).validate(sarif)
            self.uploaded.append(sarif)
            return {}
        raise AssertionError(f"the workflow uses {action}, which this test cannot play")

    def composite(self, action: str, with_: dict[str, str], ctx: Any) -> dict[str, str] | int:
        if action.startswith("actions/setup-python@"):
            return {"python-path": sys.executable}
        raise AssertionError(f"the action uses {action}, which this test cannot play")


@pytest.mark.network
@offline
def test_github_workflow_recipe(tmp_path: Path, release_clone: Path) -> None:
    (recipe,) = readme_blocks("yaml", "runs-on:")
    workflow = yaml.safe_load(recipe)
    assert workflow[True] == "pull_request"  # `on:` reads as a boolean key in YAML 1.1
    assert workflow["permissions"] == {"contents": "read", "security-events": "write"}
    (job,) = workflow["jobs"].values()
    repo, _ = pull_request(tmp_path / "repo")
    runner = Runner(repo, tmp_path / "temp", {"GITHUB_BASE_REF": "main"})
    play = Workflow(runner, release_clone)
    code, _ = runner.run_steps(job["steps"], {}, play)
    assert code == 1  # the job fails: a new error on a changed line
    commands = [line for step in runner.steps for line in step.stdout.splitlines()]
    assert [c.split("::")[1] for c in commands if c.startswith("::")] == [
        "error file=content/new.md,line=2,col=1,endLine=2,endColumn=6,"
        "title=FM005 frontmatter-field-type",
        "warning file=content/old.md,line=6,col=14,endLine=6,endColumn=17,"
        "title=TXT002 repeated-word",
    ]
    assert runner.summary.read_text().startswith("## postlint: 2 problems in 2 files\n")
    (sarif,) = play.uploaded  # uploaded although postlint failed the job (`if: always()`)
    assert len(sarif["runs"][0]["results"]) == 2
