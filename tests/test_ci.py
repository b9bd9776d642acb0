"""CI use end to end: every format from one run agrees, pull-request mode, and baselines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from jsonschema.validators import validator_for

from tests.conftest import git, run_cli

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
GOOD = '+++\ntitle = "Fine"\n+++\nA fine post.\n'
BAD = '\ufeff+++\ntitle = 3\ndraft = "no"\n+++\nBody.\n'


def test_all_formats_from_one_run_agree(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": BAD, "content/b post.md": BAD, "content/ok.md": GOOD})
    out = tmp_path / "out"
    outputs = [
        f"--output-format={fmt}={out / ('r.' + fmt)}"
        for fmt in ("sarif", "junit", "markdown", "github")
    ]
    result = run_cli("check", "--no-cache", "--format", "json", *outputs, cwd=root)
    assert result.returncode == 1
    diagnostics = json.loads(result.stdout)["diagnostics"]
    # three per bad post; `b post.md` is fine as a name: Zola slugifies it into the URL
    assert len(diagnostics) == 6
    positions = sorted(
        (d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"])
        for d in diagnostics
    )

    sarif = json.loads((out / "r.sarif").read_text())
    validator_for(SCHEMA)(SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    sarif_positions = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].replace("%20", " "),
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["locations"][0]["physicalLocation"]["region"]["endLine"],
            r["locations"][0]["physicalLocation"]["region"]["endColumn"],
            r["ruleId"],
        )
        for r in results
    )
    assert sarif_positions == positions
    assert any("fixes" in r for r in results)

    github = (out / "r.github").read_text().splitlines()
    assert len(github) == 6
    assert github[0].startswith(  # errors first
        "::error file=content/a.md,line=2,col=1,endLine=2,endColumn=6,title=FM005 "
    )
    assert github[-1].startswith(
        "::warning file=content/b post.md,line=1,col=1,endLine=1,endColumn=1,title=FM101 "
    )

    suites = ET.parse(out / "r.junit").getroot()
    assert sum(int(s.get("failures", "0")) for s in suites.iter("testsuite")) == 6
    assert {s.get("name") for s in suites.iter("testsuite")} == {
        "content/a.md",
        "content/b post.md",
    }

    markdown = (out / "r.markdown").read_text()
    assert "6 problems" in markdown and "<details>" in markdown


def test_diff_and_staged_report_only_changed_lines(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/old.md": "+++\ntitle = 3\n+++\nOld.\n", "content/edit.md": GOOD})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    (root / "content" / "edit.md").write_text(
        '+++\ntitle = "Fine"\ndraft = "no"\n+++\nA fine post.\n'
    )
    (root / "content" / "new.md").write_text("+++\ntitle = 5\n+++\nNew.\n")

    def paths_lines(*args: str) -> list[tuple[str, int]]:
        result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=root)
        return [(d["path"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]]

    assert paths_lines() == [("content/edit.md", 3), ("content/new.md", 2), ("content/old.md", 2)]
    assert paths_lines("--diff", "HEAD") == [("content/edit.md", 3), ("content/new.md", 2)]
    assert paths_lines("--staged") == []
    git(root, "add", "content/new.md")
    assert paths_lines("--staged") == [("content/new.md", 2)]
    bad_ref = run_cli("check", "--diff", "no-such-branch", cwd=root)
    assert bad_ref.returncode == 2
    assert bad_ref.stderr == "postlint: error: --diff: `no-such-branch` is not a commit git knows\n"


def test_baseline_hides_known_findings_even_when_lines_move(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": "+++\ntitle = 3\n+++\nBody.\n"})
    made = run_cli("baseline", "--no-cache", cwd=root)
    assert made.returncode == 0 and made.stdout == "Wrote 1 finding to .postlint-baseline.json.\n"
    clean = run_cli("check", "--no-cache", "--baseline", ".postlint-baseline.json", cwd=root)
    assert clean.returncode == 0
    (root / "content" / "a.md").write_text(
        '+++\ndate = 2024-01-01\n\ntitle = 3\ndraft = "no"\n+++\nBody.\n'
    )
    moved = run_cli(
        "check", "--no-cache", "--baseline", ".postlint-baseline.json", "--format", "json", cwd=root
    )
    assert [(d["rule"], d["line"]) for d in json.loads(moved.stdout)["diagnostics"]] == [
        ("frontmatter-field-type", 5)
    ]
    missing = run_cli("check", "--baseline", "nope.json", cwd=root)
    assert missing.returncode == 2
    assert "no such baseline file" in missing.stderr


def test_gitlab_code_quality(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": BAD, "content/ok.md": GOOD})
    report = tmp_path / "gl.json"
    result = run_cli("check", "--no-cache", f"--output-format=gitlab={report}", cwd=root)
    assert result.returncode == 1
    issues = json.loads(report.read_text())
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("FM101 file-bom", "minor", {"path": "content/a.md", "lines": {"begin": 1, "end": 1}}),
        (
            "FM005 frontmatter-field-type",
            "major",
            {"path": "content/a.md", "lines": {"begin": 2, "end": 2}},
        ),
        (
            "FM005 frontmatter-field-type",
            "major",
            {"path": "content/a.md", "lines": {"begin": 3, "end": 3}},
        ),
    ]
    assert len({i["fingerprint"] for i in issues}) == 3


LEGACY = (
    '+++\ntitle = "Old"\n+++\n'
    "We went to the the harbour.\n\n"
    "The boats were were late.\n\n"
    "A quiet line.\n"
)


def test_a_misreadable_diff_or_dry_run_fails_loudly(site) -> None:  # type: ignore[no-untyped-def]
    files = {f"content/p{n}.md": f"+++\ntitle = {n}\n+++\nBody.\n" for n in range(19)}
    root = site(files)
    git(root, "init", "-q")
    pointer = (
        "postlint: error: --diff needs a git ref (`--diff origin/main`); "
        "to print the fixes as a diff, use `--fix --dry-run`\n"
    )
    empty = (
        "postlint: error: --diff got an empty git ref (is the variable meant to hold it unset?)\n"
    )
    cases = {
        ("--diff",): pointer,
        ("--diff", "--format", "json"): pointer,  # `--diff $BASE --format json`, BASE unset
        ("--diff", ""): empty,  # `--diff "$BASE"`, BASE unset
        ("--diff=",): empty,
        ("--diff", "content"): "postlint: error: --diff takes a git ref, and `content` is a path; "
        "to print the fixes as a diff, use `--fix --dry-run content`\n",
        ("--dry-run",): "postlint: error: --dry-run goes with --fix: "
        "`postlint check --fix --dry-run` shows fixes\n",
        ("--diff", "HEAD", "--staged"): "postlint: error: --diff and --staged cannot be "
        "combined: use one or the other\n",
    }
    for args, stderr in cases.items():
        result = run_cli("check", "--no-cache", *args, cwd=root)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", stderr), args
    everything = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert everything.returncode == 1
    assert json.loads(everything.stdout)["summary"]["error"] == 19


def test_fix_with_diff_fixes_only_what_it_reports(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/old.md": LEGACY})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    post = root / "content" / "old.md"
    edited = LEGACY.replace("A quiet line.", "A quiet quiet line.")
    post.write_text(edited)

    def lines(*args: str) -> list[tuple[int, str]]:
        result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=root)
        return [(d["line"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"]]

    assert lines() == [(4, "repeated-word"), (6, "repeated-word"), (8, "repeated-word")]
    assert lines("--diff", "HEAD") == [(8, "repeated-word")]
    shown = run_cli("check", "--no-cache", "--fix", "--dry-run", "--diff", "HEAD", cwd=root)
    assert shown.returncode == 1
    assert shown.stdout == (
        "--- a/content/old.md\n+++ b/content/old.md\n@@ -5,4 +5,4 @@\n \n"
        " The boats were were late.\n \n-A quiet quiet line.\n+A quiet line.\n"
    )
    assert post.read_text() == edited  # --dry-run writes nothing
    fixed = run_cli("check", "--no-cache", "--fix", "--diff", "HEAD", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stdout.startswith("Applied 1 fix.\nAll clear")
    assert post.read_text() == LEGACY  # the legacy lines are left as they were
    everything = run_cli("check", "--no-cache", "--fix", cwd=root)
    assert everything.stdout.startswith("Applied 2 fixes.\nAll clear")


def test_baseline_in_the_configuration_holds_for_check_fix_and_other_folders(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/old.md": LEGACY}, config='baseline = "known-findings.json"\n')
    missing = run_cli("check", "--no-cache", cwd=root)
    assert missing.returncode == 2
    assert missing.stderr == (
        f"postlint: error: {root / 'known-findings.json'}: no such baseline file "
        "(create it with `postlint baseline`)\n"
    )
    made = run_cli("baseline", "--no-cache", cwd=root)
    assert made.stdout == f"Wrote 2 findings to {root / 'known-findings.json'}.\n"
    entries = json.loads((root / "known-findings.json").read_text())["entries"]
    assert {e["path"] for e in entries} == {"content/old.md"}
    clean = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert clean.returncode == 0 and json.loads(clean.stdout)["diagnostics"] == []
    post = root / "content" / "old.md"
    post.write_text("\n\n" + LEGACY + "\nA new new slip.\n")  # lines move; one new finding
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    # (blank lines before the front matter are fine on a Zola site)
    assert [(d["line"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"]] == [
        (12, "repeated-word"),
    ]
    # run from the folder above the site: paths differ, the baseline still holds
    above = run_cli("check", "--no-cache", "--format", "json", "site/content", cwd=root.parent)
    assert [d["line"] for d in json.loads(above.stdout)["diagnostics"]] == [12]
    fixed = run_cli("check", "--no-cache", "--fix", cwd=root)
    assert fixed.returncode == 0 and fixed.stdout.startswith("Applied 1 fix.\nAll clear")
    assert post.read_text() == "\n\n" + LEGACY + "\nA new slip.\n"  # recorded slips are kept
