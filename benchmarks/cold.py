"""Cold runs side by side: postlint (default rules, every offline rule), markdownlint-cli2 and
the mistune parse floor, on the same realistic 1,000-post Zola site, in one run.

Each command runs in a fresh process with no cache; wall-clock and CPU seconds (user + system
of the process and its workers) are the median of ``--repeat`` runs. CPU is the steadier figure
on a shared machine; the ratios are taken within this one run. The floor is mistune parsing
every post and nothing else, on one core and on all cores. markdownlint-cli2 is looked up on
the PATH, then under ``--npm-prefix``, where it is installed with npm when missing.

    python benchmarks/cold.py [--posts 1000] [--corpus DIR] [--repeat 3] [--plain]

Targets (issue 16): postlint default at most 1/3 of markdownlint-cli2, ALL at most 1/2.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate
from foundation import parse_files  # the mistune floor, parsed as the foundation benchmark does


def floor(files: list[Path], jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds of mistune alone parsing every file."""
    names = [str(f) for f in files]
    wall, cpu = time.perf_counter(), time.process_time()
    children = _children_cpu()
    if jobs == 1:
        parse_files(names)
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            pool.map(parse_files, [names[i::jobs] for i in range(jobs)])
            pool.close()
            pool.join()
    spent = time.process_time() - cpu + _children_cpu() - children
    return time.perf_counter() - wall, spent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], cwd: Path, repeat: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU seconds of a command (its own and its children's CPU)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = _children_cpu()
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - before)
    return statistics.median(walls), statistics.median(cpus)


def markdownlint(prefix: Path) -> str | None:
    """The markdownlint-cli2 command: on the PATH, under the prefix, or installed there."""
    found = shutil.which("markdownlint-cli2")
    local = prefix / "node_modules" / ".bin" / "markdownlint-cli2"
    if found or local.exists():
        return found or str(local)
    npm = shutil.which("npm")
    if npm is None:
        return None
    prefix.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--silent", "--prefix", str(prefix), "markdownlint-cli2"],
        capture_output=True,
        check=False,
    )
    return str(local) if done.returncode == 0 and local.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, help="an existing corpus to reuse (or to write)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="the plain corpus, not realistic")
    parser.add_argument("--jobs", type=int, default=0, help="postlint workers (0: all cores)")
    parser.add_argument(
        "--npm-prefix",
        type=Path,
        default=Path(tempfile.gettempdir()) / "postlint-bench-npm",
        help="where to find or install markdownlint-cli2",
    )
    args = parser.parse_args()
    temp = None
    if args.corpus and (args.corpus / "content").is_dir():
        corpus = args.corpus
    else:
        temp = None if args.corpus else Path(tempfile.mkdtemp(prefix="postlint-cold-"))
        corpus = generate(args.corpus or temp, args.posts, realistic=not args.plain)
    files = sorted((corpus / "content").rglob("*.md"))
    size = sum(f.stat().st_size for f in files) / 1e6
    cores = os.cpu_count() or 1
    env = {**os.environ, "POSTLINT_OFFLINE": "1"}
    postlint = [shutil.which("postlint") or "postlint", "check", "--no-cache", "--format", "json"]
    if args.jobs:
        postlint += ["-j", str(args.jobs)]
    print(
        f"corpus: {corpus} ({len(files)} files, {size:.1f} MB, "
        f"{'plain' if args.plain else 'realistic'}); {cores} cores; median of {args.repeat}"
    )
    rows: list[tuple[str, float, float]] = []
    floor1 = min((floor(files, 1) for _ in range(args.repeat)), key=lambda t: t[0])
    floorn = min((floor(files, cores) for _ in range(args.repeat)), key=lambda t: t[0])
    rows.append(("mistune parse floor, 1 core", *floor1))
    rows.append((f"mistune parse floor, {cores} cores", *floorn))
    mdl = markdownlint(args.npm_prefix)
    if mdl:
        rows.append(
            ("markdownlint-cli2", *timed([mdl, "content/**/*.md"], corpus, args.repeat, env))
        )
    else:
        print("markdownlint-cli2: not found and could not be installed with npm; no ratio to it")
    rows.append(("postlint, default rules", *timed([*postlint, "."], corpus, args.repeat, env)))
    every = [*postlint, "--select", "ALL", "."]
    rows.append(("postlint --select ALL (offline)", *timed(every, corpus, args.repeat, env)))
    print(f"{'run':34} {'wall s':>8} {'CPU s':>8}  ratios (wall; CPU)")
    for name, wall, cpu in rows:
        ratios = ""
        if name.startswith("postlint"):
            if mdl:
                _, mwall, mcpu = rows[2]
                ratios += f"markdownlint {wall / mwall:.2f}x; {cpu / mcpu:.2f}x   "
            ratios += (
                f"floor {wall / floor1[0]:.1f}x (1 core), {wall / floorn[0]:.1f}x ({cores} cores);"
                f" {cpu / floor1[1]:.1f}x CPU"
            )
        print(f"{name:34} {wall:8.2f} {cpu:8.2f}  {ratios}")
    print("targets: default <= 0.33x markdownlint-cli2, ALL <= 0.50x")
    if temp:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
