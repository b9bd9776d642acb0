"""A third-party check package, installed in a fresh virtual environment, acts as a built-in."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parent.parent / "fixtures" / "plugin" / "postlint-no-lorem"


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment that sees postlint (from this interpreter) plus the plugin."""
    env = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    # this interpreter's packages (postlint, setuptools), also when it runs in a virtual
    # environment, whose packages system_site_packages would not see
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    outer = sysconfig.get_paths()["purelib"]
    Path(purelib, "outer.pth").write_text(f"import site; site.addsitedir({outer!r})\n")
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            str(PLUGIN),
        ],
        check=True,
        capture_output=True,
        cwd=build,
    )
    return python


def postlint(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "postlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )


def test_plugin_rule_is_listed_selectable_suppressible_and_reports(
    plugin_python: Path, tmp_path: Path
) -> None:
    listed = postlint(plugin_python, "rules", "--format", "json", cwd=tmp_path)
    entry = next(r for r in json.loads(listed.stdout)["rules"] if r["name"] == "placeholder-text")
    assert entry["code"] == "LOR001" and entry["family"] == "no-lorem"
    post = tmp_path / "post.md"
    post.write_text(
        '+++\ntitle = "Launch"\n+++\nThe launch is on TK.\n\n'
        "<!-- postlint-disable-next-line placeholder-text -->\nLorem ipsum, kept on purpose.\n"
    )
    found = postlint(
        plugin_python,
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
        plugin_python,
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
        plugin_python,
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
    assert sys.executable  # the plugin ran under another interpreter than the test's


def test_without_the_plugin_the_rule_is_unknown(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "postlint", "rule", "placeholder-text"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
