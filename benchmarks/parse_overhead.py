"""Compare mistune's own parse time with ``parse_body`` on generated multi-author posts.

Run: ``python benchmarks/parse_overhead.py [count]``. The posts are synthetic (~15 KB each):
authors, headings, lists, emphasis, links, reference links, images, code and quotes.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mistune

from postlint.markdown import parse_body
from postlint.model import LineIndex

WORDS_TEXT = (
    "market rates policy growth china chips model training budget inflation the a of and to "
    "in is that for it with as was on be by this are from at or have an they which one you "
    "were her all she there would their we him been has when who will more no if out so"
)
WORDS = WORDS_TEXT.split()
NAMES = ("Asha", "Bilal", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    i = rng.randrange(len(words))
    kind = rng.random()
    if kind < 0.15:
        words[i] = f"*{words[i]}*"
    elif kind < 0.25:
        words[i] = f"**{words[i]}**"
    elif kind < 0.35:
        words[i] = f"[{words[i]}](https://example.com/{words[i]}/{rng.randint(1, 999)})"
    elif kind < 0.40:
        words[i] = f"`{words[i]}()`"
    elif kind < 0.45:
        words[i] = f"[{words[i]}][ref{rng.randint(1, 3)}]"
    elif kind < 0.48:
        words[i] = words[i] + " &amp; \\*"
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(2, 5)):
        lines.append(" ".join(sentence(rng) for _ in range(rng.randint(1, 3))))
    return "\n".join(lines)


def post(rng: random.Random, size: int = 15_000) -> str:
    parts = ['+++\ntitle = "Generated"\n+++\n']
    while sum(map(len, parts)) < size:
        parts.append(f"**{rng.choice(NAMES)}**\n")
        for _ in range(rng.randint(3, 6)):
            r = rng.random()
            if r < 0.55:
                parts.append(paragraph(rng) + "\n")
            elif r < 0.65:
                parts.append(f"## {sentence(rng)}\n")
            elif r < 0.75:
                items = [f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))]
                items.insert(1, f"  1. {sentence(rng)}")
                parts.append("\n".join(items) + "\n")
            elif r < 0.82:
                parts.append("> " + paragraph(rng).replace("\n", "\n> ") + "\n")
            elif r < 0.88:
                parts.append("```python\ndef f(x):\n    return x * 2\n```\n")
            elif r < 0.94:
                parts.append(f"![{rng.choice(WORDS)} chart](/images/{rng.randint(1, 99)}.png)\n")
            else:
                parts.append('<img src="/a.png" alt="An image">\n')
        parts.append("---\n")
    parts.append('[ref1]: https://example.com/one\n[ref2]: https://example.com/two "Two"\n')
    return "\n".join(parts)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(42)
    posts = [post(rng) for _ in range(count)]
    starts = [p.index("+++\n", 3) + 4 for p in posts]
    md = mistune.create_markdown(renderer=None)
    for p in posts[:5]:  # warm up both
        md(p)
        parse_body(p, 0, LineIndex(p))

    # The machine may be shared: alternate the two parsers post by post so load drifts hit both
    # alike, count CPU time rather than wall time, and keep the best of a few rounds.
    clock = time.process_time
    rounds = []
    for _ in range(5):
        spent_mistune = spent_ours = 0.0
        for p, s in zip(posts, starts, strict=True):
            t0 = clock()
            md(p[s:])
            t1 = clock()
            parse_body(p, s, LineIndex(p))
            t2 = clock()
            spent_mistune += t1 - t0
            spent_ours += t2 - t1
        rounds.append((spent_mistune, spent_ours))
    mistune_time = min(r[0] for r in rounds)
    ours = min(r[1] for r in rounds)
    ratios = sorted(r[1] / r[0] for r in rounds)

    size = sum(map(len, posts)) / len(posts)
    print(f"{count} posts, {size / 1000:.1f} KB average")
    print(f"mistune alone: {mistune_time:.3f} s")
    print(f"parse_body:    {ours:.3f} s")
    per_round = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"ratio:         {ours / mistune_time:.2f}x (per round: {per_round})")


if __name__ == "__main__":
    main()
