"""The command line, run as a subprocess exactly as users and CI run it."""

from __future__ import annotations

import json
from pathlib import Path

from postlint import __version__
from tests.conftest import run_cli

GOOD = '+++\ntitle = "Hello"\n+++\nHello there.\n'
BAD = "+++\ntitle = 3\n+++\nHello there.\n"


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"postlint {__version__}"


def test_clean_site_exits_zero(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": GOOD})
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "All clear: 1 file checked, no problems found.\n"
    assert result.stderr == ""


def test_findings_exit_one_with_exact_text(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": BAD, "content/other.md": GOOD})
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 1
    assert result.stdout == (
        "content/hello.md:2:1: FM005 `title` should be a string, not the number 3. "
        "[frontmatter-field-type]\n\n"
        "Found 1 problem (1 error) in 1 of 2 files checked.\n"
    )


def test_json_contract(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": "\ufeff" + BAD})
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["summary"]["total"] == 2
    bom, title = document["diagnostics"]
    assert set(title) >= {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "rule",
        "severity",
        "message",
        "fix",
        "url",
    }
    assert (
        title["path"],
        title["line"],
        title["column"],
        title["end_line"],
        title["end_column"],
    ) == ("content/hello.md", 2, 1, 2, 6)
    assert title["fix"] is None and title["severity"] == "error"
    assert bom["rule"] == "file-bom"
    assert bom["fix"] == [
        {"line": 1, "column": 1, "end_line": 1, "end_column": 1, "replacement": ""}
    ]


def test_fail_on_and_select(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": "\ufeff" + GOOD})
    assert run_cli("check", "--no-cache", cwd=root).returncode == 0  # a warning only
    assert run_cli("check", "--no-cache", "--fail-on", "warning", cwd=root).returncode == 1
    assert (
        run_cli(
            "check", "--no-cache", "--ignore", "file-bom", "--fail-on", "warning", cwd=root
        ).returncode
        == 0
    )
    result = run_cli("check", "--no-cache", "--select", "FM1", "--format", "json", cwd=root)
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["FM101"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", "nowhere.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "postlint: error: nowhere.md: no such file or directory\n"
    assert result.stdout == ""


def test_unknown_rule_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", "--select", "frontmatter-mising", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "no rule is called or coded `frontmatter-mising`" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_names_file_line_and_nearest_key(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {"content/hello.md": GOOD}, config='select = ["FM"]\n\n[frontmatter]\nrequird = ["title"]\n'
    )
    result = run_cli("check", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        "postlint: error: postlint.toml:4: unknown key `requird` in [frontmatter] "
        "(did you mean `required`?).\n"
    )


def test_broken_config_toml(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": GOOD}, config='select = ["FM"\n')
    result = run_cli("check", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "postlint: error: postlint.toml:2: the configuration is not valid TOML"
    )
    assert len(result.stderr.splitlines()) == 1


def test_rules_catalogue_json() -> None:
    result = run_cli("rules", "--format", "json")
    assert result.returncode == 0
    catalogue = json.loads(result.stdout)
    assert catalogue["version"] == 1
    entry = next(r for r in catalogue["rules"] if r["name"] == "file-bom")
    assert {"code", "name", "summary", "severity", "fixable", "options", "docs"} <= set(entry)
    assert entry["fixable"] is True and "## What it does" in entry["docs"]


def test_rule_docs_by_name_and_code() -> None:
    by_name = run_cli("rule", "frontmatter-field-unknown")
    by_code = run_cli("rule", "fm006")
    assert by_name.returncode == 0 and by_name.stdout == by_code.stdout
    assert by_name.stdout.startswith("# frontmatter-field-unknown (FM006)")
    missing = run_cli("rule", "frontmater-missing")
    assert missing.returncode == 2
    assert "did you mean `frontmatter-missing`?" in missing.stderr


def test_output_file_and_notes_on_stderr(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    root = site({"content/hello.md": BAD})
    os.mkfifo(root / "content" / "pipe.md")
    out = tmp_path / "report.json"
    result = run_cli("check", "--no-cache", "--format", "json", "--output", str(out), cwd=root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "postlint: note: skipped content/pipe.md: not a regular file\n"
    assert json.loads(out.read_text())["summary"]["total"] == 1


def test_default_path_is_the_content_folder(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": BAD, "README.md": "not a post\n"})
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    paths = {d["path"] for d in json.loads(result.stdout)["diagnostics"]}
    assert paths == {"content/hello.md"}


def test_fix_diff_and_idempotence(site) -> None:  # type: ignore[no-untyped-def]
    import os

    bom = '\ufeff+++\r\ntitle = "Hello"\r\n+++\r\nHello there.\r\n'
    root = site({"content/bom.md": bom, "content/clean.md": GOOD})
    target, clean = root / "content" / "bom.md", root / "content" / "clean.md"
    os.utime(clean, (1_000_000_000, 1_000_000_000))
    shown = run_cli("check", "--no-cache", "--fix", "--dry-run", cwd=root)
    assert shown.returncode == 1
    assert shown.stdout.startswith("--- a/content/bom.md\n+++ b/content/bom.md\n")
    assert target.read_bytes() == bom.encode()  # --dry-run writes nothing
    fixed = run_cli("check", "--no-cache", "--fix", cwd=root)
    assert fixed.returncode == 0, fixed.stdout
    assert fixed.stdout.startswith("Applied 1 fix.\n")
    assert target.read_bytes() == bom[1:].encode()  # BOM gone, CRLF kept
    assert clean.stat().st_mtime == 1_000_000_000  # nothing to fix: not touched
    again = run_cli("check", "--no-cache", "--fix", cwd=root)
    assert again.stdout.startswith("Applied 0 fixes.\n")
    assert target.read_bytes() == bom[1:].encode()


def test_a_rule_configuration_error_is_a_clean_exit_2(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/hello.md": GOOD}, config='[tags]\nvocabulary-file = "tags.txt"\n')
    result = run_cli("check", "--no-cache", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        "postlint: error: postlint.toml:2: `tags.vocabulary-file` names `tags.txt`, which does "
        "not exist.\n"
    )


def test_mdx_files_are_skipped_with_a_note(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {
            "content/a.md": GOOD,
            "content/b.mdx": "import Chart from './chart'\n\n<Chart />\n",
            "content/guides/c.MDX": "# Guide\n",
        }
    )
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"]["files"] == 1
    assert result.stderr == (
        "postlint: note: skipped 2 MDX files (content/b.mdx, content/guides/c.MDX): "
        "postlint checks Markdown (.md, .markdown), not MDX\n"
    )
    named = run_cli("check", "--no-cache", "content/b.mdx", "content/a.md", cwd=root)
    assert named.returncode == 0 and "1 file checked" in named.stdout
    assert named.stderr == (
        "postlint: note: skipped 1 MDX file (content/b.mdx): "
        "postlint checks Markdown (.md, .markdown), not MDX\n"
    )
