"""What the formatting family adds to a run: its rules' time per post, against parsing alone.

    python benchmarks/corpus.py /tmp/corpus --posts 1000
    python benchmarks/formatting_cost.py /tmp/corpus/content

Parses every post once, then times each formatting rule over all posts in the order the engine
uses (all rules on one post, then the next), and prints per-rule time and finding counts.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from postlint.checks.formatting import FAMILY
from postlint.parse import parse_post
from postlint.rule import Context, SiteInfo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    args = parser.parse_args()
    files = sorted(args.content.rglob("*.md"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    start = time.perf_counter()
    posts = [parse_post(text, str(f)) for text, f in zip(texts, files, strict=True)]
    parse = time.perf_counter() - start
    site = SiteInfo(args.content, "zola", args.content, None)
    ctx = Context(FAMILY.defaults(), site, None)
    rules = [rule() for rule in FAMILY.rules]
    spent = {rule.name: 0.0 for rule in rules}
    counts = {rule.name: 0 for rule in rules}
    for post in posts:
        for rule in rules:
            t = time.perf_counter()
            counts[rule.name] += len(list(rule.check(post, ctx)))
            spent[rule.name] += time.perf_counter() - t
    total = sum(spent.values())
    print(f"{len(posts)} posts, parsing {parse:.2f} s")
    for name, seconds in spent.items():
        print(f"  {name:22} {seconds * 1000:8.1f} ms  {counts[name]:6d} findings")
    print(f"  {'all formatting rules':22} {total * 1000:8.1f} ms  ({total / parse:.1%} of parsing)")


if __name__ == "__main__":
    main()
