"""Cost of the rule packs on a corpus: CPU time of the per-post checks, parsing excluded.

    python benchmarks/packs_bench.py /tmp/corpus/content [--select typography,plain-words]

Prints milliseconds per post for ``--select FM`` and for the packs (each pack alone and all of
them), measured with process time so other load on the machine does not count.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from postlint import api
from postlint.config import Config
from postlint.project import Project


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("content", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = api.make_linter(args.content, Config(select=("FM",)))
    files = Project(args.content).files([args.content])[0]
    posts = [base.parse(f.read_text(encoding="utf-8"), str(f)) for f in files]
    packs = [f.name for f in api.catalogue().families if f.prefix != "FM"]
    selections = [("FM",), *((p,) for p in packs), tuple(packs)]
    for select in selections:
        linter = api.make_linter(args.content, Config(select=select))
        best = float("inf")
        findings = 0
        for _ in range(args.rounds):
            start = time.process_time()
            findings = sum(len(linter.lint_post(p).diagnostics) for p in posts)
            best = min(best, time.process_time() - start)
        print(
            f"{','.join(select):45} {best * 1000 / len(posts):7.2f} ms/post "
            f"{best:6.2f} s total  {findings} findings"
        )


if __name__ == "__main__":
    main()
