"""The result cache: data only (a planted or crafted cache runs nothing and is rebuilt), keyed
by content (a fresh install of the same code hits), and read only as far as a run needs."""

from __future__ import annotations

import json
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from postlint import api
from postlint.cache import Codec, Damaged, Unencodable
from postlint.config import Config
from postlint.engine import PACKAGE, code_digest
from postlint.model import Edit, Finding, Fix, Span
from tests.conftest import run_cli
from tests.test_engine import BAD, make_site


class _Planted:
    """Unpickling this makes a folder: proof that the pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.mkdir, (str(self.marker),))


def test_a_planted_pickle_runs_nothing(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 3)
    cache = root / ".postlint-cache"
    cache.mkdir()
    marker = tmp_path / "it-ran"
    planted = pickle.dumps({"content/post-000.md": _Planted(marker)})
    (cache / "results-0123456789abcdef0123.pickle").write_bytes(planted)
    result = run_cli("check", "content", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stderr
    assert not marker.exists()
    assert len(json.loads(result.stdout)["diagnostics"]) == 2
    assert not list(cache.glob("results-*.pickle"))  # the old format: never read, cleared away


def _rows(cache: Path) -> sqlite3.Connection:
    return sqlite3.connect(cache / "results.sqlite", isolation_level=None)


@pytest.mark.parametrize(
    "name",
    [
        "os:system",  # not a dataclass, not an allowed package
        "subprocess:Popen",
        "postlint.engine:code_digest",  # an allowed package, but a function
        "postlint.checks.not_imported:Thing",  # never imported by a cache read
    ],
)
def test_a_crafted_cache_names_no_callable(tmp_path: Path, name: str) -> None:
    root = make_site(tmp_path / "site", 4)
    cache = tmp_path / "cache"
    first = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    marker = tmp_path / "it-ran"
    runnable = {  # arguments each callable would run with, were it ever called
        "os:system": [0, f"touch {marker}"],
        "subprocess:Popen": [0, ["l", "touch", str(marker)]],
    }
    crafted = json.dumps([[name], runnable.get(name, [0, str(marker)])])
    with _rows(cache) as db:
        db.execute("UPDATE files SET summary = ?, facts = ?, suppressor = ?", (crafted,) * 3)
        db.execute("UPDATE files SET final = ?", (json.dumps([["os.system", 1]]),))
    (root / "content" / "post-001.md").write_text(BAD)  # the site phase must judge again
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert not marker.exists()
    assert again.notes == [f"the result cache in {cache} was damaged; rebuilding it"]
    fresh = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=None)
    assert again.diagnostics == fresh.diagnostics != first.diagnostics
    third = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert third.notes == [] and third.diagnostics == again.diagnostics and third.cached == 4


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE files SET errors = 'not json'",
        "UPDATE files SET final = NULL",
        "UPDATE files SET final = 'not json'",
    ],
)
def test_a_damaged_column_is_rebuilt_never_a_traceback(tmp_path: Path, damage: str) -> None:
    """Anything unexpected in the cache is damage: the run gives what a run without a cache
    gives, says so once, and the next run reads a sound cache again."""
    root = make_site(tmp_path / "site", 4)
    cache = tmp_path / "cache"
    api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    with _rows(cache) as db:
        db.execute(damage)
    fresh = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=None)
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert again.diagnostics == fresh.diagnostics and again.errors == []
    assert again.notes == [f"the result cache in {cache} was damaged; rebuilding it"]
    third = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert third.notes == [] and third.diagnostics == fresh.diagnostics


def test_the_codec_keeps_facts_as_data() -> None:
    import datetime
    from collections import Counter

    span = Span(3, 7, 1, 4, 1, 8)
    value = {
        "finding": Finding("spelling", span, "A “word”.", Fix((Edit(span, "x"),), safe=False)),
        ("a", 1): [frozenset({"x"}), {"y"}, (1.5, None, True)],
        "when": [datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4)],
        "counts": Counter({"the": 3}),
        "path": Path("content/a.md"),
    }
    codec = Codec()
    text = codec.dumps(value)
    assert "pickle" not in text and codec.loads(text) == value
    with pytest.raises(Unencodable):
        codec.dumps(object())
    with pytest.raises(Damaged):
        codec.loads('[["postlint.model:Span"], [0, 1, 2]]')  # too few fields
    with pytest.raises(Damaged):
        codec.loads('[[], {"__class__": "os.system"}]')


def test_the_key_is_the_code_not_its_install_time(tmp_path: Path) -> None:
    package = PACKAGE
    fresh = tmp_path / "fresh" / "postlint"
    shutil.copytree(package, fresh, copy_function=shutil.copy)  # new times, same content
    assert code_digest(fresh) == code_digest(package)
    engine = fresh / "engine.py"
    engine.write_text(engine.read_text() + "\n# edited\n")
    assert code_digest.__wrapped__(fresh) != code_digest(package)


def test_a_warm_run_reads_only_the_reported_findings(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 20)
    cache = tmp_path / "cache"
    first = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    with _rows(cache) as db:  # summaries and facts are not needed while nothing changed
        db.execute("UPDATE files SET summary = 'gone', facts = 'gone', diagnostics = 'gone'")
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert again.diagnostics == first.diagnostics and again.notes == [] and again.cached == 20
    one = api.run_paths([root / "content" / "post-003.md"], Config(), jobs=1, cache_dir=cache)
    assert one.diagnostics == [d for d in first.diagnostics if d.path.endswith("post-003.md")]
    assert one.notes == [] and one.files == 1


def test_a_cache_of_another_release_is_replaced_without_a_note(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", 3)
    cache = tmp_path / "cache"
    first = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    with _rows(cache) as db:
        db.execute("UPDATE meta SET value = '1' WHERE name = 'schema'")  # an older postlint
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert again.notes == [] and again.cached == 0 and again.diagnostics == first.diagnostics
    third = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert third.notes == [] and third.cached == 3


def test_options_that_only_show_or_keep_results_reuse_the_cache(tmp_path: Path) -> None:
    """`--verbose` and the link cache's folder change no finding: a run with them reads the
    results the last run kept; an option that changes verdicts does not."""
    root = make_site(tmp_path / "site", 4)
    cache = tmp_path / "cache"
    first = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    shown = Config(tables={"links": {"verbose": True, "cache-dir": str(tmp_path / "links")}})
    again = api.run_paths([root / "content"], shown, jobs=1, cache_dir=cache)
    assert (again.cached, again.diagnostics) == (4, first.diagnostics)
    other = Config(tables={"links": {"timeout": 3.0}})
    assert api.run_paths([root / "content"], other, jobs=1, cache_dir=cache).cached == 0


def test_a_database_another_run_is_making_is_left_alone(tmp_path: Path) -> None:
    """pre-commit runs several postlint processes at once: a database file without tables yet
    is another run's, being made; it is neither read nor deleted as damaged."""
    root = make_site(tmp_path / "site", 4)
    cache = tmp_path / "cache"
    cache.mkdir()
    sqlite3.connect(cache / "results.sqlite").close()  # an empty database: no tables yet
    fresh = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=None)
    first = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert first.notes == [] and first.diagnostics == fresh.diagnostics
    again = api.run_paths([root / "content"], Config(), jobs=1, cache_dir=cache)
    assert (again.cached, again.notes, again.diagnostics) == (4, [], fresh.diagnostics)
