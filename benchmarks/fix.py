"""``--fix`` on a whole generated Zola site against a check of the same posts, as sizes grow.

For each size: a cold check (``--no-cache``) and a ``--fix --unsafe-fixes`` run on a fresh copy
of the site, each one process (wall-clock and CPU seconds, workers included), and their ratio; the
fix must stay within 2x the check and grow linearly. ``--before DIR`` runs the same with another
source tree of postlint (``git archive main postlint rules | tar -x -C /tmp/before``) on
``PYTHONPATH``; ``--before-up-to`` skips its larger sizes (the old loop is quadratic).

    python benchmarks/fix.py --sizes 100 200 400 1000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate
from warm import environment, timed


def measure(site: Path, source: Path | None, jobs: int) -> tuple[float, float, float, float]:
    env = environment(source)
    base = [sys.executable, "-m", "postlint", "check", "--no-cache", "--jobs", str(jobs)]
    check, check_cpu, _ = timed([*base, "content"], site, env)
    work = site.with_name(site.name + "-fixing")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(site, work)
    fixed, fixed_cpu, _ = timed([*base, "--fix", "--unsafe-fixes", "content"], work, env)
    shutil.rmtree(work)
    return check, check_cpu, fixed, fixed_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400, 1000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--before", type=Path, help="another postlint source tree to compare")
    parser.add_argument("--before-up-to", type=int, default=400)
    parser.add_argument("--now", type=Path, help="this source tree (default: the installed one)")
    args = parser.parse_args()
    trees = {"now": args.now}
    if args.before is not None:
        trees = {"before": args.before, **trees}
    print(f"--jobs {args.jobs}; seconds wall / CPU; fix/check is the ratio of CPU seconds")
    print(f"{'posts':>6} {'tree':>7} {'check':>15} {'--fix':>15} {'fix/check':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            site = generate(Path(tmp) / f"site-{size}", size)
            for label, source in trees.items():
                if label == "before" and size > args.before_up_to:
                    continue
                check, check_cpu, fixed, fixed_cpu = measure(site, source, args.jobs)
                print(
                    f"{size:>6} {label:>7} {check:7.2f} /{check_cpu:6.2f} "
                    f"{fixed:7.2f} /{fixed_cpu:6.2f} {fixed_cpu / check_cpu:9.2f}x",
                    flush=True,
                )
            shutil.rmtree(site)


if __name__ == "__main__":
    main()
