"""Family names wherever rules are selected, per-rule severity (issue 14), and chosen rules on a
string through the Python API (issue 17)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from postlint import ConfigError, api, lint_text
from postlint.config import Config
from postlint.registry import Catalogue
from tests.conftest import ROOT, run_cli

CATALOGUE = api.catalogue()
FM = '+++\ntitle = "Notes"\n+++\n'
# a misspelling (SPL001, warning) and vague link text (LNK008, warning)
POST = FM + "Thanks evryone, the report is [here](https://example.com/report).\n"


def names(catalogue: Catalogue, *selectors: str) -> set[str]:
    return {rule.name for rule in catalogue.select(selectors)}


def test_a_family_name_selects_its_rules() -> None:
    links = names(CATALOGUE, "links")
    assert links == {rule.name for rule in CATALOGUE.rules if rule.code.startswith("LNK")}
    assert "link-broken" in links and len(links) == 12
    # a family named like one of its rules means the whole family
    assert names(CATALOGUE, "readability") == {"readability", "sentence-length", "paragraph-length"}
    assert names(CATALOGUE, "frontmatter") >= {"frontmatter-date", "file-bom"}
    assert CATALOGUE.unknown_selectors(["links", "tags", "suppressions", "typography"]) == []
    assert CATALOGUE.unknown_selectors(["link"]) == ["link"]


def test_family_names_in_every_configuration_key(tmp_path: Path) -> None:
    config = Config(select=("links", "spelling"), ignore=("LNK008",))
    found = api.lint_text(POST, str(tmp_path / "a.md"), config)
    assert [d.rule for d in found] == ["spelling"]
    config = Config(per_file_ignores={"*": ("links",)})
    assert [d.rule for d in api.lint_text(POST, str(tmp_path / "a.md"), config)] == ["spelling"]


def test_cli_select_a_family(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": POST})
    result = run_cli("check", "--no-cache", "--select", "links", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stderr  # a warning, below the default fail-on
    found = json.loads(result.stdout)["diagnostics"]
    assert [d["rule"] for d in found] == ["link-vague-text"]
    result = run_cli("check", "--no-cache", "--select", "link", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        "postlint: error: --select: no rule is called or coded `link` (did you mean `links`?)\n"
    )


def test_the_most_specific_severity_wins() -> None:
    overrides = {"links": "info", "link-vague-text": "error", "LNK00": "warning", "ALL": "error"}
    severities = CATALOGUE.severities(CATALOGUE.rules, overrides)  # type: ignore[arg-type]
    assert severities["link-vague-text"] == "error"  # its name
    assert severities["link-internal-broken"] == "warning"  # LNK001: the code prefix LNK00
    assert severities["link-broken"] == "info"  # LNK010: the family
    assert severities["spelling"] == "error"  # ALL
    assert CATALOGUE.severities(CATALOGUE.rules, {})["spelling"] == "warning"


def test_severity_override_in_every_format_and_for_fail_on(site) -> None:  # type: ignore[no-untyped-def]
    config = 'fail-on = "warning"\nselect = ["spelling", "link-vague-text"]\n'
    root = site({"content/a.md": POST}, config=config)
    plain = run_cli("check", "--no-cache", cwd=root)
    assert plain.returncode == 1
    (root / "postlint.toml").write_text(config + '[severity]\nspelling = "info"\nLNK = "info"\n')
    json_run = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert json_run.returncode == 0, json_run.stderr  # nothing at or above warning any more
    found = json.loads(json_run.stdout)["diagnostics"]
    assert [(d["rule"], d["severity"]) for d in found] == [
        ("spelling", "info"),
        ("link-vague-text", "info"),
    ]
    sarif = json.loads(run_cli("check", "--no-cache", "--format", "sarif", cwd=root).stdout)
    assert {r["level"] for r in sarif["runs"][0]["results"]} == {"note"}
    text = run_cli("check", "--no-cache", cwd=root).stdout
    assert text.endswith("\nFound 2 problems (2 infos) in 1 of 1 file checked.\n")
    (root / "postlint.toml").write_text('[severity]\nspelling = "error"\n')
    assert run_cli("check", "--no-cache", cwd=root).returncode == 1  # fail-on error now fails


def test_lint_text_with_chosen_rules(tmp_path: Path) -> None:
    found = lint_text(POST, path=str(tmp_path / "a.md"), select=["spelling"])
    assert [(d.rule, d.line, d.column, d.end_column) for d in found] == [("spelling", 4, 8, 15)]
    both = lint_text(POST, path=str(tmp_path / "a.md"), select=["SPL", "links"])
    assert [d.rule for d in both] == ["spelling", "link-vague-text"]
    assert lint_text(POST, path=str(tmp_path / "a.md"), select=[]) == []


def test_lint_text_select_overrides_a_config(tmp_path: Path) -> None:
    config = tmp_path / "postlint.toml"
    config.write_text('select = ["links"]\n[severity]\nspelling = "info"\n')
    found = lint_text(POST, path=str(tmp_path / "a.md"), config=config, select=["spelling"])
    assert [(d.rule, d.severity) for d in found] == [("spelling", "info")]


def test_lint_text_unknown_selector_is_a_clear_error() -> None:
    with pytest.raises(ConfigError) as error:
        lint_text("Hello.", select=["spelling", "spellin"])
    assert str(error.value) == (
        "select: no rule is called or coded `spellin` (did you mean `spelling`?)"
    )


def test_the_readme_python_example_runs_as_written() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "select=[" in b)
    expected = [line.split("# ", 1)[1] for line in block.splitlines() if line.startswith("# ")]
    expected += [
        re.sub(r"^.*print\(error\)\s+# ", "", line)
        for line in block.splitlines()
        if "print(error)" in line
    ]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert out.getvalue().splitlines() == expected
