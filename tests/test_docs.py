"""Rule pages in docs/rules/: complete, up to date, and where every diagnostic's URL points."""

from __future__ import annotations

import json
from pathlib import Path

from postlint.docs import MARKER, REGENERATE
from tests.conftest import ROOT, run_cli

DOCS = ROOT / "docs" / "rules"
REPOSITORY_DOCS = "https://github.com/postlint/postlint/blob/main/docs/rules/"


def markdown_files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def test_every_rule_has_an_up_to_date_page(tmp_path: Path) -> None:
    made = run_cli("rules", "--docs", str(tmp_path / "rules"), cwd=ROOT)
    assert made.returncode == 0, made.stderr
    catalogue = json.loads(run_cli("rules", "--format", "json", cwd=ROOT).stdout)["rules"]
    assert (
        made.stdout == f"Wrote {len(catalogue)} rule pages and README.md in {tmp_path / 'rules'}.\n"
    )
    expected = markdown_files(tmp_path / "rules")
    assert set(expected) == {f"{rule['name']}.md" for rule in catalogue} | {"README.md"}
    actual = markdown_files(DOCS)
    missing = sorted(set(expected) - set(actual))
    gone = sorted(set(actual) - set(expected))
    changed = sorted(name for name in set(expected) & set(actual) if expected[name] != actual[name])
    assert not (missing or gone or changed), (
        f"docs/rules is out of date (missing: {missing}; for no rule: {gone}; changed: {changed}): "
        f"run `{REGENERATE}` at the repository's root and commit docs/rules"
    )


def test_a_page_is_the_rules_own_documentation() -> None:
    page = (DOCS / "link-tracking-params.md").read_text(encoding="utf-8")
    assert page.startswith(f"{MARKER}\n\n# link-tracking-params (LNK006)\n\n")
    rule = run_cli("rule", "link-tracking-params", cwd=ROOT).stdout
    assert page == f"{MARKER}\n\n{rule}"
    assert "## What it does" in page and "Use instead:" in page and "## Options of [links]" in page
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert "## links (LNK)" in index and "## typography (TYP)" in index  # a built-in pack
    assert (
        "| LNK006 | [link-tracking-params](link-tracking-params.md) | warning | yes | on |" in index
    )


def test_regenerating_removes_its_own_stale_pages_only(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "old-rule.md").write_text(f"{MARKER}\n\n# old-rule\n")
    (folder / "notes.md").write_text("Our own notes.\n")
    made = run_cli("rules", "--docs", str(folder), cwd=ROOT)
    assert made.stdout.endswith("; removed old-rule.md.\n")
    assert not (folder / "old-rule.md").exists()
    assert (folder / "notes.md").read_text() == "Our own notes.\n"


BAD = "+++\ntitle = 3\n+++\nSee [here](/nowhere/).\n"


def test_diagnostic_urls_point_at_the_rule_pages(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": BAD})
    sarif_file = tmp_path / "r.sarif"
    result = run_cli(
        "check", "--no-cache", "--format", "json", f"--output-format=sarif={sarif_file}", cwd=root
    )
    urls = {d["rule"]: d["url"] for d in json.loads(result.stdout)["diagnostics"]}
    assert set(urls) == {"frontmatter-field-type", "link-internal-broken", "link-vague-text"}
    for rule, url in urls.items():
        assert url == f"{REPOSITORY_DOCS}{rule}.md"
        assert (DOCS / f"{rule}.md").is_file()
    driver = json.loads(sarif_file.read_text())["runs"][0]["tool"]["driver"]
    assert all(r["helpUri"] == f"{REPOSITORY_DOCS}{r['name']}.md" for r in driver["rules"])
    assert "postlint.dev" not in result.stdout + sarif_file.read_text()


def test_docs_url_setting_gives_the_base(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for setting, page in (
        ("https://git.example.org/blog/docs/lint/", "https://git.example.org/blog/docs/lint/{}.md"),
        ("https://docs.example.org/rules/{name}/", "https://docs.example.org/rules/{}/"),
    ):
        root = site({"content/a.md": BAD}, config=f'docs-url = "{setting}"\n')
        out = tmp_path / "out"
        result = run_cli(
            "check",
            "--no-cache",
            "--format",
            "json",
            f"--output-format=sarif={out / 'r.sarif'}",
            f"--output-format=markdown={out / 'r.md'}",
            cwd=root,
        )
        diagnostics = json.loads(result.stdout)["diagnostics"]
        assert {d["url"] for d in diagnostics} == {page.format(d["rule"]) for d in diagnostics}
        sarif = json.loads((out / "r.sarif").read_text())
        help_uris = {r["id"]: r["helpUri"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
        assert help_uris["FM005"] == page.format("frontmatter-field-type")
        assert f"(<{page.format('frontmatter-field-type')}>)" in (out / "r.md").read_text()
        listed = json.loads(run_cli("rules", "--format", "json", cwd=root).stdout)["rules"]
        assert {r["url"] for r in listed} == {page.format(r["name"]) for r in listed}
    root = site({"content/a.md": BAD}, config="docs-url = 3\n")
    bad = run_cli("check", "--no-cache", cwd=root)
    assert bad.returncode == 2
    assert bad.stderr == (
        "postlint: error: postlint.toml:1: `docs-url` must be a non-empty string (got 3).\n"
    )
