"""Every rule documents itself completely, and its bad and good examples really behave so."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config, parse_config
from postlint.rule import DOC_SECTIONS, Rule
from tests.conftest import write_site

CATALOGUE = api.catalogue()
RULES = CATALOGUE.rules


def test_codes_and_names_are_unique() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_metadata_is_complete(rule: type[Rule]) -> None:
    family = CATALOGUE.family_of(rule)
    assert rule.code.startswith(family.prefix) and rule.code[len(family.prefix) :].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary and not rule.summary.endswith(".")
    docs = rule.docs()
    for section in DOC_SECTIONS:
        assert section in docs, f"{rule.name}: docs lack {section!r}"
    assert "Use instead" in docs, f"{rule.name}: docs lack a good example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_examples(rule: type[Rule], tmp_path: Path) -> None:
    bad, good = rule.examples()
    for name, example, expect_finding in (("bad", bad, True), ("good", good, False)):
        root = write_site(tmp_path / name, example.files)
        config = Config(select=(rule.code,))
        if example.config:
            import tomli

            config = parse_config(tomli.loads(example.config), CATALOGUE.families)
            config = config.with_overrides(select=(rule.code,))
        found = api.run_paths([root / "content"], config, jobs=1).diagnostics
        codes = [d.rule for d in found]
        if expect_finding:
            assert rule.name in codes, f"{rule.name}: the bad example gives no finding"
        else:
            assert rule.name not in codes, f"{rule.name}: the good example gives {found}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.fixable], ids=lambda r: r.name)
def test_fixable_rules_offer_a_fix_on_their_bad_example(rule: type[Rule], tmp_path: Path) -> None:
    bad, _ = rule.examples()
    root = write_site(tmp_path, bad.files)
    config = Config(select=(rule.code,))
    if bad.config:  # the example's own options, as in test_examples
        import tomli

        config = parse_config(tomli.loads(bad.config), CATALOGUE.families)
        config = config.with_overrides(select=(rule.code,))
    found = api.run_paths([root / "content"], config, jobs=1).diagnostics
    assert any(d.fix for d in found if d.rule == rule.name)


def test_no_family_prefix_is_a_prefix_of_another() -> None:
    """Selecting `FM` must mean front matter only, never another family's codes too."""
    prefixes = [family.prefix for family in CATALOGUE.families]
    clashes = [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a)]
    assert clashes == []
