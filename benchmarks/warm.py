"""Warm re-runs and the pre-commit case on a generated Zola site, as a user runs them.

Each figure is one ``postlint check`` process (wall-clock and CPU seconds of the process and its
workers): a cold run that fills the cache, a warm re-run of the unchanged site in each format,
then one post named on the command line with a warm cache, and with none. ``--before DIR`` runs
the same commands with another source tree of postlint first on ``PYTHONPATH`` (say
``git archive main postlint rules | tar -x -C /tmp/before``) and prints the two side by side,
with ratios.

    python benchmarks/warm.py --posts 1000
    python benchmarks/warm.py --posts 1000 --before /tmp/before
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate

FORMATS = ("text", "json", "sarif")


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one process (its workers included), and its peak memory
    in MB (the largest of the process and its workers)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if child.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed: {err.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def environment(source: Path | None) -> dict[str, str]:
    """Offline, with bytecode written (as an installed package has it), and ``source`` first on
    the import path when given."""
    env = dict(os.environ, POSTLINT_OFFLINE="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if source is not None:
        env["PYTHONPATH"] = str(source.absolute())
    return env


def measure(site: Path, source: Path | None, jobs: int) -> dict[str, tuple[float, float, int]]:
    env = environment(source)
    base = [sys.executable, "-m", "postlint", "check", "--jobs", str(jobs)]
    cache = site / ".postlint-cache"
    shutil.rmtree(cache, ignore_errors=True)
    one = "content/posts/post-0500.md"
    figures: dict[str, tuple[float, float, int]] = {}
    wall, cpu, rss = timed([*base, "content"], site, env)
    figures["cold, whole site (fills the cache)"] = (wall, cpu, rss)
    for fmt in FORMATS:
        wall, cpu, rss = timed([*base, "--format", fmt, "content"], site, env)
        figures[f"warm re-run, --format {fmt}"] = (wall, cpu, rss)
    wall, cpu, rss = timed([*base, one], site, env)
    figures["one post, warm cache"] = (wall, cpu, rss)
    post = site / one
    post.write_text(post.read_text() + "\nOne more sentence for the edited post.\n")
    wall, cpu, rss = timed([*base, one], site, env)
    figures["one post edited, warm cache"] = (wall, cpu, rss)
    wall, cpu, rss = timed([*base, "--no-cache", one], site, env)
    figures["one post, --no-cache"] = (wall, cpu, rss)
    post.write_text(post.read_text().removesuffix("\nOne more sentence for the edited post.\n"))
    shutil.rmtree(cache, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--before", type=Path, help="another postlint source tree to compare")
    parser.add_argument("--now", type=Path, help="this source tree (default: the installed one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = generate(Path(tmp) / "site", args.posts)
        runs = {}
        if args.before is not None:
            runs["before"] = measure(site, args.before.absolute(), args.jobs)
        runs["now"] = measure(site, args.now.absolute() if args.now else None, args.jobs)
    print(f"{args.posts} posts, --jobs {args.jobs}; seconds wall / CPU / peak MB of one process")
    print("(CPU is the steadier figure on a shared machine; the ratio is of CPU seconds)")
    names = list(runs["now"])
    width = max(map(len, names))
    header = f"{'run':<{width}}  " + "  ".join(f"{label:>22}" for label in runs)
    print(header + ("  now/before" if len(runs) > 1 else ""))
    for name in names:
        cells = [
            f"{runs[label][name][0]:7.2f} /{runs[label][name][1]:6.2f} /{runs[label][name][2]:5d}"
            for label in runs
        ]
        line = f"{name:<{width}}  " + "  ".join(f"{cell:>22}" for cell in cells)
        if len(runs) > 1:
            line += f"  {runs['now'][name][1] / runs['before'][name][1]:9.2f}x"
        print(line)


if __name__ == "__main__":
    main()
