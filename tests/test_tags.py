"""Tags: near duplicates without quadratic comparisons, styles, and the repeat fix."""

from __future__ import annotations

from pathlib import Path

from postlint import api
from postlint.checks.tags import near_duplicate_groups, normal_key, styled
from postlint.config import Config

ZOLA = 'base_url = "https://example.org"\n'


def post(tags: str, title: str = "Post") -> str:
    return f'+++\ntitle = "{title}"\n\n[taxonomies]\ntags = [{tags}]\n+++\nText.\n'


def test_normal_key_ignores_case_plural_spacing_and_hyphens() -> None:
    assert normal_key("Electric-Vehicles") == normal_key("electric vehicle") == "electricvehicle"
    assert normal_key("Policies") == normal_key("policy")
    assert normal_key("Bus") == "bus"
    assert normal_key("FIIs") == normal_key("FII")


def test_groups_find_typos_but_not_different_real_words() -> None:
    tags = ["Tariff", "Tarriff", "Stock market", "Stock mmarket", "Banks", "Bands", "Iran", "Iraq"]
    groups = sorted(sorted(g) for g in near_duplicate_groups(tags))
    assert groups == [["Stock market", "Stock mmarket"], ["Tariff", "Tarriff"]]


def test_styles_keep_acronyms() -> None:
    assert styled("stock market and FIIs", "title") == "Stock Market and FIIs"
    assert styled("Electric Vehicles", "sentence") == "Electric vehicles"
    assert styled("Buying Zerodha", "sentence") == "Buying Zerodha"  # not in the dictionary
    assert styled("Zerodha Varsity", "sentence", frozenset({"Varsity"})) == "Zerodha Varsity"
    assert styled("AI Policy", "lower") == "AI policy"


def apply(text: str, edits: tuple) -> str:  # type: ignore[type-arg]
    for edit in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: edit.span.start] + edit.replacement + text[edit.span.end :]
    return text


def test_duplicate_fix_removes_the_entry_and_its_comma(tmp_path: Path) -> None:
    cases = {
        "inline.md": (post('"China", "AI", "china"'), post('"China", "AI"')),
        "lines.md": (
            post('\n    "China",\n    "AI",\n    "China",\n'),
            post('\n    "China",\n    "AI",\n'),
        ),
        "yaml.md": (
            "---\ntitle: Y\ntags:\n  - China\n  - AI\n  - CHINA\n---\nText.\n",
            "---\ntitle: Y\ntags:\n  - China\n  - AI\n---\nText.\n",
        ),
    }
    (tmp_path / "config.toml").write_text(ZOLA)
    for name, (before, _) in cases.items():
        (tmp_path / "content").mkdir(exist_ok=True)
        (tmp_path / "content" / name).write_text(before)
    result = api.run_paths([tmp_path / "content"], Config(select=("tag-duplicate",)), jobs=1)
    assert len(result.diagnostics) == 3
    for d in result.diagnostics:
        before, after = cases[Path(d.path).name]
        assert d.fix_safe is True and d.fix is not None
        assert apply(before, d.fix) == after
        assert d.message.startswith("The tag `")


def test_near_duplicate_names_posts_and_prefers_the_correct_spelling(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(ZOLA)
    content = tmp_path / "content"
    content.mkdir()
    for i in range(5):
        (content / f"typo-{i}.md").write_text(post('"Tarriff"'))
    (content / "right.md").write_text(post('"Tariff"'))
    result = api.run_paths([content], Config(select=("tag-near-duplicate",)), jobs=1)
    assert len(result.diagnostics) == 5
    first = result.diagnostics[0]
    assert (first.line, first.column, first.end_column) == (5, 9, 18)
    assert first.message == (
        "The tag `Tarriff` looks like a misspelling of `Tariff` (on 1 post: right.md); "
        "`Tarriff` is on 5 posts (typo-0.md, typo-1.md, typo-2.md and 2 more); use `Tariff`, "
        "which is spelled correctly."
    )


def test_spelling_suggestions_skip_british_spellings_and_names() -> None:
    from postlint.checks.tags import _suggest

    assert _suggest("Dolar") == ("Dollar",)
    assert _suggest("Labour") == () and _suggest("Fertiliser") == ()
    assert _suggest("Tata") == ()  # `Data` would change the first letter of a name
