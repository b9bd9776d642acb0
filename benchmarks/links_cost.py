"""What the links family costs on a corpus, hook by hook, with parsing timed separately.

    python benchmarks/links_cost.py /tmp/corpus/content

Parses every post once, then times each rule's ``check`` + ``collect`` over all posts and its
``check_site``, in this process (external rules stay off, so they must cost ~nothing).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from postlint import api
from postlint.config import Config
from postlint.files import discover


def main() -> None:
    content = Path(sys.argv[1])
    linter = api.make_linter(content, Config(select=("LNK", "FM")))
    files = sorted(content.rglob("*.md"))
    started = time.perf_counter()
    posts = [(linter.parse(f.read_text(encoding="utf-8"), str(f)), f) for f in files]
    parse = time.perf_counter() - started
    print(f"{len(posts)} posts parsed in {parse:.2f} s")
    results = []
    started = time.perf_counter()
    for post, source in posts:
        results.append(linter.lint_post(post, source))
    print(f"FM + LNK per post, with summaries: {time.perf_counter() - started:.2f} s")
    site = linter.site_index(results, discover(linter.site)[1])  # with the site's other files
    for rule in linter.instances:
        if not rule.code.startswith("LNK"):
            continue
        ctx = linter.contexts[rule.name]
        started = time.perf_counter()
        found = 0
        for post, _ in posts:
            found += len(list(rule.check(post, ctx)))
            rule.collect(post, ctx)
        per_post = time.perf_counter() - started
        started = time.perf_counter()
        found += len(list(rule.check_site(site, ctx)))
        whole = time.perf_counter() - started
        print(
            f"{rule.code} {rule.name:26} per post {per_post * 1000:7.1f} ms  "
            f"site {whole * 1000:7.1f} ms  findings {found}"
        )


if __name__ == "__main__":
    main()
