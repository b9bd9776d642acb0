"""Time the site phase of the tags and authors families at 1k to 20k posts: it should grow
about linearly.

Generates tag data only (no files): each post gets 1-4 tags from a pool that grows with the
site (about one distinct tag per three posts), with planted case variants, plurals, hyphens
and misspellings, and 3-5 author sections (a few misspelled names, a fifth as headings), then
runs ``check_site`` of every site-wide tag and author rule on a ``Site`` index.

    python benchmarks/site_tags.py [--sizes 1000,5000,10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from pathlib import Path

from postlint.checks import authors as authors_module
from postlint.checks import tags as tags_module
from postlint.config import Config
from postlint.model import AuthorForm, AuthorSection, Span
from postlint.rule import Context, PostSummary, Site, SiteInfo

SPAN = Span(0, 1, 1, 1, 1, 2)
AUTHORS = [
    f"{first} {last}"
    for first in ("Asha", "Bhuvan", "Pranav", "Meera", "Joel")
    for last in ("Rao", "Iyer", "Shah", "Das", "Nair", "Menon")
]
BOLD = AuthorForm("bold")
HEADING = AuthorForm("heading", 2, " — ")


def sections(rng: random.Random) -> tuple[AuthorSection, ...]:
    out = []
    for name in rng.sample(AUTHORS, rng.randint(3, 5)):
        if rng.random() < 0.01:
            name = name[:2] + name[3] + name[2] + name[4:]  # a transposition
        heading = rng.random() < 0.2
        out.append(
            AuthorSection(
                name, "Editor" if heading else "", HEADING if heading else BOLD, SPAN, SPAN, SPAN
            )
        )
    return tuple(out)


def words(rng: random.Random) -> list[str]:
    speller = tags_module._speller()
    common = sorted(w for w in speller.word_frequency.words() if w.isalpha() and len(w) >= 4)
    return rng.sample(common[:40000], 6000)


def variant(rng: random.Random, tag: str) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return tag.title() if tag != tag.title() else tag.lower()
    if kind == 1:
        return tag + "s"
    if kind == 2:
        return tag.replace(" ", "-")
    i = rng.randrange(1, len(tag) - 1)
    return tag[:i] + tag[i] + tag[i:]  # a doubled letter


def make_site(n: int, seed: int) -> Site:
    rng = random.Random(seed)
    vocab = words(rng)
    pool = []
    for _ in range(max(10, n // 3)):
        k = rng.choice((1, 1, 2, 2, 3))
        tag = " ".join(rng.sample(vocab, k))
        pool.append(tag[:1].upper() + tag[1:])
    posts = {}
    info = SiteInfo(
        root=Path("/site"), generator="zola", content_dir=Path("/site/content"), static_dir=None
    )
    for i in range(n):
        chosen = [
            pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)]
            if rng.random() < 0.5
            else rng.choice(pool)
            for _ in range(rng.randint(1, 4))
        ]
        chosen = [variant(rng, t) if rng.random() < 0.03 else t for t in chosen]
        path = f"content/posts/post-{i}.md"
        posts[path] = PostSummary(
            path=path,
            source=Path("/site") / path,
            url=f"/posts/post-{i}/",
            aliases=(),
            title=f"Post {i}",
            draft=False,
            date=None,
            tags=tuple(chosen),
            tag_spans=tuple(SPAN for _ in chosen),
            authors=sections(rng),
            anchors=frozenset(),
            front_matter={},
            links=(),
            images=(),
            headings=(),
            first_line=SPAN,
        )
    return Site(info, posts, {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000,20000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    config = Config()
    rules = [
        (r(), Context(config.options(family), None, config))  # type: ignore[arg-type]
        for family in (tags_module.FAMILY, authors_module.FAMILY)
        for r in family.rules
        if r.site_wide
    ]
    tags_module._known("warmup")
    for n in (int(s) for s in args.sizes.split(",")):
        site = make_site(n, args.seed)
        distinct = len({t for p in site.posts.values() for t in p.tags})
        gc.collect()
        gc.freeze()  # the index is long-lived: keep the collector from rescanning it
        start = time.process_time()
        counts = {r.name: sum(1 for _ in r.check_site(site, ctx)) for r, ctx in rules}
        elapsed = time.process_time() - start
        gc.unfreeze()
        print(
            f"{n:>6} posts, {distinct:>5} distinct tags: site phase {elapsed:6.2f} s CPU "
            f"({elapsed / n * 1e6:5.0f} µs/post) {counts}"
        )


if __name__ == "__main__":
    main()
