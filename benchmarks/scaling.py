"""Print seconds per MB of ``postlint check`` on one growing post, so linear growth is visible.

Three shapes, each built to the size asked (deterministic for a seed):

* ``paragraphs``: ten paragraphs, each one line, that grow with the post (1 MB: ten of
  100 KB), with links, unknown words, mojibake, bare URLs, a link the parser gave up on,
  inline HTML and footnote marks;
* ``line``: the same text as one single line;
* ``posts``: realistic multi-author posts (``corpus.py``) one after the other.

``--shapes`` also takes the hazards that ``tests/test_scaling.py`` guards, each a construct
that once made the time grow with the square of the size: ``mojibake``, ``unclosed``,
``links`` and ``sections``.

Each size is timed as the issue measured it, ``postlint check --no-cache -j1 FILE`` in a fresh
process, minus the time of the same command on a tiny post (start-up, dictionary loading), in
wall-clock seconds and in CPU seconds (the steadier figure on a busy machine):

    python benchmarks/scaling.py                      # default rules, 1, 2, 4 and 10 MB
    python benchmarks/scaling.py --select ALL --shapes line --sizes 1 2
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

FRONT = '+++\ntitle = "Scaling"\ndate = 2024-05-01\n\n[taxonomies]\ntags = ["Markets"]\n+++\n\n'


def _extra(rng: random.Random, n: int) -> str:
    """Now and then, one of the constructs that once cost more than linear time on long text:
    damaged text and unknown words inside long stretches of prose, links, and a link the
    parser gave up on (which leaves the rest of the line to search)."""
    roll = rng.random()
    if roll < 0.08:
        return "It donâ€™t add up, the cafÃ© owner said."  # mojibake
    if roll < 0.12:
        return "The desk checked teh figures."
    if roll < 0.14:
        return f"Read [the analysis](https://news.example.org/{n}/report)."
    if roll < 0.15:
        return f"The [draft](https://example.com/draft-{n} was never published."  # unclosed
    if roll < 0.16:
        return f"See https://data.example.com/{n}?utm_source=feed for the series."
    if roll < 0.17:
        return f'Ask <a href="/team/{n}/">the team</a> first.'
    if roll < 0.18:
        return f"A footnote mark.[^{n % 7}]"
    return ""


def paragraph_text(rng: random.Random, size: int) -> str:
    """Prose of about ``size`` characters on one line."""
    parts: list[str] = []
    length = 0
    while length < size:
        part = corpus.sentence(rng)
        extra = _extra(rng, len(parts))
        if extra:
            part += " " + extra
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)


def _sentences(rng: random.Random, size: int, every_fifth: str) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        part = corpus.sentence(rng)
        if every_fifth and len(parts) % 5 == 4:
            part += " " + every_fifth
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)


def notes() -> str:
    return "\n".join(f"[^{k}]: Note {k}." for k in range(7))


def build(shape: str, size: int, seed: int = 1) -> str:
    """A post of about ``size`` characters in the given shape."""
    rng = random.Random(seed)
    if shape == "paragraphs":
        body = "\n\n".join(paragraph_text(rng, size // 10) for _ in range(10))
        return FRONT + body + "\n\n" + notes() + "\n"
    if shape == "line":
        return FRONT + paragraph_text(rng, size) + "\n\n" + notes() + "\n"
    if shape == "mojibake":  # one run of prose, damaged here and there
        return FRONT + _sentences(rng, size, "It donâ€™t add up, the cafÃ© owner said.") + "\n"
    if shape == "unclosed":  # one line, with links the parser gave up on
        return FRONT + _sentences(rng, size, "The [draft](https://example.com/d was lost.") + "\n"
    if shape == "links":  # unknown words among many links
        return FRONT + _sentences(rng, size, "Teh [desk](https://example.com/desk) said so.") + "\n"
    if shape == "sections":  # many author sections
        parts = []
        while sum(map(len, parts)) < size:
            name = corpus.AUTHORS[len(parts) % len(corpus.AUTHORS)]
            parts.append(f"**{name}**\n\n{_sentences(rng, 400, '')}\n")
        return FRONT + "\n".join(parts)
    if shape == "posts":
        images = [f"chart-{i}.png" for i in range(40)]
        parts: list[str] = []
        length = number = 0
        while length < size:
            body = corpus.post(rng, number, images).split("+++\n", 2)[2]
            parts.append(body)
            length += len(body)
            number += 1
        return FRONT + "\n".join(parts)
    raise ValueError(f"unknown shape {shape!r}")


SHAPES = ("paragraphs", "line", "posts")
# Each of these isolates one construct that once made the time grow with the square of the size.
HAZARDS = ("mojibake", "unclosed", "links", "sections")


def _run(path: Path, select: str | None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user and system) of one ``postlint check``."""
    command = [sys.executable, "-m", "postlint", "check", "--no-cache", "-j1", str(path)]
    if select:
        command[5:5] = ["--select", select]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 10], help="in MB")
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES + HAZARDS)
    parser.add_argument("--select", help="rules, as for postlint check (default: the default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.md"
        tiny.write_text(FRONT + "A short post.\n", encoding="utf-8")
        base = min(_run(tiny, args.select) for _ in range(2))
        print(
            f"start-up (a tiny post): {base[0]:.2f} s, {base[1]:.2f} s CPU; "
            f"rules: {args.select or 'default'}; times below are net of start-up"
        )
        print(f"{'shape':<12}{'MB':>6}{'seconds':>10}{'s/MB':>8}{'CPU s':>10}{'CPU s/MB':>10}")
        for shape in args.shapes:
            for mb in args.sizes:
                path = Path(tmp) / f"{shape}-{mb}.md"
                path.write_text(build(shape, int(mb * 1_000_000)), encoding="utf-8")
                wall, cpu = (a - b for a, b in zip(_run(path, args.select), base, strict=True))
                row = f"{shape:<12}{mb:>6g}{wall:>10.2f}{wall / mb:>8.2f}"
                print(f"{row}{cpu:>10.2f}{cpu / mb:>10.2f}", flush=True)
                path.unlink()


if __name__ == "__main__":
    main()
