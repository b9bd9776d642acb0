"""Foundation speed: postlint against the mistune parse floor on the 1,000-post corpus.

Prints, for the generated corpus (built once in a temporary folder unless --corpus is given):
- the floor: mistune's own parse of every post, on one core and on all cores;
- postlint cold (--no-cache) with -j 1 and with all cores, for the selected rules;
- a warm re-run of the unchanged site (result cache);
- `postlint check one-post.md` alone, and one post inside the site with a warm cache.

    python benchmarks/foundation.py [--select FM] [--posts 1000] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mistune

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate


def parse_files(paths: list[str]) -> int:
    markdown = mistune.create_markdown(renderer=None)
    for path in paths:
        markdown(Path(path).read_text(encoding="utf-8"))
    return len(paths)


def floor(files: list[Path], jobs: int) -> float:
    names = [str(f) for f in files]
    start = time.perf_counter()
    if jobs == 1:
        parse_files(names)
    else:
        chunks = [names[i::jobs] for i in range(jobs)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            pool.map(parse_files, chunks)
    return time.perf_counter() - start


def timed(args: list[str], cwd: Path, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--select", default=None, help="rules to time (default: the default set)")
    parser.add_argument("--corpus", type=Path, help="an existing corpus to reuse")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    temp = None
    if args.corpus and (args.corpus / "content").is_dir():
        corpus = args.corpus
    else:
        temp = Path(tempfile.mkdtemp(prefix="postlint-corpus-"))
        corpus = generate(args.corpus or temp, args.posts)
    files = sorted((corpus / "content").rglob("*.md"))
    size = sum(f.stat().st_size for f in files) / 1e6
    postlint = [shutil.which("postlint") or "postlint", "check"]
    select = ["--select", args.select] if args.select else []
    cores = os.cpu_count() or 1
    print(
        f"corpus: {len(files)} posts, {size:.1f} MB; {cores} cores; "
        f"rules: {args.select or 'default'}"
    )
    floor1 = min(floor(files, 1) for _ in range(args.repeat))
    floorn = min(floor(files, cores) for _ in range(args.repeat))
    print(f"mistune parse floor       -j1 {floor1:6.2f} s   -j{cores} {floorn:6.2f} s")
    cold1 = timed([*postlint, "--no-cache", "-j", "1", *select, "content"], corpus, args.repeat)
    coldn = timed([*postlint, "--no-cache", *select, "content"], corpus, args.repeat)
    print(
        f"postlint cold (--no-cache) -j1 {cold1:6.2f} s   -j{cores} {coldn:6.2f} s"
        f"   ratio to floor {cold1 / floor1:.2f}x / {coldn / floorn:.2f}x"
    )
    cache = corpus / ".postlint-cache"
    shutil.rmtree(cache, ignore_errors=True)
    timed([*postlint, *select, "content"], corpus)
    warm = timed([*postlint, *select, "content"], corpus, args.repeat)
    print(f"postlint warm re-run       {warm:6.2f} s")
    one = files[len(files) // 2]
    lone = Path(tempfile.mkdtemp(prefix="postlint-one-")) / "one-post.md"
    lone.write_bytes(one.read_bytes())
    alone = timed([*postlint, "--no-cache", *select, str(lone)], lone.parent, args.repeat)
    inside = timed([*postlint, *select, str(one.relative_to(corpus))], corpus, args.repeat)
    print(
        f"one post alone (no cache)  {alone:6.2f} s   one post in the site (warm) {inside:6.2f} s"
    )
    if temp:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
