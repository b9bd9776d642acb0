"""Add internal links to a benchmark corpus, so the links family has real work to do.

    python benchmarks/corpus.py /tmp/corpus --posts 1000
    python benchmarks/links_corpus.py /tmp/corpus          # appends a "Related" paragraph
    postlint check /tmp/corpus/content --no-cache -j 1 --select LNK

Each post gets links to other posts (site-absolute, relative, ``@/`` with a heading anchor),
to a tag page, to its own headings, and about 2% planted broken targets and anchors.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from postlint.slug import heading_anchors

HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.M)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    posts = sorted((args.root / "content" / "posts").glob("post-*.md"))
    anchors = {}
    for post in posts:
        text = post.read_text(encoding="utf-8")
        anchors[post.stem] = heading_anchors(HEADING.findall(text), "zola") or ["top"]
    planted = 0
    for post in posts:
        others = rng.sample(posts, 3)
        a, b, c = (o.stem for o in others)
        anchor = rng.choice(anchors[b])
        own = rng.choice(anchors[post.stem])
        links = [
            f"[the earlier piece](/posts/{a}/)",
            f"[the section on this]({'@'}/posts/{b}.md#{anchor})",
            f"[a follow-up](../{c}/)",
            "[more on trade](/tags/)",
            f"[above](#{own})",
        ]
        if rng.random() < 0.02:
            links.append(f"[a draft](/posts/{a}-draft/)")
            planted += 1
        if rng.random() < 0.02:
            links.append(f"[the summary](/posts/{c}/#{anchors[c][0]}-typo)")
            planted += 1
        with post.open("a", encoding="utf-8") as handle:
            handle.write("\nRelated: " + ", ".join(links) + ".\n")
    print(f"linked {len(posts)} posts, planted {planted} broken links")


if __name__ == "__main__":
    main()
