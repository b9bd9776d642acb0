"""Time the spelling and readability rules alone on parsed posts (parsing excluded).

    python benchmarks/prose_rules.py /tmp/corpus/content/posts

Prints the parse time, each rule's time over all posts, and the one-time loads (the spelling
dictionary, the hyphenation patterns) measured on their own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from postlint.checks import readability, spelling
from postlint.config import Config
from postlint.parse import parse_post
from postlint.prose import paragraphs
from postlint.rule import Context, SiteInfo


def main() -> None:
    folder = Path(sys.argv[1])
    files = sorted(folder.rglob("*.md"))
    started = time.process_time()
    posts = [parse_post(f.read_text(encoding="utf-8"), str(f)) for f in files]
    print(f"parse {len(posts)} posts: {time.process_time() - started:.2f} s CPU")
    site = SiteInfo(folder, "zola", folder, None)
    started = time.perf_counter()
    spelling.checker("en")
    print(f"load the dictionary: {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    readability.syllables("loaded")
    print(f"load the hyphenation patterns: {time.perf_counter() - started:.3f} s")
    rules = []
    for family in (spelling.FAMILY, readability.FAMILY):
        ctx = Context(family.defaults(), site, Config())
        rules += [(rule_class(), ctx) for rule_class in family.rules]
    spent = {rule.name: 0.0 for rule, _ in rules}
    found = {rule.name: 0 for rule, _ in rules}
    shared = 0.0
    for post in posts:  # post by post, as the engine runs them, so paragraphs are shared
        started = time.process_time()
        paragraphs(post)
        shared += time.process_time() - started
        for rule, ctx in rules:
            started = time.process_time()
            found[rule.name] += len(list(rule.check(post, ctx)))
            if rule.has_hook("collect"):
                facts = rule.collect(post, ctx)
                found[rule.name] += len(getattr(facts, "unknowns", ()))
            spent[rule.name] += time.process_time() - started
    print(f"paragraphs (shared by the rules): {shared:.2f} s CPU")
    for name, seconds in spent.items():
        print(f"{name}: {seconds:.2f} s CPU ({found[name]} findings or unknown words collected)")
    print(f"total: {shared + sum(spent.values()):.2f} s CPU")


if __name__ == "__main__":
    main()
