"""Generate a realistic Zola site of multi-author posts for benchmarks and false-alarm hunts.

Deterministic for a seed. Posts are ~15 KB: TOML front matter, several author sections, lists,
emphasis, links, images, code and quotes, written in ordinary English so that prose checks see
prose. A few defects are planted at low rates (a misspelling, a stray bold word, a missing
image, a tag variant) so every family has something real to find.

    python benchmarks/corpus.py /tmp/corpus --posts 1000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

AUTHORS = ["Pranav", "Krishna", "Kashish", "Bhuvan", "Anurag", "Tharun", "Meera", "Joel"]
TAGS = [
    "Markets",
    "China",
    "AI",
    "Energy",
    "Banking",
    "Tariffs",
    "Stock market",
    "Electric vehicles",
    "Inflation",
    "Startups",
    "Regulation",
    "Semiconductors",
    "Climate",
    "Housing",
    "Trade",
]
TAG_VARIANTS = {
    "Tariffs": "Tarriffs",
    "Stock market": "Stock Market",
    "Electric vehicles": "Electric Vehicles",
}
SUBJECTS = [
    "the central bank",
    "our team",
    "the market",
    "every investor",
    "the new policy",
    "the government",
    "a small company",
    "the industry",
    "this report",
    "the data",
    "many analysts",
    "the old model",
    "the supply chain",
    "the board",
    "consumers",
]
VERBS = [
    "changed",
    "explained",
    "questioned",
    "supported",
    "reduced",
    "measured",
    "described",
    "improved",
    "challenged",
    "followed",
    "predicted",
    "ignored",
    "revealed",
    "shaped",
    "tested",
]
OBJECTS = [
    "the price of power",
    "how people save money",
    "the cost of borrowing",
    "the export numbers",
    "the long history of trade",
    "what happens next",
    "the value of patience",
    "a simple rule of thumb",
    "the risks nobody mentions",
    "the way factories work",
    "the demand for new cars",
    "the limits of forecasting",
    "the mood in the room",
    "the shape of the recovery",
    "the quality of public data",
]
CONNECTORS = [
    "However,",
    "In fact,",
    "Meanwhile,",
    "For example,",
    "Still,",
    "Even so,",
    "As a result,",
    "Put simply,",
    "To be fair,",
    "Over time,",
]
ENDINGS = [
    "and that matters more than it seems",
    "which surprised almost everyone",
    "even if the numbers look calm",
    "at least for now",
    "in ways that are hard to undo",
    "according to the latest figures",
    "for better or worse",
    "without much fanfare",
]
HEADINGS = [
    "What changed this week",
    "Why it matters",
    "A closer look at the numbers",
    "The view from the ground",
    "Questions worth asking",
    "What we still do not know",
]
DOMAINS = ["example.com", "news.example.org", "research.example.net", "data.example.com"]


def sentence(rng: random.Random) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    text = " ".join(parts)
    if rng.random() < 0.5:
        text += ", " + rng.choice(ENDINGS)
    connector = rng.random() < 0.3
    text = f"{rng.choice(CONNECTORS)} {text}" if connector else text[0].upper() + text[1:]
    return text + rng.choice([".", ".", ".", "?", "!"]) if rng.random() < 0.1 else text + "."


def paragraph(rng: random.Random, n: int | None = None, defects: bool = True) -> str:
    sentences = [sentence(rng) for _ in range(n or rng.randint(3, 6))]
    text = " ".join(sentences)
    roll = rng.random()
    if roll < 0.15:
        words = text.split(" ")
        i = rng.randrange(2, len(words) - 2)
        words[i] = f"*{words[i]}*" if rng.random() < 0.5 else f"**{words[i]}**"
        text = " ".join(words)
    elif roll < 0.3:
        url = f"https://{rng.choice(DOMAINS)}/{rng.randint(1, 400)}/report"
        text += f" Read the [full analysis]({url})."
    elif roll < 0.35:
        text += " You can see `report.csv` for the raw numbers."
    if defects and rng.random() < 0.02:
        text = text.replace(" the ", " teh ", 1)
    if defects and rng.random() < 0.02:
        text = text.replace(" the ", " **the** ", 1)
    return text


def section(rng: random.Random, author: str, index: int, images: list[str], defects: bool) -> str:
    out = [f"**{author}**" if rng.random() < 0.8 else f"## {author}—{rng.choice(HEADINGS)}", ""]
    for _ in range(rng.randint(4, 7)):
        out += [paragraph(rng, defects=defects), ""]
    kind = rng.random()
    if kind < 0.5:
        out += [f"{i}. {sentence(rng)}" for i in range(1, rng.randint(3, 6))] + [""]
    else:
        out += [f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))] + [""]
    if rng.random() < 0.4:
        out += [f"### {rng.choice(HEADINGS)}", "", paragraph(rng, defects=defects), ""]
    if rng.random() < 0.3:
        out += ["> " + sentence(rng), "> " + sentence(rng), ""]
    if rng.random() < 0.2:
        out += [
            "```python",
            "total = sum(prices) / len(prices)",
            'print(f"{total:.2f}")',
            "```",
            "",
        ]
    if rng.random() < 0.35:
        image = rng.choice(images)
        missing = defects and rng.random() < 0.03
        src = f"/images/{'missing-' if missing else ''}{image}"
        out += [f"![A chart showing {rng.choice(OBJECTS)}]({src})", ""]
    for _ in range(rng.randint(2, 4)):
        out += [paragraph(rng, defects=defects), ""]
    return "\n".join(out)


def post(rng: random.Random, number: int, images: list[str], defects: bool = True) -> str:
    tags = rng.sample(TAGS, rng.randint(1, 4))
    if defects and rng.random() < 0.01:
        tags = [TAG_VARIANTS.get(t, t) for t in tags]
    authors = rng.sample(AUTHORS, rng.randint(3, 5))
    year, month, day = 2024 + number % 2, 1 + number % 12, 1 + number % 28
    front = [
        "+++",
        f'title = "Notes on {rng.choice(OBJECTS)} ({number})"',
        f"date = {year}-{month:02d}-{day:02d}",
        "",
        "[taxonomies]",
        "tags = [" + ", ".join(f'"{t}"' for t in tags) + "]",
        "+++",
        "",
    ]
    body: list[str] = []
    while sum(len(part) for part in body) < 14_000:
        for i, author in enumerate(authors):
            body.append(section(rng, author, i, images, defects))
            body.append("\n---\n")
        authors = rng.sample(AUTHORS, 2)
    return "\n".join(front) + "\n".join(body[:-1]).rstrip() + "\n"


def generate(dest: Path, posts: int = 1000, seed: int = 1, defects: bool = True) -> Path:
    rng = random.Random(seed)
    (dest / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (dest / "static" / "images").mkdir(parents=True, exist_ok=True)
    (dest / "config.toml").write_text('base_url = "https://blog.example.org"\ntitle = "Bench"\n')
    (dest / "content" / "_index.md").write_text('+++\ntitle = "Home"\n+++\n')
    images = [f"chart-{i}.png" for i in range(40)]
    for image in images:
        (dest / "static" / "images" / image).write_bytes(b"\x89PNG\r\n\x1a\n")
    for number in range(posts):
        path = dest / "content" / "posts" / f"post-{number:04d}.md"
        path.write_text(post(rng, number, images, defects), encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.dest, args.posts, args.seed)
    print(f"wrote {args.posts} posts to {args.dest}")


if __name__ == "__main__":
    main()
