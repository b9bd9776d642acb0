"""Generate a Zola site of multi-author posts for benchmarks and false-alarm hunts.

Deterministic for a seed. Posts are ~15 KB: TOML front matter, several author sections, lists,
emphasis, links, images, code and quotes. Two kinds of writing:

- plain (the default, kept for comparison with earlier figures): short template sentences over a
  small vocabulary; a few defects at low rates (a misspelling, a stray bold word, a missing
  image, a tag variant), so a run finds about 4 things a post.
- ``--realistic``: writing as blogs are really written, so the prose rules find as much as they
  do on real sites (about 60 findings a post with every offline rule): a large vocabulary with
  names the dictionary does not know, long sentences, straight quotes and apostrophes, terms
  spelled two ways, wordy phrases, typewriter dashes and dots, numbers, bare and tracked links.

    python benchmarks/corpus.py /tmp/corpus --posts 1000 [--realistic]
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
FIRM_SUFFIXES = ["Labs", "Capital", "Motors", "Foods", "Energy", "Bank", "Systems", "Retail"]
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


# ---------------------------------------------------------------------------------------------
# Realistic writing: what real blogs give the prose rules to find


def _words(text: str) -> list[str]:
    return text.split()


NOUNS = _words("""
    bank budget market factory supplier contract deadline forecast margin shipment warehouse
    customer subscriber platform network battery engine chip license lawsuit regulator
    minister election survey harvest pension salary mortgage tenant landlord startup founder
    investor analyst economist engineer designer manager employee union strike protest
    currency bond yield deficit surplus tariff quota subsidy reform scheme policy index
    portfolio dividend buyback merger acquisition valuation round product feature release
    update outage incident migration database server cluster pipeline dashboard metric
    report chart headline article interview podcast newsletter audience reader community
    village city region province border port railway highway airport runway terminal
    farmer crop monsoon drought flood heatwave grid plant turbine panel reactor refinery
    fuel charger vehicle scooter truck fleet driver route delivery kitchen restaurant menu
    hospital clinic doctor nurse patient vaccine trial school teacher student exam course
    library museum festival stadium ticket season league player coach referee contest
""")
ADJECTIVES = _words("""
    quarterly annual recent modest sharp steady volatile cautious aggressive ambitious
    domestic foreign regional national global local rural urban private public listed
    unlisted cheap expensive profitable struggling crowded empty fragile resilient
    obvious subtle rare common unusual familiar strange careful reckless generous strict
    loose narrow broad early late slow fast quiet noisy bright dull clever awkward honest
    risky safe messy tidy brief lengthy costly affordable digital physical seasonal
""")
ACTIONS = _words("""
    announced delayed doubled halved raised cut launched cancelled approved rejected
    criticised defended copied replaced repaired sold bought closed opened hired fired
    trained warned promised denied confirmed blamed praised ignored noticed measured
    tracked missed beat matched exceeded lowered hiked froze expanded shrank merged split
    acquired listed delisted audited reviewed published leaked questioned explained
""")
ADVERBS = _words("""
    quietly quickly slowly suddenly finally already nearly barely openly sharply steadily
    briefly largely mostly partly roughly simply clearly oddly frankly honestly
""")
PLACES = _words("""
    Mumbai Delhi Pune Chennai Kolkata Jaipur Lucknow Surat Nagpur Indore Bhopal Patna
    Singapore Jakarta Manila Dhaka Karachi Colombo Nairobi Lagos Cairo Dubai Riyadh Doha
    London Berlin Paris Madrid Lisbon Warsaw Prague Vienna Zurich Oslo Stockholm Helsinki
    Toronto Chicago Boston Denver Seattle Austin Phoenix Dallas Miami Atlanta Houston
""")
MONTHS = _words("January February March April May June July August September October November")
# Terms a post spells two ways: the first spelling is the usual one.
TERM_PAIRS = [
    ("email", "e-mail"),
    ("DeepSeek", "Deepseek"),
    ("startup", "start-up"),
    ("Wi-Fi", "WiFi"),
    ("e-commerce", "ecommerce"),
    ("JavaScript", "Javascript"),
    ("GitHub", "Github"),
    ("YouTube", "Youtube"),
    ("PayPal", "Paypal"),
    ("co-founder", "cofounder"),
    ("WhatsApp", "Whatsapp"),
    ("LinkedIn", "Linkedin"),
    ("OpenAI", "OpenAi"),
    ("real-time", "realtime"),
    ("PowerPoint", "Powerpoint"),
]
WORDY = [
    "in order to",
    "due to the fact that",
    "a large number of",
    "at this point in time",
    "prior to",
    "the majority of",
    "with regard to",
    "in the near future",
    "on a daily basis",
    "for the purpose of",
]
INFLATED = [
    "utilize",
    "approximately",
    "numerous",
    "sufficient",
    "subsequently",
    "facilitate",
    "demonstrate",
    "nevertheless",
    "commenced",
]
# Trade jargon a dictionary does not know (the site uses it everywhere: its own vocabulary).
JARGON = _words("fintech capex opex ebitda upskilling agritech edtech proptech onboarding")
VAGUE = ["click here", "here", "this link", "read more", "this"]
_SYLLABLES = _words("ka ra vo ne zi lu ta mo be shi ran dor vik sel tan gro mar pel qui zan")


def _typo(rng: random.Random) -> str:
    """A slip of the keyboard: two letters of a word swapped, or one left out."""
    word = rng.choice([w for w in NOUNS + ADJECTIVES if len(w) > 5])
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def _invented(rng: random.Random) -> str:
    """A name the dictionary does not know (people, firms and products on a real site)."""
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    return word.capitalize()


class Writer:
    """One post's voice: its quotes, the terms it mixes, the names it mentions."""

    def __init__(self, rng: random.Random, names: list[str], firms: list[str]) -> None:
        self.rng = rng
        roll = rng.random()
        # most blogs type straight quotes; some curl them and slip; a few mix them freely
        self.quotes = "straight" if roll < 0.65 else "curly" if roll < 0.9 else "mixed"
        self.terms = rng.sample(TERM_PAIRS, 4)
        weights = [1 / (i + 1) for i in range(len(names))]  # a few names recur, most are rare
        self.people = rng.choices(names, weights, k=8)
        self.firms = rng.choices(firms, weights[: len(firms)], k=5)

    def q(self, text: str) -> str:
        straight = self.quotes == "straight" or (
            self.rng.random() < (0.08 if self.quotes == "curly" else 0.5)
        )
        return f'"{text}"' if straight else f"“{text}”"

    def apostrophe(self) -> str:
        straight = self.quotes == "straight" or (
            self.rng.random() < (0.1 if self.quotes == "curly" else 0.5)
        )
        return "'" if straight else "’"

    def term(self) -> str:
        usual, other = self.rng.choice(self.terms)
        return other if self.rng.random() < 0.3 else usual

    def noun(self) -> str:
        rng = self.rng
        noun = rng.choice(NOUNS)
        roll = rng.random()
        if roll < 0.35:
            return f"the {rng.choice(ADJECTIVES)} {noun}"
        if roll < 0.5:
            return f"{rng.choice(self.firms)}{self.apostrophe()}s {noun}"
        if roll < 0.6:
            return f"the {noun} in {rng.choice(PLACES)}"
        if roll < 0.68:
            return f"the {noun} ({self.term()})"
        return f"the {noun}"

    def number(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
        if roll < 0.55:
            return f"${rng.randint(1, 900)}.{rng.randint(1, 9)}bn"
        if roll < 0.75:
            return f"{rng.randint(2, 40) * 1000:,} {rng.choice(NOUNS)}s"
        return f"Rs {rng.randint(10, 9000):,} crore"

    def clause(self) -> str:
        rng = self.rng
        subject = rng.choice(self.people) if rng.random() < 0.3 else self.noun()
        adverb = f"{rng.choice(ADVERBS)} " if rng.random() < 0.25 else ""
        text = f"{subject} {adverb}{rng.choice(ACTIONS)} {self.noun()}"
        roll = rng.random()
        if roll < 0.25:
            text += f" by {self.number()}"
        elif roll < 0.4:
            text += f" in {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"
        elif roll < 0.5:
            text += f" after {self.noun()} {rng.choice(ACTIONS)} {self.noun()}"
        return text

    def sentence(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:  # a long sentence: clause after clause
            parts = [self.clause() for _ in range(rng.randint(4, 7))]
            joins = [", and ", ", while ", ", which meant ", "; ", ", although ", ", so "]
            text = parts[0]
            for part in parts[1:]:
                text += rng.choice(joins) + part
        elif roll < 0.3:  # a quotation
            person = rng.choice(self.people)
            said = self.clause()
            text = f"{person}, who runs {self.noun()}, said {self.q(said[0].upper() + said[1:])}"
        elif roll < 0.4:  # a contraction or two
            a = self.apostrophe()
            opener = rng.choice([f"It{a}s", f"That{a}s", f"We{a}ve", f"They{a}re"])
            doubt = rng.choice(["not clear", "hard to say", "worth noting", "too early to tell"])
            clause = self.clause()
            who = rng.choice(self.people)
            text = f"{opener} {doubt} whether {clause}, and {who} doesn{a}t think so"
        elif roll < 0.45:
            text = f"{self.clause()} {rng.choice(WORDY)} {self.clause()}"
        elif roll < 0.47:
            slip = _typo(rng) if rng.random() < 0.6 else rng.choice(JARGON)
            text = f"{self.clause()} and the {slip} {self.noun()}"
        elif roll < 0.54:
            verb = rng.choice(INFLATED)
            text = f"{self.clause()}, {verb} {self.noun()}"
        elif roll < 0.6:
            mark = rng.choice([" - ", " -- ", "... "])
            text = f"{self.clause()}{mark}{self.clause()}"
        else:
            text = self.clause()
            if rng.random() < 0.4:
                text += f", {rng.choice(ENDINGS)}"
        if rng.random() < 0.15:
            text = f"{rng.choice(CONNECTORS)} {text}"
        else:
            text = text[0].upper() + text[1:]
        return text + rng.choice([".", ".", ".", ".", "?", "!"])

    def paragraph(self) -> str:
        rng = self.rng
        text = " ".join(self.sentence() for _ in range(rng.randint(2, 7)))
        roll = rng.random()
        if roll < 0.12:
            url = f"https://{rng.choice(DOMAINS)}/{rng.randint(1, 4000)}/report"
            text += f" The full study is [{rng.choice(VAGUE)}]({url})."
        elif roll < 0.2:
            url = f"http://{rng.choice(DOMAINS)}/{rng.randint(1, 4000)}"
            text += f" See the [{rng.choice(NOUNS)} figures]({url}?utm_source=newsletter)."
        elif roll < 0.25:
            text += f" Details at https://{rng.choice(DOMAINS)}/{rng.randint(1, 4000)}."
        elif roll < 0.3:
            text += f" The raw data is in `{rng.choice(NOUNS)}.csv`."
        elif roll < 0.35:
            words = text.split(" ")
            i = rng.randrange(2, len(words) - 2)
            words[i] = f"**{words[i]}**"
            text = " ".join(words)
        if rng.random() < 0.03:
            text = text.replace(" the ", " the the ", 1)
        if rng.random() < 0.04:
            text = text.replace(", ", " , ", 1)
        return text


def realistic_section(writer: Writer, author: str, images: list[str]) -> str:
    rng = writer.rng
    heading = f"## {author}—{rng.choice(HEADINGS)}"
    out = [f"**{author}**" if rng.random() < 0.8 else heading, ""]
    for _ in range(rng.randint(3, 6)):
        out += [writer.paragraph(), ""]
    if rng.random() < 0.6:
        ordered = rng.random() < 0.4
        items = [writer.sentence() for _ in range(rng.randint(2, 5))]
        out += [f"{i}. {s}" if ordered else f"- {s}" for i, s in enumerate(items, 1)] + [""]
    if rng.random() < 0.3:
        level = "####" if rng.random() < 0.2 else "###"
        out += [f"{level} {rng.choice(HEADINGS)}", "", writer.paragraph(), ""]
    if rng.random() < 0.25:
        out += ["> " + writer.sentence(), "> " + writer.sentence(), ""]
    if rng.random() < 0.15:
        out += ["```python", "growth = (now - before) / before", "print(f'{growth:.1%}')", "```"]
        out += [""]
    if rng.random() < 0.3:
        src = f"/images/{rng.choice(images)}"
        out += [f"![A chart of {writer.noun()}]({src})", ""]
    for _ in range(rng.randint(1, 3)):
        out += [writer.paragraph(), ""]
    return "\n".join(out)


def realistic_post(
    rng: random.Random, number: int, images: list[str], names: list[str], firms: list[str]
) -> str:
    writer = Writer(rng, names, firms)
    tags = rng.sample(TAGS, rng.randint(1, 4))
    if rng.random() < 0.02:
        tags = [TAG_VARIANTS.get(t, t) for t in tags]
    authors = rng.sample(AUTHORS, rng.randint(2, 4))
    year, month, day = 2024 + number % 2, 1 + number % 12, 1 + number % 28
    title = writer.noun()
    front = [
        "+++",
        f'title = "Why {title.replace(chr(34), "")} matters ({number})"',
        f"date = {year}-{month:02d}-{day:02d}",
        "",
        "[taxonomies]",
        "tags = [" + ", ".join(f'"{t}"' for t in tags) + "]",
        "+++",
        "",
    ]
    body: list[str] = []
    while sum(len(part) for part in body) < 14_000:
        for author in authors:
            body.append(realistic_section(writer, author, images))
            body.append("\n---\n")
        authors = rng.sample(AUTHORS, 2)
    return "\n".join(front) + "\n".join(body[:-1]).rstrip() + "\n"


def generate(
    dest: Path, posts: int = 1000, seed: int = 1, defects: bool = True, realistic: bool = False
) -> Path:
    rng = random.Random(seed)
    (dest / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (dest / "static" / "images").mkdir(parents=True, exist_ok=True)
    (dest / "config.toml").write_text('base_url = "https://blog.example.org"\ntitle = "Bench"\n')
    (dest / "content" / "_index.md").write_text('+++\ntitle = "Home"\n+++\n')
    images = [f"chart-{i}.png" for i in range(40)]
    for image in images:
        (dest / "static" / "images" / image).write_bytes(b"\x89PNG\r\n\x1a\n")
    names: list[str] = []
    firms: list[str] = []
    if realistic:  # a site-wide cast: a few names recur in many posts, most in one or two
        names = sorted({_invented(rng) for _ in range(3000)})
        rng.shuffle(names)
        firms = [f"{name} {rng.choice(FIRM_SUFFIXES)}" for name in names[:600]]
    for number in range(posts):
        path = dest / "content" / "posts" / f"post-{number:04d}.md"
        if realistic:
            text = realistic_post(rng, number, images, names, firms)
        else:
            text = post(rng, number, images, defects)
        path.write_text(text, encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--realistic", action="store_true", help="writing as blogs really have it")
    args = parser.parse_args()
    generate(args.dest, args.posts, args.seed, realistic=args.realistic)
    print(f"wrote {args.posts} posts to {args.dest}")


if __name__ == "__main__":
    main()
