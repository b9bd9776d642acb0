"""Time every report format on N synthetic diagnostics (no linting: rendering only).

    python benchmarks/render.py [--count 100000] [--files 2000] [--rounds 3]

Prints the best of ``--rounds`` times per format, in seconds of process time (other load on the
machine does not count), and the output size.
The diagnostics spread over ``--files`` files with every severity, a fix on a third of them and
messages that quote text with code spans, as real runs have.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from postlint import api
from postlint.model import Diagnostic, Edit, Span
from postlint.report import FORMATS, render

ROOT = Path("/srv/blog")
WORDS = [
    "the",
    "post",
    "link",
    "image",
    "heading",
    "author",
    "tag",
    "recieve",
    "teh",
    "adress",
    "wich",
]


def synthetic(count: int, files: int, seed: int = 16) -> list[Diagnostic]:
    rng = random.Random(seed)
    rules = api.catalogue().rules
    diagnostics = []
    for n in range(count):
        rule = rules[n % len(rules)]
        line, column = rng.randint(1, 400), rng.randint(1, 80)
        start = rng.randint(0, 20_000)
        fix = None
        if n % 3 == 0:
            span = Span(start, start + 4, line, column, line, column + 4)
            fix = (Edit(span, rng.choice(WORDS)),)
        word = rng.choice(WORDS)
        diagnostics.append(
            Diagnostic(
                path=str(ROOT / "content" / "posts" / f"post-{n % files:05}.md"),
                line=line,
                column=column,
                end_line=line,
                end_column=column + len(word),
                code=rule.code,
                rule=rule.name,
                severity=rule.severity,
                message=f"`{word}` is flagged by {rule.name}: write `{rng.choice(WORDS)}` here.",
                fix=fix,
                fix_safe=True if fix else None,
                url=rule.url(),
                start=start,
                end=start + 4,
            )
        )
    diagnostics.sort(key=lambda d: (d.path, d.sort_key()))
    return diagnostics


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--format", action="append", choices=FORMATS)
    args = parser.parse_args()
    diagnostics = synthetic(args.count, args.files)
    rules = api.catalogue().rules
    for fmt in args.format or FORMATS:
        best = float("inf")
        size = 0
        for _ in range(args.rounds):
            start = time.process_time()
            size = len(render(fmt, diagnostics, rules, args.files, ROOT))
            best = min(best, time.process_time() - start)
        print(f"{fmt:10} {best:7.3f} s   {size / 1e6:7.1f} MB   ({len(diagnostics):,} diagnostics)")


if __name__ == "__main__":
    main()
