"""Suppression comments are judged too: a rule that does not exist, a suppression that silences
nothing (issue 14), and family names in suppressions (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from postlint import api
from postlint.config import Config
from tests.conftest import run_cli, write_site

FM = '+++\ntitle = "Notes"\n+++\n'


def lint(tmp_path: Path, text: str, config: Config | None = None, **files: str) -> list[tuple]:
    root = write_site(tmp_path / "site", {"content/post.md": FM + text, **files})
    found = api.run_paths([root / "content"], config or Config(), jobs=1).diagnostics
    return [
        (d.rule, d.severity, d.line, d.column, d.end_line, d.end_column, d.message)
        for d in found
        if d.rule.startswith("suppression-")
    ]


def rules(tmp_path: Path, text: str, config: Config | None = None) -> list[tuple[str, int]]:
    root = write_site(tmp_path / "site", {"content/post.md": FM + text})
    found = api.run_paths([root / "content"], config or Config(), jobs=1).diagnostics
    return [(d.rule, d.line) for d in found]


def test_an_unknown_rule_in_a_comment_is_a_warning_at_its_place(tmp_path: Path) -> None:
    text = "<!-- postlint-disable-next-line spellin -->\nThanks to evryone.\n"
    assert lint(tmp_path, text) == [
        (
            "suppression-unknown-rule",
            "warning",
            4,
            33,
            4,
            40,
            "No rule is called or coded `spellin` (did you mean `spelling`?): this silences "
            "nothing.",
        )
    ]


def test_an_unknown_rule_among_known_ones_and_in_an_enable(tmp_path: Path) -> None:
    text = (
        "<!-- postlint-disable spelling,  lnk-vague -->\n"  # 4
        "Thanks to evryone.\n"
        "<!-- postlint-enable spelling lnk-vague -->\n"  # 6
    )
    found = [(r, line, col, end) for r, _, line, col, _, end, _ in lint(tmp_path, text)]
    assert found == [
        ("suppression-unknown-rule", 4, 34, 43),
        ("suppression-unknown-rule", 6, 31, 40),
    ]


def test_an_unknown_rule_in_the_front_matter_ignore(tmp_path: Path) -> None:
    text = '+++\ntitle = "Notes"\n[extra.postlint]\nignore = ["tag-missing", "speling"]\n+++\nHi.\n'
    root = write_site(tmp_path / "site", {"content/post.md": text})
    found = api.run_paths([root / "content"], Config(), jobs=1).diagnostics
    assert [(d.rule, d.line, d.column, d.end_column) for d in found] == [
        ("suppression-unused", 4, 11, 24),  # one post, no tags: tag-missing has nothing to say
        ("suppression-unknown-rule", 4, 26, 35),
    ]


def test_a_suppression_that_silences_nothing(tmp_path: Path) -> None:
    text = "<!-- postlint-disable-next-line spelling -->\nThanks to everyone.\n"
    assert lint(tmp_path, text) == [
        (
            "suppression-unused",
            "warning",
            4,
            33,
            4,
            41,
            "This suppression of `spelling` silences nothing: remove it.",
        )
    ]


def test_a_used_suppression_is_quiet_and_silences(tmp_path: Path) -> None:
    text = "<!-- postlint-disable-next-line spelling -->\nThanks to evryone.\n"
    assert rules(tmp_path, text) == []


def test_each_rule_of_a_comment_is_judged(tmp_path: Path) -> None:
    text = (
        "<!-- postlint-disable-next-line link-vague-text, spelling -->\n"
        "Thanks to evryone.\n"  # a spelling finding, no vague link
    )
    found = [(r, line, col, end) for r, _, line, col, _, end, _ in lint(tmp_path, text)]
    assert found == [("suppression-unused", 4, 33, 48)]


def test_a_range_and_a_bare_comment_that_silence_nothing(tmp_path: Path) -> None:
    text = (
        "<!-- postlint-disable spelling -->\n"  # 4
        "All fine here.\n"
        "<!-- postlint-enable spelling -->\n"
        "<!-- postlint-disable-next-line -->\n"  # 7
        "Still fine.\n"
    )
    found = [(r, line, col, end, msg) for r, _, line, col, _, end, msg in lint(tmp_path, text)]
    assert found == [
        (
            "suppression-unused",
            4,
            23,
            31,
            "This suppression of `spelling` silences nothing: remove it.",
        ),
        (
            "suppression-unused",
            7,
            1,
            36,
            "This suppression of every rule silences nothing: remove it.",
        ),
    ]


def test_a_rule_that_did_not_run_is_never_called_unused(tmp_path: Path) -> None:
    text = (
        "<!-- postlint-disable-next-line link-broken -->\n"  # external checks are off
        "Read [the docs](https://example.com/docs).\n"
        "<!-- postlint-disable-next-line link-vague-text -->\n"  # not selected
        "Fine.\n"
    )
    assert lint(tmp_path, text, Config(select=("spelling", "suppressions"))) == []
    # with every default rule, only the link-vague-text one is judged (and silences nothing)
    assert [(r, line) for r, _, line, *_ in lint(tmp_path, text, Config())] == [
        ("suppression-unused", 6)
    ]


def test_the_suppression_rules_are_ignored_like_any_rule(tmp_path: Path) -> None:
    text = "<!-- postlint-disable-next-line spellin -->\nThanks to everyone.\n"
    assert lint(tmp_path, text, Config(ignore=("suppressions",))) == []
    assert lint(tmp_path, text, Config(ignore=("SUP001",))) == []
    per_file = Config(per_file_ignores={"**/content/*": ("suppression-unknown-rule",)})
    assert lint(tmp_path, text, per_file) == []


def test_a_family_name_silences_the_family(tmp_path: Path) -> None:
    text = (
        "<!-- postlint-disable-next-line links -->\n"
        "Read the report [here](https://example.com/report).\n"
        "Read the report [here](https://example.com/report).\n"
    )
    assert rules(tmp_path, text) == [("link-vague-text", 6)]


def test_in_every_format_and_the_exit_code(site) -> None:  # type: ignore[no-untyped-def]
    post = FM + "<!-- postlint-disable-next-line spellin -->\nThanks to everyone.\n"
    root = site({"content/post.md": post}, config='fail-on = "warning"\n')
    result = run_cli("check", "--no-cache", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["code"], d["rule"], d["line"], d["column"]) for d in found] == [
        ("SUP001", "suppression-unknown-rule", 4, 33)
    ]
    text = run_cli("check", "--no-cache", cwd=root)
    assert "content/post.md:4:33: SUP001 No rule is called or coded `spellin`" in text.stdout


def test_a_silenced_line_keeps_its_text_from_a_fix_that_edits_every_use() -> None:
    """term-inconsistent reports a term once, with a fix for every use: a use on a line the
    writer silenced is left out of the fix (and the suppression counts as used)."""
    text = (
        '+++\ntitle = "Email notes"\n+++\nThe e-mail went out by email.\n\n'
        "An e-mail came back.\n\n"
        "<!-- postlint-disable-next-line term-inconsistent -->\n"
        "The act calls it e-mail, so do we.\n\nOne more e-mail.\n"
    )
    found = api.lint_text(
        text, "p.md", config=Config(select=("term-inconsistent", "suppression-unused"))
    )
    assert [(d.rule, d.line, d.column) for d in found] == [("term-inconsistent", 4, 5)]
    edits = [(e.span.line, e.span.column, e.replacement) for e in found[0].fix or ()]
    assert edits == [(4, 5, "email"), (6, 4, "email"), (11, 10, "email")]
