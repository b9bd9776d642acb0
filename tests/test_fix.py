"""``--fix``: fixtures in ``fixtures/fix`` are fixed byte for byte, idempotently and atomically.

Each ``fixtures/fix/NAME.md`` pairs with ``NAME.fixed.md``. ``NAME`` is a rule name, code or pack
name, optionally followed by ``--variant`` (``wordy-phrase--crlf``): only that selection runs, with
unsafe fixes allowed. ``fixtures/fix/postlint.toml`` names extra packs. Adding a pair needs no code.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
from collections import Counter
from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config
from postlint.engine import Linter
from postlint.fix import (
    FixResult,
    added,
    applicable,
    apply_edits,
    apply_fixes,
    fix_file,
    fix_text,
    post_lint,
    unified_diff,
    write_atomic,
    write_result,
)
from postlint.model import Diagnostic, Edit, LineIndex
from postlint.registry import matches
from postlint.site import detect_site
from tests.conftest import run_cli, write_site

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "fix"
PAIRS = sorted(p for p in FIX.glob("*.md") if not p.name.endswith(".fixed.md"))
CONFIG, CATALOGUE = api.load(FIX, FIX / "postlint.toml")


def linter_for(name: str, folder: Path) -> Linter:
    selector = name.split("--")[0]
    assert CATALOGUE.unknown_selectors([selector]) == [], f"{name}: no rule or pack {selector}"
    return Linter(CONFIG.with_overrides(select=(selector,)), CATALOGUE, detect_site(folder))


@pytest.mark.parametrize("source", PAIRS, ids=lambda p: p.stem)
def test_fix_fixture(source: Path, tmp_path: Path) -> None:
    expected = source.with_name(source.stem + ".fixed.md").read_bytes()
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    os.chmod(target, 0o640)
    linter = linter_for(source.stem, tmp_path)

    site = linter.run([target], jobs=1).site  # site-wide rules fix against the site index
    (result,) = apply_fixes([target], linter, unsafe=True, site=site)
    assert target.read_bytes() == expected
    assert result.written and result.applied >= 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]  # no temporary file left
    assert applicable(result.remaining_diagnostics, unsafe=True) == []

    before = target.stat().st_mtime_ns
    (again,) = apply_fixes([target], linter, unsafe=True, site=site)  # nothing left to do
    assert not again.changed and not again.written and again.applied == 0
    assert target.stat().st_mtime_ns == before and target.read_bytes() == expected


def test_every_fixture_has_its_fixed_twin() -> None:
    assert PAIRS
    for source in PAIRS:
        assert source.with_name(source.stem + ".fixed.md").exists(), source.name


def test_every_rule_with_fixes_declares_fixable(tmp_path: Path) -> None:
    for rule in CATALOGUE.rules:
        bad, _ = rule.examples()
        root = write_site(tmp_path / rule.name, bad.files)
        found = api.run_paths([root / "content"], Config(select=(rule.code,)), jobs=1).diagnostics
        if any(d.fix for d in found if d.rule == rule.name):
            assert rule.fixable, f"{rule.name} offers fixes but does not declare fixable = True"


# -- the pure functions ------------------------------------------------------------------------


def edit(text: str, start: int, end: int, replacement: str) -> Edit:
    return Edit(LineIndex(text).span(start, end), replacement)


def test_apply_edits_keeps_the_first_of_overlapping_edits() -> None:
    text = "abcdef"
    edits = [
        edit(text, 3, 5, "X"),
        edit(text, 0, 2, "Y"),
        edit(text, 1, 4, "Z"),
        edit(text, 6, 6, "!"),
    ]
    assert apply_edits(text, edits) == ("YcXf!", 3)
    assert apply_edits(text, [edit(text, 2, 2, "1"), edit(text, 2, 2, "2")]) == ("ab1cdef", 1)
    assert apply_edits("a\r\nb", [edit("a\r\nb", 1, 1, "\nc")], newline="\r\n") == (
        "a\r\nc\r\nb",
        1,
    )


def test_unsafe_fixes_wait_for_permission(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/post.md": '+++\ntitle = "T"\n+++\n\nWe utilize it...\n'})
    linter = Linter(Config(select=("plain-words", "typography")), CATALOGUE, detect_site(root))
    (result,) = apply_fixes([root / "content/post.md"], linter, unsafe=False)
    assert result.fixed.endswith("We utilize it…\n") and result.applied == 1
    assert [d.code for d in result.remaining_diagnostics] == ["PLW002"]
    (result,) = apply_fixes([root / "content/post.md"], linter, unsafe=True)
    assert result.fixed.endswith("We use it…\n")


def diagnostic(text: str, start: int, end: int, replacement: str, code: str = "T001") -> Diagnostic:
    span = LineIndex(text).span(start, end)
    return Diagnostic(
        path="p.md",
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        code=code,
        rule="t",
        severity="warning",
        message="m",
        fix=(Edit(span, replacement),),
        fix_safe=True,
        start=start,
        end=end,
    )


def test_a_fix_that_breaks_the_front_matter_is_dropped_with_a_warning() -> None:
    text = '+++\ntitle = "T"\n+++\n\nBody -- text.\n'

    def lint(current: str) -> list[Diagnostic]:
        found = []
        if current.startswith("+++\ntitle"):
            found.append(diagnostic(current, 12, 13, "", "BAD001"))  # drops the closing quote
        if " -- " in current:
            i = current.index(" -- ")
            found.append(diagnostic(current, i, i + 4, "—", "TYP001"))
        return found

    fixed, applied, remaining, warnings = fix_text(text, lint)
    assert fixed == '+++\ntitle = "T"\n+++\n\nBody—text.\n' and applied == 1
    assert warnings == [
        "p.md:2:9: not applying the fix for BAD001 (t): the front matter would no longer parse."
    ]
    assert [d.code for d in remaining] == ["BAD001"]


def test_a_fix_that_adds_an_error_is_dropped_with_a_warning(tmp_path: Path) -> None:
    """A house pack's safe swap of `Acme` for `**Acme` leaves a `**` that closes nothing where
    no `**` follows: an error the post did not have. A lesser finding a fix reveals is kept:
    the bare URL made a link is insecure."""
    pack = (
        '[pack]\nname = "brand"\nprefix = "BRD"\ndescription = "Brand names."\n'
        'min-postlint = "0.1.0"\ndefault = true\n\n[[rule]]\ncode = "BRD001"\n'
        'name = "brand-bold"\nkind = "substitution"\nseverity = "info"\n'
        'message = "Write `{replacement}`."\nsafe = true\nswap = { "Acme" = "**Acme" }\n'
        'ignore-case = false\n\n[[rule.example]]\nbad = "Acme ships."\ngood = "We ship."\n'
    )
    root = write_site(
        tmp_path,
        {
            "content/bold.md": '+++\ntitle = "T"\n+++\n\nAcme drafts live here now.\n',
            "content/plain.md": '+++\ntitle = "T"\n+++\n\nDrafts live at http://x.y/z now.\n',
            "brand.toml": pack,
        },
        config='packs = ["brand.toml"]\n',
    )
    config, catalogue = api.load(root)
    selection = ("brand-bold", "link-bare-url", "link-insecure", "unbalanced-emphasis")
    linter = Linter(config.with_overrides(select=selection), catalogue, detect_site(root))
    bold, plain = root / "content" / "bold.md", root / "content" / "plain.md"
    first, second = apply_fixes([bold, plain], linter)
    assert not first.changed and first.applied == 0 and not first.written
    assert first.dropped_warnings == [
        f"{bold}:5:1: not applying the fix for BRD001 (brand-bold): it would add an error "
        "(MK001 unbalanced-emphasis)."
    ]
    assert [d.code for d in first.remaining_diagnostics] == ["BRD001"]
    assert second.written and plain.read_text().endswith("at <http://x.y/z> now.\n")
    assert [d.code for d in second.remaining_diagnostics] == ["LNK007"]  # revealed, kept


def test_added_matches_findings_that_moved_or_were_edited_inside() -> None:
    before_text = "aa bb cc"
    after_text = "X aa bb cc"  # one insertion at the start
    insertion = edit(before_text, 0, 0, "X ")
    moved = diagnostic(before_text, 3, 5, "B")  # `bb`
    moved_after = diagnostic(after_text, 5, 7, "B")
    assert added([moved], before_text, [moved_after], after_text, [insertion]) == []
    sentence = diagnostic(before_text, 0, 8, "S", "LONG")  # the whole text; an edit inside
    inner = edit(before_text, 3, 5, "bbbb")
    longer = "aa bbbb cc"
    assert (
        added([sentence], before_text, [diagnostic(longer, 0, 10, "S", "LONG")], longer, [inner])
        == []
    )
    fresh = diagnostic(longer, 3, 7, "", "NEW")
    assert added([sentence], before_text, [fresh], longer, [inner]) == [fresh]
    twice = [moved_after, diagnostic(after_text, 5, 7, "B")]  # one more of the same
    assert added([moved], before_text, twice, after_text, [insertion]) == [twice[1]]


def test_fixing_stops_after_max_rounds_and_on_a_cycle() -> None:
    def flip(current: str) -> list[Diagnostic]:  # a finding at the start, a fix of the first letter
        found = diagnostic(current, 0, 1, "b" if current[0] == "a" else "a")
        return [dataclasses.replace(found, start=0, end=0)]

    fixed, applied, _, _ = fix_text("a", flip, max_rounds=10)
    assert (fixed, applied) == ("b", 1)  # "b" would go back to "a": a cycle stops it

    def grow(current: str) -> list[Diagnostic]:
        return [diagnostic(current, 0, 0, "x")]

    assert fix_text("", grow, max_rounds=3)[:2] == ("xxx", 3)


def test_write_atomic_leaves_an_unchanged_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"same\r\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert write_atomic(path, "same\r\n", b"same\r\n") is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    link = tmp_path / "link.md"
    link.symlink_to(path)
    assert write_atomic(link, "new\r\n", b"same\r\n") is True
    assert link.is_symlink() and path.read_bytes() == b"new\r\n"


ELLIPSIS_POST = '+++\ntitle = "T"\n+++\n\nWe utilize it...\n'


@pytest.mark.parametrize(
    "saved",
    [
        b'+++\ntitle = "T"\n+++\n\nThe writer saved more words...\n',
        b'+++\ntitle = "T"\n+++\n\nWe utilise it...\n',  # the same size, other bytes
    ],
)
def test_a_file_saved_while_it_is_fixed_is_not_overwritten(tmp_path: Path, saved: bytes) -> None:
    root = write_site(tmp_path, {"content/post.md": ELLIPSIS_POST})
    path = root / "content" / "post.md"
    linter = Linter(Config(select=("typography",)), CATALOGUE, detect_site(root))
    lint = post_lint(linter, path)

    def lint_while_an_editor_saves(text: str) -> list[Diagnostic]:
        path.write_bytes(saved)  # between postlint's read and its write
        return lint(text)

    result = fix_file(path, lint_while_an_editor_saves)
    assert result.changed and result.applied == 1
    write_result(result)
    assert path.read_bytes() == saved
    assert not result.written and result.applied == 0
    assert result.dropped_warnings == [
        f"{path}: not fixed: it changed while it was being fixed (saved by an editor?); "
        "nothing was written."
    ]
    assert sorted(p.name for p in path.parent.iterdir()) == ["post.md"]  # no temporary file


def test_fix_leaves_a_read_only_file_alone_with_a_note(tmp_path: Path) -> None:
    root = write_site(
        tmp_path, {"content/locked.md": ELLIPSIS_POST, "content/open.md": ELLIPSIS_POST}
    )
    locked = root / "content" / "locked.md"
    os.chmod(locked, 0o444)
    result = run_cli("check", "--fix", "--no-cache", "--select", "typography", cwd=root)
    assert locked.read_text() == ELLIPSIS_POST and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert (root / "content" / "open.md").read_text().endswith("We utilize it…\n")
    assert result.stdout.startswith("Applied 1 fix.\n")
    assert result.stderr == (
        "postlint: warning: content/locked.md: not fixed: the file is read-only; "
        "nothing was written.\n"
    )
    assert result.returncode == 0  # what is left is info


def test_unified_diff() -> None:
    assert unified_diff("content/p.md", "a\nb\n", "a\nb\n") == ""
    assert unified_diff("content/p.md", "a\nb", "a\nc") == (
        "--- a/content/p.md\n+++ b/content/p.md\n@@ -1,2 +1,2 @@\n a\n-b\n"
        "\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
    )


def test_every_fixable_rule_has_a_fix_fixture() -> None:
    """Every fixable rule, built-in or from a pack, is fixed byte for byte by some fixture."""
    selectors = [p.stem.split("--")[0] for p in PAIRS]
    fixable = [r for r in CATALOGUE.rules if r.fixable]
    assert fixable
    uncovered = [
        r.name
        for r in fixable
        if not any(matches(s, r) for s in selectors) and r.name not in NEEDS_A_SITE
    ]
    assert uncovered == []


# Fixes that a lone file cannot show: they need the site's base_url or an external check.
# link-self-absolute's `check --fix --unsafe-fixes` run is tested byte for byte in
# tests/test_link_hygiene.py. link-redirected reports from check_site, whose fixes `--fix` does
# not apply yet (fix.post_lint runs per-post hooks only); its edit is asserted in the JSON
# report by tests/test_links_external.py.
NEEDS_A_SITE = frozenset({"link-self-absolute", "link-redirected"})


ATOMS = (
    "a",
    "b c",
    " ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "`",
    "```",
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "&amp;",
    "\\",
    "## ",
    "- ",
    "1. ",
    "> ",
    "---",
    "\t",
    "    ",
    "http://x.y/z",
    "https://a.b/c?utm_source=x&id=2",
    "“",
    "”",
    "'",
    '"',
    "<a href='x'>",
    "</a>",
    "é",
    "â€™",
    "‚Äô",
    "\u00a0",
    "\u200b",
    "the the",
    "Teh",
    "**Mira**\n",
    "## Anu—Title\n",
    "[x][y]",
    "[y]: /z\n",
    "|a|b|\n|-|-|\n",
    "\r\n",
    "\r",
    "...",
    " -- ",
    "in order to",
)


def errors_by_file(linter: Linter, files: list[Path]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {str(f): Counter() for f in files}
    for d in linter.run(files, jobs=1).diagnostics:
        if d.severity == "error":
            found[str(Path(d.path).resolve())][d.code] += 1
    return found


def assert_errors_never_rise(linter: Linter, files: list[Path]) -> list[FixResult]:
    """Fix ``files`` (every fix, unsafe ones too): no file gains an error of any rule."""
    before = errors_by_file(linter, files)
    results = apply_fixes(files, linter, unsafe=True, site=linter.run(files, jobs=1).site)
    after = errors_by_file(linter, files)
    risen = {path: after[path] - before[path] for path in before if after[path] - before[path]}
    assert risen == {}
    return results


def test_errors_never_rise_after_fixing_the_fix_fixtures(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "config.toml").write_text('base_url = "https://example.org"\n')
    for source in PAIRS:
        shutil.copyfile(source, content / source.name)
    linter = Linter(CONFIG.with_overrides(select=("ALL",)), CATALOGUE, detect_site(tmp_path))
    files = sorted(p.resolve() for p in content.glob("*.md"))
    results = assert_errors_never_rise(linter, files)
    assert sum(r.applied for r in results) > len(PAIRS)


def test_fixing_random_posts_converges(tmp_path: Path) -> None:
    """Every rule, unsafe fixes included, on random posts: no post gains an error, and a second
    --fix finds nothing to do."""
    import random

    rng = random.Random(5)
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "config.toml").write_text('base_url = "https://example.org"\n')
    for i in range(40):
        body = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 300)))
        (content / f"p{i}.md").write_bytes(('+++\ntitle = "T"\n+++\n' + body).encode())
    linter = Linter(CONFIG.with_overrides(select=("ALL",)), CATALOGUE, detect_site(tmp_path))
    files = sorted(p.resolve() for p in content.glob("*.md"))
    first = assert_errors_never_rise(linter, files)
    assert sum(r.applied for r in first) > 0
    assert any("it would add an error" in w for r in first for w in r.dropped_warnings)
    second = apply_fixes(files, linter, unsafe=True, site=linter.run(files, jobs=1).site)
    assert [(r.path.name, r.applied) for r in second if r.applied] == []


def test_fixing_a_site_judges_it_once_per_pass(tmp_path: Path) -> None:
    """--fix on a whole site is linear: the site phase judges the whole site once per pass, not
    once per post and step (which made fixing 1,000 posts take hours); the result is what
    fixing post by post against the whole site gives."""
    files = {
        f"content/p{i:02d}.md": f'+++\ntitle = "T"\n+++\n\nThe word {i} is in the the box.\n'
        for i in range(30)
    }
    root = write_site(tmp_path, files)
    paths = sorted((root / name).resolve() for name in files)
    linter = Linter(Config(select=("repeated-word", "spelling")), CATALOGUE, detect_site(root))
    site = linter.run(paths, jobs=1).site
    assert site is not None and linter.site_rules
    judged = 0
    phase = linter.site_phase

    def counted(*args: object) -> object:
        nonlocal judged
        judged += 1
        return phase(*args)  # type: ignore[arg-type]

    linter.site_phase = counted  # type: ignore[method-assign]
    results = apply_fixes(paths, linter, unsafe=True, site=site)
    assert judged <= 3  # the site as the run left it, as fixed, and once more when in doubt
    assert [r.applied for r in results] == [1] * 30
    assert paths[7].read_text().endswith("The word 7 is in the box.\n")
    again = apply_fixes(paths, linter, unsafe=True, site=linter.run(paths, jobs=1).site)
    assert [r.applied for r in again] == [0] * 30


def test_a_fixed_heading_moves_its_anchor_for_the_posts_judged_after_it(tmp_path: Path) -> None:
    """The fix of `## The the plan` makes the anchor `#the-plan` that another post links to:
    the index the fixing judges by takes the new heading, so the link is not reported broken."""
    files = {
        "content/a.md": '+++\ntitle = "A"\n+++\n\n## The the plan\n\nText.\n',
        "content/b.md": '+++\ntitle = "B"\n+++\n\nSee [the plan](@/a.md#the-plan).\n',
    }
    root = write_site(tmp_path, files)
    paths = [(root / name).resolve() for name in files]
    select = ("repeated-word", "link-anchor-broken")
    linter = Linter(Config(select=select), CATALOGUE, detect_site(root))
    before = linter.run(paths, jobs=1)
    assert [(Path(d.path).name, d.rule, d.line, d.column) for d in before.diagnostics] == [
        ("a.md", "repeated-word", 5, 8),
        ("b.md", "link-anchor-broken", 5, 16),
    ]
    results = apply_fixes(paths, linter, site=before.site)
    assert [(r.path.name, r.applied) for r in results] == [("a.md", 1), ("b.md", 0)]
    assert [r.remaining_diagnostics for r in results] == [[], []]
    assert linter.run(paths, jobs=1).diagnostics == []
