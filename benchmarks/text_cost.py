"""What the text and terms families add to a run: CPU time of ``--select FM`` against
``--select FM,TXT,TRM`` on one core, best of N runs (CPU time, not wall time, so a busy machine
skews it less).

    python benchmarks/corpus.py /tmp/corpus --posts 1000
    python benchmarks/text_cost.py /tmp/corpus/content --runs 3
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys


def cpu_seconds(content: str, select: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "postlint",
            "check",
            content,
            "--no-cache",
            "-j",
            "1",
            "--select",
            select,
            "--format",
            "json",
        ],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    best: dict[str, float] = {}
    for _ in range(args.runs):
        for select in ("FM", "FM,TXT,TRM", "FM,TXT", "FM,TRM"):
            seconds = cpu_seconds(args.content, select)
            best[select] = min(best.get(select, seconds), seconds)
    base = best["FM"]
    for select, seconds in best.items():
        print(f"{select:12} {seconds:6.2f} s CPU  {100 * (seconds - base) / base:+6.1f}%")


if __name__ == "__main__":
    main()
