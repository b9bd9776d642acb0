"""The work of linting a post grows linearly with its length (issue 15): a guard, not a benchmark.

Time on a shared machine is noise, so the guard counts function calls instead (C functions
included, as ``cProfile`` sees them): the same text always makes the same calls. Every quadratic
path this guards against made calls in its inner loop (``len``, ``dict.get`` in difflib, a
property). Eight times the text makes about eight times the calls when the work is linear, and
64 times when it is quadratic; the inputs are large enough for a quadratic term to show.
Counting cannot see a loop that makes no calls, nor a C function that does more work per call
as the text grows (``str.rfind`` from every word back to the start of a long line): the
``links`` hazard (unknown words among links) and the ``line`` shape at 10 MB are for
``benchmarks/scaling.py``, which prints the seconds.
"""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path

import pytest

from benchmarks.scaling import HAZARDS, SHAPES, build
from postlint import api
from postlint.config import Config

SMALL, LARGE = 15_000, 120_000
LIMIT = 1.1 * LARGE / SMALL  # linear work measures 5-7 here (fixed costs weigh on the small post)
ALL = Config(select=("ALL",))


def calls(text: str, path: Path) -> int:
    profile = cProfile.Profile()
    profile.enable()
    api.lint_text(text, str(path), ALL)
    profile.disable()
    return sum(entry[1] for entry in pstats.Stats(profile).stats.values())


@pytest.mark.parametrize("shape", [s for s in SHAPES + HAZARDS if s != "links"])
def test_work_grows_linearly_with_the_post(shape: str, tmp_path: Path) -> None:
    small, large = build(shape, SMALL), build(shape, LARGE)
    path = tmp_path / "post.md"
    api.lint_text(large, str(path), ALL)  # load dictionaries, fill per-word caches
    ratio = calls(large, path) / min(calls(small, path) for _ in range(2))
    assert ratio < LIMIT, f"8 times the text made {ratio:.1f} times the calls: a quadratic path"
