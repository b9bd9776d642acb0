"""What a person reads: the summary line, --statistics, --min-severity, the first-run tip.

Run as a subprocess, exactly as users run it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_site

HEAD = '+++\ntitle = "Post"\n+++\n'
BROKEN = HEAD + "An image: ![chart](/images/missing.png)\n\nWe read the the report.\n"
TIDY = HEAD + "Nothing to see.\n"


def site(tmp_path: Path, config: str = "") -> Path:
    return write_site(
        tmp_path,
        {
            "content/a.md": BROKEN,
            "content/b.md": TIDY,
            "static/images/unused.png": b"\x89PNG\r\n\x1a\n",
        },
        config=config,
    )


def test_summary_says_what_was_checked_and_where_the_findings_are(tmp_path: Path) -> None:
    root = site(tmp_path)
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        "Found 3 problems (1 error, 1 warning, 1 info): 2 in 1 of 2 files checked, "
        "1 in 1 other file (not posts)."
    )


def test_statistics_count_each_rule_instead_of_listing_findings(tmp_path: Path) -> None:
    root = site(tmp_path)
    result = run_cli("check", "--no-cache", "--statistics", cwd=root)
    assert result.returncode == 1  # the exit code still follows fail-on
    assert result.stdout == (
        "1  IMG001  image-missing  error\n"
        "1  IMG005  image-unused   info\n"
        "1  TXT002  repeated-word  warning  1 fixable\n"
        "3  in all\n"
    )
    as_json = run_cli("check", "--no-cache", "--statistics", "--format", "json", cwd=root)
    assert json.loads(as_json.stdout) == {
        "version": 1,
        "statistics": [
            {
                "code": "IMG001",
                "name": "image-missing",
                "severity": "error",
                "count": 1,
                "fixable": 0,
            },
            {
                "code": "IMG005",
                "name": "image-unused",
                "severity": "info",
                "count": 1,
                "fixable": 0,
            },
            {
                "code": "TXT002",
                "name": "repeated-word",
                "severity": "warning",
                "count": 1,
                "fixable": 1,
            },
        ],
    }
    refused = run_cli("check", "--no-cache", "--statistics", "--format", "sarif", cwd=root)
    assert refused.returncode == 2
    assert refused.stderr == "postlint: error: --statistics prints text or json, not sarif\n"


def test_min_severity_hides_findings_in_every_format(tmp_path: Path) -> None:
    root = site(tmp_path)
    text = run_cli("check", "--no-cache", "--min-severity", "warning", cwd=root)
    assert "IMG005" not in text.stdout and "TXT002" in text.stdout
    as_json = run_cli(
        "check", "--no-cache", "--min-severity", "error", "--format", "json", cwd=root
    )
    assert [d["code"] for d in json.loads(as_json.stdout)["diagnostics"]] == ["IMG001"]
    sarif = run_cli("check", "--no-cache", "--min-severity", "error", "--format", "sarif", cwd=root)
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["IMG001"]
    # hidden findings do not fail the run either: fail-on judges what is shown
    quiet = run_cli(
        "check", "--no-cache", "--min-severity", "error", "--fail-on", "info", cwd=tmp_path
    )
    assert quiet.returncode == 1 and "TXT002" not in quiet.stdout


def test_min_severity_is_a_configuration_key(tmp_path: Path) -> None:
    root = site(tmp_path, config='min-severity = "error"\n')
    result = run_cli("check", "--no-cache", "--format", "github", cwd=root)
    assert result.stdout.count("::error ") == 1 and "IMG001" in result.stdout
    assert "::warning " not in result.stdout and "::notice " not in result.stdout
    overridden = run_cli("check", "--no-cache", "--min-severity", "info", cwd=root)
    assert "IMG005" in overridden.stdout
    bad = write_site(tmp_path / "bad", {"content/a.md": TIDY}, config='min-severity = "loud"\n')
    refused = run_cli("check", "--no-cache", cwd=bad)
    assert refused.returncode == 2
    assert "`min-severity` must be one of error, warning, info (got 'loud')" in refused.stderr


def test_first_run_without_configuration_ends_with_how_to_tune_it(tmp_path: Path) -> None:
    root = site(tmp_path)
    first = run_cli("check", cwd=root)
    tip = (
        "Tune this for your site: `postlint init` writes a postlint.toml (with the style rules "
        "that are off, to turn on), and `postlint check --statistics` counts the findings per "
        "rule."
    )
    assert first.stdout.splitlines()[-1] == tip
    second = run_cli("check", cwd=root)  # the cache is there now: not the first run
    assert tip not in second.stdout
    configured = site(tmp_path / "configured", config='fail-on = "error"\n')
    assert tip not in run_cli("check", cwd=configured).stdout


def test_init_offers_the_style_rules_that_are_off_commented(tmp_path: Path) -> None:
    root = site(tmp_path)
    result = run_cli("init", "--stdout", cwd=root)
    lines = result.stdout.splitlines()
    (line,) = [x for x in lines if x.startswith("# extend-select = [")]
    for name in ("typography", "plain-words", "extra-whitespace"):
        assert f'"{name}"' in line
    # uncommented, the line is a configuration that selects those rules
    (root / "postlint.toml").write_text(
        "\n".join(x[2:] if x is line else x for x in lines) + "\n", encoding="utf-8"
    )
    (root / "content" / "c.md").write_text(HEAD + "Wait... we said. \n", encoding="utf-8")
    counted = run_cli("check", "--no-cache", "--statistics", cwd=root)
    assert counted.returncode == 1, counted.stderr
    assert "TYP003  three-dots" in counted.stdout
    assert "TXT007  extra-whitespace" in counted.stdout
