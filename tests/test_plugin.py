"""A third-party check package, installed by pip beside postlint, acts as a built-in.

The plugin is built and installed by the interpreter running the tests (the one postlint is
installed in, with the build tools the test extras pin), into a folder of its own put on the
path of the postlint subprocesses: nothing depends on what the base interpreter, or a child
environment made from it, happens to hold.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parent.parent / "fixtures" / "plugin" / "postlint-no-lorem"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed plugin (its package and its entry points)."""
    target = tmp_path_factory.mktemp("plugin")
    build = tmp_path_factory.mktemp("build")
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(PLUGIN),
        ],
        capture_output=True,
        text=True,
        cwd=build,
    )
    assert installed.returncode == 0, installed.stderr
    assert (target / "postlint_no_lorem-1.0.0.dist-info" / "entry_points.txt").is_file()
    return target


def postlint(plugins: Path | None, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    if plugins is not None:
        env["PYTHONPATH"] = str(plugins)
    return subprocess.run(
        [sys.executable, "-m", "postlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
    )


def test_plugin_rule_is_listed_selectable_suppressible_and_reports(
    plugin_path: Path, tmp_path: Path
) -> None:
    listed = postlint(plugin_path, "rules", "--format", "json", cwd=tmp_path)
    entry = next(r for r in json.loads(listed.stdout)["rules"] if r["name"] == "placeholder-text")
    assert entry["code"] == "LOR001" and entry["family"] == "no-lorem"
    post = tmp_path / "post.md"
    post.write_text(
        '+++\ntitle = "Launch"\n+++\nThe launch is on TK.\n\n'
        "<!-- postlint-disable-next-line placeholder-text -->\nLorem ipsum, kept on purpose.\n"
    )
    found = postlint(
        plugin_path,
        "check",
        "--no-cache",
        "--select",
        "LOR",
        "--format",
        "json",
        str(post),
        cwd=tmp_path,
    )
    assert found.returncode == 1, found.stderr
    (d,) = json.loads(found.stdout)["diagnostics"]
    assert (d["rule"], d["line"], d["column"], d["end_column"]) == ("placeholder-text", 4, 18, 20)
    assert d["message"] == "“TK” is placeholder text: replace it."
    ignored = postlint(
        plugin_path,
        "check",
        "--no-cache",
        "--ignore",
        "placeholder-text",
        "--select",
        "LOR",
        str(post),
        cwd=tmp_path,
    )
    assert ignored.returncode == 0
    (tmp_path / "postlint.toml").write_text('[no-lorem]\nwords = ["FIXME"]\n')
    post.write_text('+++\ntitle = "Launch"\n+++\nFIXME: the date.\n')
    configured = postlint(
        plugin_path,
        "check",
        "--no-cache",
        "--select",
        "LOR",
        "--format",
        "json",
        str(post),
        cwd=tmp_path,
    )
    assert [d["message"] for d in json.loads(configured.stdout)["diagnostics"]] == [
        "“FIXME” is placeholder text: replace it."
    ]


def test_without_the_plugin_the_rule_is_unknown(tmp_path: Path) -> None:
    result = postlint(None, "rule", "placeholder-text", cwd=tmp_path)
    assert result.returncode == 2
    assert "no rule is called or coded `placeholder-text`" in result.stderr
