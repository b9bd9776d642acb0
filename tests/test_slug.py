"""Heading anchors and path slugs against the generators' own examples.

Sources of expected strings are named on each test: Zola's components/utils/src/slugs.rs and
components/markdown/src/markdown.rs, the slug crate's doc examples (src/lib.rs), deunicode's
tests/unidecode.rs, and Hugo's markup/goldmark/autoid.go and autoid_test.go.
"""

from __future__ import annotations

import pytest

from postlint.slug import heading_anchors, slug_crate_slugify, slugify_path

# Zola components/utils/src/slugs.rs, can_slugify_paths: input -> (on, safe, off).
ZOLA_PATHS = [
    ("input", ("input", "input", "input")),
    ("test ", ("test", "test", "test ")),
    ("tes t", ("tes-t", "tes t", "tes t")),
    ("dot. ", ("dot", "dot", "dot. ")),
    ("日本", ("ri-ben", "日本", "日本")),
    ("héhé", ("hehe", "héhé", "héhé")),
    ("test (hey)", ("test-hey", "test (hey)", "test (hey)")),
]

# Zola components/utils/src/slugs.rs, can_slugify_anchors: input -> (on, safe, off).
ZOLA_ANCHORS = [
    ("input", ("input", "input", "input")),
    ("test ", ("test", "test_", "test_")),
    ("tes t", ("tes-t", "tes_t", "tes_t")),
    ("dot. ", ("dot", "dot._", "dot._")),
    ("日本", ("ri-ben", "日本", "日本")),
    ("héhé", ("hehe", "héhé", "héhé")),
    ("test (hey)", ("test-hey", "test_(hey)", "test_(hey)")),
]


@pytest.mark.parametrize(("text", "expected"), ZOLA_PATHS)
def test_zola_slugify_paths(text: str, expected: tuple[str, str, str]) -> None:
    on, safe, off = expected
    assert slugify_path(text, "on") == on
    assert slugify_path(text, "safe") == safe
    assert slugify_path(text, "off") == off


@pytest.mark.parametrize(("text", "expected"), ZOLA_ANCHORS)
def test_zola_slugify_anchors(text: str, expected: tuple[str, str, str]) -> None:
    on, safe, off = expected
    assert heading_anchors([text], "zola") == [on]
    assert heading_anchors([text], "zola-safe") == [safe]
    assert heading_anchors([text], "zola-off") == [off]


def test_zola_safe_path_strips_ntfs_characters() -> None:
    # strip_invalid_paths_chars in slugs.rs: trailing spaces/dots trimmed, <>:"/\|?* removed.
    assert slugify_path('a<b>c:d"e/f\\g|h?i*j. . ', "safe") == "abcdefghij"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The slug crate's doc examples (src/lib.rs), with Zola's "-" separator.
        ("My Test String!!!1!1", "my-test-string-1-1"),
        ("test\nit   now!", "test-it-now"),
        ("  --test_-_cool", "test-cool"),
        ("Æúű--cool?", "aeuu-cool"),
        ("You & Me", "you-me"),
        ("user@example.com", "user-example-com"),
    ],
)
def test_slug_crate_examples(text: str, expected: str) -> None:
    assert slug_crate_slugify(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # deunicode tests/unidecode.rs test_conversion, run through the slug rules.
        ("Æneid", "aeneid"),
        ("étude", "etude"),
        ("北亰", "bei-jing"),
        ("北亰city", "bei-jing-city"),
        ("北 亰 — city", "bei-jing-city"),
        ("ᔕᓇᓇ", "shanana"),
        ("ᏔᎵᏆ", "taliqua"),
        ("अभिजीत", "abhijiit"),
        ("げんまい茶", "genmaicha"),
        ("…", ""),
        # Everyday headings.
        ("Ça va?", "ca-va"),
        ("Ærøskøbing", "aeroskobing"),
        ("Привет, мир", "privet-mir"),
        ("Straße 12", "strasse-12"),
        ("C++ & Rust: a “tour”", "c-rust-a-tour"),
        ("He said \u201chi\u201d \u2014 twice", "he-said-hi-twice"),
        ("e\u0301tude (decomposed)", "etude-decomposed"),
    ],
)
def test_zola_on_transliterates(text: str, expected: str) -> None:
    assert heading_anchors([text], "zola") == [expected]


def test_zola_on_emoji_is_a_known_difference() -> None:
    # Zola (deunicode) names emoji: "🚀 Launch" -> "rocket-launch", "🦄☣" -> "unicorn-biohazard".
    # text-unidecode has no emoji table; astral characters act as a separator instead.
    assert heading_anchors(["🚀 Launch"], "zola") == ["launch"]
    assert heading_anchors(["a🦄b"], "zola") == ["a-b"]
    assert heading_anchors(["🎉"], "zola") == [""]


def test_zola_duplicates_are_numbered_from_one() -> None:
    # markdown.rs find_anchor: "example, example-1, example-2 etc".
    assert heading_anchors(["Example", "Example", "Example"], "zola") == [
        "example",
        "example-1",
        "example-2",
    ]


def test_zola_numbering_skips_names_already_taken() -> None:
    # find_anchor checks every candidate against all anchors given so far.
    assert heading_anchors(["Example", "Example 1", "Example", "Example 1"], "zola") == [
        "example",
        "example-1",
        "example-2",
        "example-1-1",
    ]


def test_zola_empty_headings() -> None:
    # slug::slugify("") is "", and find_anchor numbers it like any other name.
    assert heading_anchors(["", "!!!", ""], "zola") == ["", "-1", "-2"]
    assert heading_anchors(["", ""], "zola-safe") == ["", "-1"]


def test_zola_off_keeps_unicode_and_punctuation() -> None:
    assert heading_anchors(["Ça va?\tOui", "Ça va?\tOui"], "zola-off") == [
        "Ça_va?_Oui",
        "Ça_va?_Oui-1",
    ]


# Hugo markup/goldmark/autoid_test.go, TestSanitizeAnchorName ("generated manually on github.com").
HUGO_GITHUB = [
    ("God is good: 神真美好", "god-is-good-神真美好"),
    ("Number 32", "number-32"),
    ("Question?", "question"),
    ("1+2=3", "123"),
    ('Special !"#$%&(parens)=?´* chars', "special-parens-chars"),
    ("Resumé", "resumé"),
    ("One-Hyphen", "one-hyphen"),
    ("Multiple--Hyphens", "multiple--hyphens"),
    ("Trailing hyphen-", "trailing-hyphen-"),
    ("Many   spaces  here", "many---spaces--here"),
    ("Forward/slash", "forwardslash"),
    ("Backward\\slash", "backwardslash"),
    ("Under_score", "under_score"),
    ("Nonbreaking\u00a0Space", "nonbreakingspace"),
    ("Tab\tSpace", "tabspace"),
    ("Trailing Space ", "trailing-space"),
]


@pytest.mark.parametrize(("text", "expected"), HUGO_GITHUB)
def test_hugo_github_ids(text: str, expected: str) -> None:
    assert heading_anchors([text], "hugo") == [expected]


def test_hugo_github_ascii() -> None:
    # autoid_test.go, TestSanitizeAnchorNameAsciiOnly.
    assert heading_anchors(["god is神真美好 good"], "hugo-github-ascii") == ["god-is-good"]
    assert heading_anchors(["Resumé"], "hugo-github-ascii") == ["resume"]
    assert heading_anchors(["Ærøskøbing"], "hugo-github-ascii") == ["rskbing"]


def test_hugo_blackfriday() -> None:
    # autoid_test.go, TestSanitizeAnchorNameBlackfriday.
    assert heading_anchors(["Let's try this, shall we?"], "hugo-blackfriday") == [
        "let-s-try-this-shall-we"
    ]
    # SanitizedAnchorName: letters and numbers (any script) kept, lowered; other runs -> "-".
    assert heading_anchors(["  Ça va? ½ -- 日本 "], "hugo-blackfriday") == ["ça-va-½-日本"]


def test_hugo_non_ascii_and_emoji() -> None:
    # github style keeps letters of any script and drops symbols such as emoji.
    assert heading_anchors(["Ça va?", "🚀 Launch", "Привет, мир"], "hugo") == [
        "ça-va",
        "-launch",
        "привет-мир",
    ]


def test_hugo_lowercases_like_go() -> None:
    # Go's unicode.ToLower is the simple mapping: "İ" -> "i", not "i̇".
    assert heading_anchors(["İstanbul"], "hugo") == ["istanbul"]


def test_hugo_duplicates_and_empty_headings() -> None:
    # autoid.go idFactory.Generate: empty -> "heading"; repeats get "-1", "-2"...
    assert heading_anchors(["Intro", "Intro", "", "?!", "Intro"], "hugo") == [
        "intro",
        "intro-1",
        "heading",
        "heading-1",
        "intro-2",
    ]
    assert heading_anchors(["A", "A-1", "A"], "hugo") == ["a", "a-1", "a-2"]
    assert heading_anchors(["", ""], "hugo-blackfriday") == ["heading", "heading-1"]


def test_unknown_style_and_mode() -> None:
    with pytest.raises(ValueError, match="unknown anchor style"):
        heading_anchors(["x"], "jekyll")
    with pytest.raises(ValueError, match="unknown slugify mode"):
        slugify_path("x", "maybe")


def test_no_headings() -> None:
    assert heading_anchors([], "zola") == []


def test_many_identical_headings_are_numbered_in_linear_time() -> None:
    """Each repeat continues from the last number given, not from 1 (issue 15: 10,000
    identical headings took 16 s); names taken on the way still shift the numbering."""
    import time

    assert heading_anchors(["Step", "Step", "Step 2", "Step", "Step"]) == [
        "step",
        "step-1",
        "step-2",
        "step-3",
        "step-4",
    ]
    assert heading_anchors(["", "", "Heading", ""], "hugo") == [
        "heading",
        "heading-1",
        "heading-2",
        "heading-3",
    ]
    started = time.perf_counter()
    anchors = heading_anchors(["Step"] * 20_000)
    elapsed = time.perf_counter() - started
    assert anchors[-1] == "step-19999" and len(set(anchors)) == 20_000
    assert elapsed < 2.0  # quadratic numbering takes about a minute here
