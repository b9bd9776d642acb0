"""Rule packs: every example of every pack rule behaves as written, and packs load strictly."""

from __future__ import annotations

import json
import random
import re
import time
from importlib import resources
from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config, ConfigError
from postlint.engine import Linter
from postlint.fix import apply_edits
from postlint.model import Diagnostic
from postlint.packs import (
    PATTERN_BUDGET,
    PackRule,
    backtracking_risk,
    example_post,
    keep_case,
    load_pack_text,
    shipped_families,
)
from postlint.registry import Catalogue
from postlint.rule import Family, SiteInfo
from tests.conftest import run_cli, write_site

ROOT = Path(__file__).resolve().parent.parent
HOUSE = ROOT / "fixtures" / "packs" / "house.toml"
HOUSE_FAMILY = load_pack_text(HOUSE.read_text(encoding="utf-8"), str(HOUSE))
FAMILIES: tuple[Family, ...] = (*shipped_families(), HOUSE_FAMILY)
CATALOGUE = Catalogue((*api.catalogue().families, HOUSE_FAMILY))
SITE = SiteInfo(root=ROOT, generator="zola", content_dir=ROOT, static_dir=None)
CASES = [
    (rule, i, bad, good)
    for family in FAMILIES
    for rule in family.rules
    if issubclass(rule, PackRule)
    for i, (bad, good) in enumerate(rule.pack_examples)
]


def lint(text: str, select: tuple[str, ...], site: SiteInfo = SITE) -> list[Diagnostic]:
    linter = Linter(Config(select=select), CATALOGUE, site)
    result = linter.lint_post(linter.parse(text, "post.md"))
    return sorted(linter.filter(result.diagnostics, {result.path: result}), key=Diagnostic.sort_key)


@pytest.mark.parametrize(
    ("rule", "index", "bad", "good"), CASES, ids=[f"{c[0].name}-{c[1]}" for c in CASES]
)
def test_pack_example(rule: type[PackRule], index: int, bad: str, good: str) -> None:
    found = lint(example_post(bad), (rule.code,))
    assert found and all(d.rule == rule.name for d in found), f"bad example {index}: {found}"
    assert lint(example_post(good), (rule.code,)) == [], f"good example {index}"
    if rule.fixable:
        assert all(d.fix for d in found), "a fixable rule offers a fix on each finding"
        if index == 0:  # the first example of a fixable rule is its fix, character for character
            fixed, _ = apply_edits(example_post(bad), [e for d in found for e in d.fix or ()])
            assert fixed == example_post(good)


def test_shipped_packs_are_package_data() -> None:
    names = sorted(p.name for p in (resources.files("postlint") / "rules").iterdir())
    assert {"typography.toml", "plain-words.toml", "profanity.toml", "inclusive.toml"} <= set(names)
    defaults = {f.name: {r.default for r in f.rules} for f in shipped_families()}
    assert defaults == {
        "inclusive": {False},
        "plain-words": {False},
        "profanity": {False},
        "typography": {False},
    }


def test_pack_rules_document_themselves() -> None:
    rule = CATALOGUE.find("wordy-phrase")
    assert rule is not None and rule.code == "PLW001" and rule.fixable
    docs = rule.docs()
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:"):
        assert section in docs
    assert "- `in order to → to`" in docs and "## Fix safety" in docs and "unsafe" in docs


# -- what packs read ---------------------------------------------------------------------------

POST = """+++
title = "In order to win"
[taxonomies]
tags = ["in order to"]
+++

We wrote this in order
to test wrapping. `in order to` stays, and so do
[links](https://example.org/in-order-to) and https://example.org/in%20order%20to.

> Quoted: in order to.

```
in order to
```

<!-- in order to -->
"""


def test_prose_only_with_exact_positions_across_a_line_break() -> None:
    found = lint(POST, ("PLW001",))
    # the block quote (line 11) is someone else's words: plain-words skips quotations
    assert [(d.line, d.column, d.end_line, d.end_column) for d in found] == [(7, 15, 8, 3)]
    assert found[0].message == "`in order to` says the same as `to`: use the shorter form."
    assert POST[found[0].start : found[0].end] == "in order\nto"
    assert found[0].fix_safe is False


def test_shortcodes_urls_and_emails_are_not_prose() -> None:
    text = (
        '+++\ntitle = "T"\n+++\n\nIt’s {{ video(id="in order to") }} and '
        '{{< figure alt="x" >}} at in-order-to@example.org, '
        "www.example.org/in-order-to/a...b now.\n"
        '{% note(kind="warn") %}\n'
    )
    assert lint(text, ("PLW001", "TYP003", "TYP004")) == []


def test_title_and_tags_scopes_point_at_the_value() -> None:
    found = lint(POST, ("HSE005",))
    assert found == []
    text = '+++\ntitle = "How We Moved Everything"\n+++\n\n## Getting Started With Caching\n'
    found = lint(text, ("HSE005",))
    assert [(d.line, d.column, d.end_column) for d in found] == [(2, 10, 33), (5, 4, 32)]
    assert found[0].message == "Write this in sentence case: `How we moved everything`."
    tags = '+++\ntitle = "T"\n[taxonomies]\ntags = ["rust", "WebAssembly"]\n+++\n\nBody.\n'
    (tag,) = lint(tags, ("HSE008",))
    assert (tag.line, tag.column, tag.end_column) == (4, 18, 29)
    assert tag.message == "The tag `WebAssembly` should be lowercase."


def test_case_is_kept() -> None:
    assert keep_case("Utilize", "use") == "Use"
    assert keep_case("UTILIZE", "use") == "USE"
    assert keep_case("utilize", "use") == "use"
    assert keep_case("In order to", "to") == "To"
    (d,) = lint('+++\ntitle = "T"\n+++\n\nUTILIZE it.\n', ("PLW002",))
    assert d.fix and d.fix[0].replacement == "USE"


def test_straight_quotes_only_in_posts_with_curly_ones_and_not_with_smart_punctuation() -> None:
    text = "+++\ntitle = \"T\"\n+++\n\nIt’s a “test” of ‘quotes’, it’s “fine” and it's 'done'.\n"
    found = lint(text, ("TYP004",))
    assert [[e.replacement for e in d.fix or ()] for d in found] == [["’"], ["‘", "’"]]
    assert lint(text.replace("’", "'"), ("TYP004",)) == []  # mostly straight: quote-style's
    smart = SiteInfo(
        root=ROOT,
        generator="zola",
        content_dir=ROOT,
        static_dir=None,
        config={"markdown": {"smart_punctuation": True}},
    )
    assert lint(text, ("TYP004",), smart) == []
    hugo = SiteInfo(root=ROOT, generator="hugo", content_dir=ROOT, static_dir=None)
    assert lint(text, ("TYP004",), hugo) == []
    assert lint("Late - again.\n", ("TYP002",), hugo) != []  # no generator fixes a spaced hyphen


def test_suppressions_and_selection_by_pack_name() -> None:
    text = (
        '+++\ntitle = "T"\n+++\n\n<!-- postlint-disable-next-line plain-words -->\n'
        "We utilize it.\nWe utilize it.\n"
    )
    found = lint(text, ("plain-words",))
    assert [(d.code, d.line) for d in found] == [("PLW002", 7)]
    catalogue = api.catalogue()
    chosen = {r.code for r in catalogue.select(None, ("profanity",))}
    assert "PRF001" in chosen and "INC001" not in chosen and "PLW001" not in chosen
    assert "PRF001" in {r.code for r in catalogue.select(None, ("PRF",))}
    assert catalogue.unknown_selectors(["inclusive", "INC", "typography"]) == []


# -- a site's own packs ------------------------------------------------------------------------


def test_config_packs_are_known_everywhere(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/post.md": '+++\ntitle = "T"\n+++\n\nOur synergy shows. An e-mail.\n',
            "style/house.toml": HOUSE.read_text(encoding="utf-8"),
        },
        config='packs = ["style/house.toml"]\nignore = ["house-spelling"]\n[house]\n',
    )
    result = run_cli("check", "content", "--no-cache", "--select", "HSE", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "content/post.md:5:5: HSE001 `synergy` is on the house list of words to avoid."
        in result.stdout
    )
    assert "HSE002" not in result.stdout
    listing = run_cli("rules", cwd=root)
    assert "HSE007  house-repeated-word" in listing.stdout
    shown = run_cli("rule", "house-adviser", cwd=root)
    assert shown.returncode == 0 and "# house-adviser (HSE003)" in shown.stdout
    bad = run_cli("check", "content", "--select", "NOPE", cwd=root)
    assert bad.returncode == 2


def test_a_bad_config_pack_names_file_line_and_key(tmp_path: Path) -> None:
    pack = HOUSE.read_text(encoding="utf-8").replace("safe = true\nswap", "saef = true\nswap")
    root = write_site(
        tmp_path,
        {"content/post.md": '+++\ntitle = "T"\n+++\n\nBody.\n', "house.toml": pack},
        config='packs = ["house.toml"]\n',
    )
    result = run_cli("check", "content", cwd=root)
    assert result.returncode == 2
    line = pack[: pack.index("saef")].count("\n") + 1
    assert (
        f"house.toml:{line}: unknown key `saef` in a substitution [[rule]] (did you mean `safe`?)."
        in result.stderr
    )
    with pytest.raises(ConfigError, match=r"cannot read the rule pack `missing\.toml`"):
        api.load(root, Config(path=root / "postlint.toml", packs=("missing.toml",)))


PACK_HEAD = '[pack]\nname = "t"\nprefix = "TT"\ndescription = "d"\n\n'
RULE_HEAD = '[[rule]]\ncode = "TT001"\nname = "r"\nseverity = "info"\n'
EXAMPLE = '[[rule.example]]\nbad = "x"\ngood = "y"\n'


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            'kind = "existence"\npatterns = ["(a+)+b"]\n',
            "t.toml:11: the regular expression '(a+)+b' could take exponential time "
            "(a repeated group holds a repeat that can also match what follows it)",
        ),
        ('kind = "existence"\npatterns = ["(.*)*"]\n', "could take exponential time"),
        (
            'kind = "existence"\npatterns = ["(a|a)*b"]\n',
            "alternatives that can match the same text",
        ),
        (
            'kind = "existence"\npatterns = ["([a-z"]\n',
            "t.toml:11: the regular expression '([a-z' does not compile",
        ),
        ('kind = "existense"\n', "t.toml:10: `kind` must be one of existence"),
        (
            'kind = "existence"\nwords = ["x"]\nmessage = "{mtach}"\n',
            "t.toml:12: the message uses {mtach}",
        ),
        (
            'kind = "existence"\nwords = ["x"]\nscope = "heading"\n',
            "unknown scope 'heading' (did you mean `headings`?)",
        ),
        (
            'kind = "occurrence"\npattern = "!"\nmax = 1\nper = "page"\n',
            '`per` must be "post" or "paragraph"',
        ),
        ('kind = "substitution"\nswap = { a = 1 }\n', "the replacement for `a` must be a string"),
    ],
)
def test_malformed_packs_are_configuration_errors(body: str, error: str) -> None:
    text = PACK_HEAD + RULE_HEAD + body + EXAMPLE
    with pytest.raises(ConfigError) as caught:
        load_pack_text(text, "t.toml")
    assert error in str(caught.value)


def test_pack_level_errors() -> None:
    with pytest.raises(ConfigError, match=r"t.toml:5: the pack `t` needs postlint 99.0 or later"):
        load_pack_text(
            PACK_HEAD.replace('"d"\n', '"d"\nmin-postlint = "99.0"\n') + RULE_HEAD, "t.toml"
        )
    with pytest.raises(
        ConfigError, match=r"t.toml:1: unknown key `rules` \(did you mean `rule`\?\)"
    ):
        load_pack_text("rules = 1\n" + PACK_HEAD, "t.toml")
    with pytest.raises(ConfigError, match=r"needs at least one \[\[rule.example\]\]"):
        load_pack_text(PACK_HEAD + RULE_HEAD + 'kind = "existence"\nwords = ["x"]\n', "t.toml")
    with pytest.raises(ConfigError, match="`TX001` must be the prefix TT and 3 digits"):
        load_pack_text(
            PACK_HEAD
            + RULE_HEAD.replace("TT001", "TX001")
            + 'kind = "existence"\nwords = ["x"]\n'
            + EXAMPLE,
            "t.toml",
        )


def test_backtracking_check_accepts_ordinary_patterns() -> None:
    for pattern in (
        r"\b(?:very|really)\s+\w+",
        r"(?:ab|cd)+",
        r"(?:\s|\w)*x",
        r"a+b+",
        r"(?:a{1,3}b)+",
        r"(?:\s+\w+)+",  # the repeats cannot trade characters
        r"\w+(?:[-']\w+)*",
        r"\d{1,3}(?:,\d{3})*",
        r"(?:a|ab)+c",  # after an `a`, only a `b` or the next `a` decides
        r"[\w\d]+",  # one set, however it is written
        r"(?:x{2}){3}",
        r"(?:ß|ss)+",  # "ß".upper() is "SS", which crashed the check
    ):
        for flags in (0, re.IGNORECASE | re.MULTILINE):
            assert backtracking_risk(pattern, flags) == "", pattern
    for pattern in (
        r"(\w+\s?)+$",
        r"(x+x+)+y",
        r"(?:x|\w)+$",  # `re` would merge the alternatives into a set; `regex` tries both
        r"(?:a|A)+x",  # under IGNORECASE
        r"(?:a?)+b",
        r"(?=(?:a+)+b)",
    ):
        assert backtracking_risk(pattern, re.IGNORECASE), pattern


# The shapes of issue 15: two ran for minutes, three crashed the loader with a TypeError.
@pytest.mark.parametrize(
    "pattern", [r"(a{1,10}){1,10}$", r"(.*a){20}", r"(a|aa)+$", r"^(a|a?)+$", r"(a|b|ab)*c"]
)
def test_catastrophic_patterns_are_refused_with_file_and_line(pattern: str) -> None:
    body = f'kind = "existence"\npatterns = [{json.dumps(pattern)}]\n'
    with pytest.raises(ConfigError) as caught:
        load_pack_text(PACK_HEAD + RULE_HEAD + body + EXAMPLE, "t.toml")
    assert str(caught.value).startswith(
        f"t.toml:11: the regular expression {pattern!r} could take exponential time ("
    )


def test_a_catastrophic_site_pack_fails_the_cli_naming_the_file(tmp_path: Path) -> None:
    pack = PACK_HEAD + RULE_HEAD + 'kind = "existence"\npatterns = ["(a|aa)+$"]\n' + EXAMPLE
    root = write_site(
        tmp_path,
        {"content/post.md": '+++\ntitle = "T"\n+++\n\nBody.\n', "t.toml": pack},
        config='packs = ["t.toml"]\n',
    )
    result = run_cli("check", "content", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith("postlint: error: ")
    assert f"{root / 't.toml'}:11: the regular expression '(a|aa)+$' could take" in result.stderr
    assert "internal error" not in result.stderr


def test_backtracking_check_never_crashes_on_random_patterns() -> None:
    """Patterns built from every construct of the syntax, under both flag sets: the check
    answers (whatever it answers) and every pattern it accepts compiles for the matcher."""
    rng = random.Random(15)
    atoms = [
        "a",
        "ß",
        "K",
        ".",
        r"\w",
        r"\s",
        r"\d",
        r"\W",
        "[a-zß]",
        "[^a]",
        r"[\w\d]",
        "ſ",
        r"\b",
        "^",
        "$",
        r"\1",
        "(?=a)",
        "(?!b)",
        "(?<=c)",
        "(?<!d)",
        "\u0b95",
        "😀",
    ]
    quantifiers = ["", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "++", "?+"]

    def pattern(depth: int) -> str:
        parts = []
        for _ in range(rng.randint(1, 3)):
            if depth and rng.random() < 0.4:
                inner = "|".join(pattern(depth - 1) for _ in range(rng.randint(1, 3)))
                part = rng.choice(["(", "(?:", "(?>", "(?i:"]) + inner + ")"
            else:
                part = rng.choice(atoms)
            parts.append(part + rng.choice(quantifiers))
        return "".join(parts)

    checked = 0
    for _ in range(3000):
        source = "(x)" + pattern(3)
        try:
            re.compile(source)
        except re.error:
            continue
        for flags in (0, re.IGNORECASE | re.MULTILINE):
            risk = backtracking_risk(source, flags)
            assert isinstance(risk, str)
            checked += 1
    assert checked > 2000
    deep = "(?:" * 2000 + "a" + ")" * 2000
    with pytest.raises(ConfigError, match="nests its groups too deeply"):
        load_pack_text(
            PACK_HEAD + RULE_HEAD + f'kind = "existence"\npatterns = ["{deep}"]\n' + EXAMPLE,
            "t.toml",
        )


def test_a_slow_pattern_is_stopped_and_reported_on_its_rule(tmp_path: Path) -> None:
    """A pattern the check cannot judge (polynomial, not nested) stops after its budget on each
    post, with a finding of its own rule at the paragraph it was reading; the run goes on."""
    pack = (
        PACK_HEAD.replace('name = "t"', 'name = "slow"')
        + RULE_HEAD.replace('"r"', '"stuttering-dots"')
        + 'kind = "existence"\npatterns = ["\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\.$"]\n'
        + '[[rule.example]]\nbad = "x."\ngood = "x. y"\n'
    )
    slow = '+++\ntitle = "T"\n+++\n\nFine.\n\n' + "x" * 3000 + ". ?\n"
    root = write_site(
        tmp_path,
        {
            "content/slow.md": slow,
            "content/ok.md": '+++\ntitle = "T"\n+++\n\nDone.\n',
            "slow.toml": pack,
        },
        config='packs = ["slow.toml"]\nselect = ["TT001"]\n',
    )
    started = time.perf_counter()
    result = run_cli("check", "content", "--no-cache", "--format", "json", cwd=root)
    took = time.perf_counter() - started
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["path"], d["line"], d["column"], d["end_line"], d["code"]) for d in found] == [
        ("content/ok.md", 5, 1, 5, "TT001"),  # `Done.` ends its paragraph: a true finding
        ("content/slow.md", 5, 1, 5, "TT001"),  # found before the budget ran out
        ("content/slow.md", 7, 1, 7, "TT001"),  # where it was stopped
    ]
    assert found[2]["message"] == (
        "Stopped after 1 s: the pattern `\\w*\\w*\\w*\\w*\\w*\\.$` takes too long on this post, "
        "so `stuttering-dots` may have missed problems here; simplify the pattern in the `slow` "
        "rule pack."
    )
    assert result.returncode == 0  # an info rule
    assert took < PATTERN_BUDGET + 15


def test_a_long_paragraph_is_matched_in_bounded_windows() -> None:
    body = ("word " * 5000) + "in order to end.\n"
    found = lint('+++\ntitle = "T"\n+++\n\n' + body, ("PLW001",))
    assert len(found) == 1 and found[0].column == 25001


def test_a_site_pack_replaces_the_shipped_pack_of_the_same_name(tmp_path: Path) -> None:
    shipped = (resources.files("postlint") / "rules" / "typography.toml").read_text(
        encoding="utf-8"
    )
    mine = shipped.replace('" - (?<=', '" -- (?<=').replace("spaced-hyphen-dash", "spaced-dash")
    config = Config(path=tmp_path / "postlint.toml", packs=("typography.toml", "./typography.toml"))
    (tmp_path / "typography.toml").write_text(mine, encoding="utf-8")
    catalogue = api.catalogue(config)
    assert [f.name for f in catalogue.families].count("typography") == 1
    assert (
        catalogue.find("spaced-dash") is not None and catalogue.find("spaced-hyphen-dash") is None
    )


def test_results_cache_notices_a_changed_pack(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/post.md": '+++\ntitle = "T"\n+++\n\nOur synergy and our moonshot.\n',
            "house.toml": HOUSE.read_text(encoding="utf-8"),
        },
        config='packs = ["house.toml"]\nselect = ["HSE001"]\n',
    )
    first = run_cli("check", "content", "--format", "json", cwd=root)
    assert first.stdout.count('"HSE001"') == 1
    pack = root / "house.toml"
    pack.write_text(pack.read_text().replace('"synergy",', '"synergy", "moonshot",'))
    second = run_cli("check", "content", "--format", "json", cwd=root)
    assert second.stdout.count('"HSE001"') == 2


def test_required_literal() -> None:
    from postlint.packs import required_literal

    assert required_literal(re.compile(r"\b(hi|hey)(,?)\s+Guys\b", re.I)) == "guys"
    assert required_literal(re.compile(r" -- (?<=x -- )")) == " -- "
    assert required_literal(re.compile(r"(?:ab|cd)+")) == ""
    assert required_literal(re.compile(r"a?bc")) == "bc"
