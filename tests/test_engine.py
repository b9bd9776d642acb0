"""The engine: suppressions, per-file ignores, the cache, parallel runs equal to serial ones."""

from __future__ import annotations

import time
from pathlib import Path

from postlint import api, lint_paths, lint_text
from postlint.config import Config
from postlint.report.json import diagnostic_data

BAD = '+++\ntitle = 3\ndraft = "no"\n+++\nBody.\n'


def test_lint_text_fields_match_the_json_contract() -> None:
    (d, _) = lint_text(BAD, "post.md", Config(select=("FM005",)))
    data = diagnostic_data(d)
    for name in (
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "rule",
        "severity",
        "message",
        "url",
    ):
        assert getattr(d, name) == data[name], name
    assert isinstance(d.path, str)
    assert (d.line, d.column, d.end_line, d.end_column) == (2, 1, 2, 6)


def test_inline_suppressions_cover_the_right_lines() -> None:
    from postlint.parse import parse_post
    from postlint.registry import Catalogue
    from postlint.suppress import suppressor_for

    text = (
        "+++\ntitle = 3\n+++\n"  # 1-3
        "<!-- postlint-disable-next-line file-bom -->\n\nFirst.\n"  # 4-6
        "<!-- postlint-disable FM -->\nSecond.\n<!-- postlint-enable FM -->\n"  # 7-9
        "<!-- postlint-disable -->\nThird.\n"  # 10-11
    )
    suppressor = suppressor_for(parse_post(text, "a.md"))
    catalogue = Catalogue(api.catalogue().families)
    bom, date = catalogue.find("file-bom"), catalogue.find("frontmatter-date")
    assert bom is not None and date is not None
    assert suppressor.silences(bom, 6) and not suppressor.silences(bom, 5)
    assert not suppressor.silences(date, 6)
    assert suppressor.silences(date, 8) and suppressor.silences(date, 9)
    assert not suppressor.silences(date, 2)
    assert suppressor.silences(date, 11) and suppressor.silences(bom, 11)
    config = Config(select=("FM005",))
    assert [d.rule for d in lint_text(text, "a.md", config)] == ["frontmatter-field-type"]
    suppressed = (
        '+++\ntitle = 3\n[extra.postlint]\nignore = ["frontmatter-field-type"]\n+++\nBody.\n'
    )
    assert lint_text(suppressed, "a.md", config) == []


def test_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.md").write_text(BAD)
    (tmp_path / "new.md").write_text(BAD)
    config = Config(
        path=tmp_path / "postlint.toml",
        select=("FM005",),
        per_file_ignores={"archive/*": ("FM005",)},
    )
    paths = {Path(d.path).name for d in lint_paths([tmp_path], config)}
    assert paths == {"new.md"}


def make_site(root: Path, posts: int) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "config.toml").write_text('base_url = "https://example.org"\n')
    for i in range(posts):
        text = BAD if i % 3 == 0 else f'+++\ntitle = "Post {i}"\n+++\nBody {i}.\n'
        (root / "content" / f"post-{i:03d}.md").write_text(text)
    return root


def test_parallel_matches_serial(tmp_path: Path) -> None:
    root = make_site(tmp_path, 60)
    serial = api.run_paths([root / "content"], Config(), jobs=1).diagnostics
    parallel = api.run_paths([root / "content"], Config(), jobs=2).diagnostics
    assert serial == parallel
    assert len(serial) == 40


def test_cache_reuses_results_and_notices_changes(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 30)
    cache = tmp_path / "cache"
    first = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert first.cached == 0
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert again.cached == 30 and again.diagnostics == first.diagnostics
    target = root / "content" / "post-001.md"
    target.write_text(BAD)
    changed = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert changed.cached == 29
    assert len(changed.diagnostics) == len(first.diagnostics) + 2
    other = api.run_paths([root / "content"], Config(select=("FM005",)), jobs=1, cache_dir=cache)
    assert other.cached == 0  # another configuration never reuses results


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 3)
    cache = tmp_path / "cache"
    api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    (cache / "results.sqlite").write_bytes(b"not a database, though it is called one" * 100)
    result = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert result.cached == 0 and len(result.diagnostics) == 2
    assert result.notes == [f"the result cache in {cache} was damaged; rebuilding it"]
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert again.cached == 3 and again.notes == []


def test_a_crashing_rule_does_not_stop_the_run(tmp_path: Path) -> None:
    from postlint.engine import Linter
    from postlint.registry import Catalogue
    from postlint.rule import Family, Rule
    from postlint.site import detect_site

    class Crash(Rule):
        """Crashes."""

        code = "ZZ001"
        name = "crash"
        summary = "Crashes"
        severity = "error"

        def check(self, post, ctx):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    root = make_site(tmp_path, 3)
    families = (*api.catalogue().families, Family("crash", "ZZ", "", (Crash,)))
    linter = Linter(Config(), Catalogue(families), detect_site(root))
    start = time.perf_counter()
    result = linter.run(sorted((root / "content").glob("*.md")), jobs=1)
    assert time.perf_counter() - start < 30
    assert len(result.errors) == 3
    assert result.errors[0].endswith("rule crash failed on " + result.errors[0].split(" on ")[-1])
    assert "RuntimeError: boom" in result.errors[0]
    assert len(result.diagnostics) == 2  # the other rules still reported


def test_one_file_is_judged_against_the_whole_site(tmp_path: Path) -> None:
    from postlint.engine import Linter
    from postlint.registry import Catalogue
    from postlint.rule import Family, Rule
    from postlint.site import detect_site

    class Census(Rule):
        """Counts the posts the site index holds."""

        code = "ZZ002"
        name = "census"
        summary = "Counts posts"
        severity = "info"

        def check_site(self, site, ctx):  # type: ignore[no-untyped-def]
            for path, summary in site.posts.items():
                yield path, self.finding(summary.first_line, f"{len(site.posts)} posts")

    root = make_site(tmp_path, 5)
    families = (*api.catalogue().families, Family("census", "ZZ", "", (Census,)))
    linter = Linter(Config(select=("census",)), Catalogue(families), detect_site(root))
    result = linter.run([root / "content" / "post-002.md"], jobs=1)
    assert [(Path(d.path).name, d.message) for d in result.diagnostics] == [
        ("post-002.md", "5 posts")
    ]
    assert result.files == 1


def test_derived_data_lives_on_its_post_and_goes_with_it() -> None:
    """Prose, term facts and pack scope texts are kept per post, not in module-level "last
    post" caches: two posts read in turn each get their own, and a post nobody holds is freed."""
    import gc
    import weakref

    from postlint.checks.terms import _post_facts
    from postlint.checks.text import prose, repairs
    from postlint.packs import scope_text
    from postlint.parse import parse_post
    from postlint.prose import paragraphs

    one = parse_post("The e-mail went out.\n\nAn email came back.\n", "one.md")
    two = parse_post("Nothing about mail here.\n", "two.md")
    readers = (prose, paragraphs, repairs, _post_facts, lambda p: scope_text(p, ("prose",)))
    first = [read(one) for read in readers]
    others = [read(two) for read in readers]
    assert [read(one) for read in readers] == first  # the same objects, not rebuilt
    assert all(a is b for a, b in zip(first, [read(one) for read in readers], strict=True))
    assert "e-mail" in paragraphs(one)[0].text and "mail here" in paragraphs(two)[0].text
    assert set(_post_facts(one)) != set(_post_facts(two))
    assert others[0] is not first[0]
    # freed by reference counting alone: the engine pauses the cyclic collector while it lints
    gone = weakref.ref(one)
    gc.disable()
    try:
        del one, first
        assert gone() is None
    finally:
        gc.enable()


def test_posts_linted_on_threads_at_once_get_their_own_findings() -> None:
    """Shared module-level caches once gave a thread the prose of another thread's post."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f'Post {n} says "hello" to the e-mail and the email {"teh " * (n % 3)}list.\n'
        f"\nIt utilize {n} things... in order to test.\n"
        for n in range(12)
    ]

    def messages(text: str) -> list[str]:
        found = lint_text(text, "p.md", select=["ALL"])
        return sorted(diagnostic_data(d)["message"] for d in found)

    serial = [messages(t) for t in texts]
    assert any("teh" in m for m in serial[1]) and not any("teh" in m for m in serial[0])
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(messages, texts)) == serial


def test_the_other_posts_only_feed_the_site_rules_their_facts(tmp_path: Path) -> None:
    """One post named: it is checked with every rule; the site's other posts only give the
    site-wide rules what those collect, from the cache when unchanged."""
    from postlint.engine import Linter
    from postlint.registry import Catalogue
    from postlint.rule import Family, Rule
    from postlint.site import detect_site

    checked: list[str] = []
    collected: list[str] = []

    class Words(Rule):
        """Counts words across the site."""

        code = "ZZ003"
        name = "site-words"
        summary = "Counts words"
        severity = "info"

        def check(self, post, ctx):  # type: ignore[no-untyped-def]
            checked.append(Path(post.path).name)
            return ()

        def collect(self, post, ctx):  # type: ignore[no-untyped-def]
            collected.append(Path(post.path).name)
            return len(post.text.split())

        def check_site(self, site, ctx):  # type: ignore[no-untyped-def]
            total = sum(site.collected(self.name).values())
            for path, summary in site.posts.items():
                yield path, self.finding(summary.first_line, f"{total} words on the site")

    root = make_site(tmp_path / "site", 5)
    families = (*api.catalogue().families, Family("words", "ZZ", "", (Words,)))
    catalogue = Catalogue(families)
    cache = tmp_path / "cache"

    def run(name: str) -> list[str]:
        linter = Linter(Config(select=("site-words",)), catalogue, detect_site(root))
        result = linter.run([root / "content" / name], jobs=1, cache_dir=cache)
        return [f"{Path(d.path).name}: {d.message}" for d in result.diagnostics]

    assert run("post-002.md") == ["post-002.md: 42 words on the site"]
    assert checked == ["post-002.md"]
    assert sorted(collected) == [f"post-{i:03d}.md" for i in range(5)]
    checked.clear()
    collected.clear()
    (root / "content" / "post-004.md").write_text(
        '+++\ntitle = "Four"\n+++\nOne two three four five six.\n'
    )
    assert run("post-002.md") == ["post-002.md: 45 words on the site"]
    assert checked == [] and collected == ["post-004.md"]  # the rest came from the cache
    assert run("post-001.md") == ["post-001.md: 45 words on the site"]
    assert checked == ["post-001.md"] and collected == ["post-004.md", "post-001.md"]
    # the last site phase judged post-001 only: another post's site-wide findings are judged
    assert run("post-003.md") == ["post-003.md: 45 words on the site"]
    assert run("post-001.md") == ["post-001.md: 45 words on the site"]  # kept from before
