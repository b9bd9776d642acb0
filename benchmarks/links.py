"""How close is postlint's link checker to a bare httpx loop with the same limits?

1,000 unique URLs on 10 loopback hosts (127.0.0.11-20) that each answer after 100 ms, with at
most 8 requests in flight per host. The servers run in a separate process (tests/httpservers.py)
so they do not compete with the checker for the GIL. Each contender runs ``--rounds`` times,
alternating; the best and median wall times are printed, from the first request to the last
answer (interpreter and import start-up excluded; each creates its own client inside the timing).

    python benchmarks/links.py                  # postlint vs bare httpx
    python benchmarks/links.py --mlc /tmp/mlc   # also `markdown-link-check` installed there

Only loopback addresses are contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from postlint.linkcheck import LinkCheckOptions, acheck_urls  # noqa: E402


def start_servers(hosts: str, delay: float) -> tuple[subprocess.Popen[str], list[str]]:
    """Start the loopback servers in their own process; return it and its origins."""
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "httpservers.py"),
            "--hosts",
            hosts,
            "--delay",
            str(delay),
        ],
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


async def postlint(urls: list[str], concurrency: int, per_host: int, timeout: float) -> int:
    options = LinkCheckOptions(
        concurrency=concurrency,
        per_host_concurrency=per_host,
        timeout=timeout,
        check_private_addresses=True,
        trust_env=False,
        cache_dir=None,
    )
    results = await acheck_urls(urls, options)
    for r in results.values():
        if r.status != "ok":
            print(f"postlint: {r.url}: {r.status} {r.reason}", file=sys.stderr)
    return sum(r.status == "ok" for r in results.values())


def timed(fn: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    async def run() -> tuple[float, int]:
        t0 = time.perf_counter()
        n = await fn()
        return time.perf_counter() - t0, n

    return asyncio.run(run())


def run_mlc(mlc_dir: Path, urls: list[str]) -> str:
    """Time `markdown-link-check` on a Markdown file listing the same URLs."""
    exe = mlc_dir / "node_modules" / ".bin" / "markdown-link-check"
    if not exe.exists():
        return f"markdown-link-check not found in {mlc_dir} (npm install markdown-link-check)"
    with tempfile.TemporaryDirectory() as tmp:
        md = Path(tmp) / "links.md"
        md.write_text(
            "# Links\n\n" + "".join(f"- [link {i}]({u})\n" for i, u in enumerate(urls)), "utf-8"
        )
        t0 = time.perf_counter()
        proc = subprocess.run(
            [str(exe), str(md)],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "NO_PROXY": "*"},
        )
        elapsed = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    found = re.search(r"(\d+) dead links? found", out)
    alive, dead = out.count("[✓]"), int(found.group(1)) if found else 0
    return (
        f"markdown-link-check: {elapsed:.2f} s, exit {proc.returncode}, "
        f"{alive} alive, {dead} dead "
        f"(it checks 2 links at a time, hard-coded)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--urls", type=int, default=1000)
    ap.add_argument("--hosts", default="127.0.0.11-20")
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--per-host", type=int, default=8)
    ap.add_argument(
        "--concurrency",
        type=int,
        default=80,
        help="global limit; 80 = 10 hosts x 8 so the per-host limit binds",
    )
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mlc", type=Path, help="folder where markdown-link-check is installed")
    args = ap.parse_args()

    proc, origins = start_servers(args.hosts, args.latency)
    try:
        urls = [f"{origins[i % len(origins)]}/post/{i}" for i in range(args.urls)]
        c, h, t = args.concurrency, args.per_host, 10.0
        times: dict[str, list[float]] = {"postlint": [], "baseline": []}
        failed = {"postlint": 0, "baseline": 0}
        for _ in range(args.rounds):
            for name, fn in (("postlint", postlint), ("baseline", baseline)):
                elapsed, n = timed(lambda fn=fn: fn(urls, c, h, t))  # type: ignore[misc]
                if n != len(urls):
                    failed[name] += len(urls) - n
                times[name].append(elapsed)
        ideal = len(urls) / (len(origins) * h) * args.latency
        best_p, best_b = min(times["postlint"]), min(times["baseline"])
        med_p, med_b = statistics.median(times["postlint"]), statistics.median(times["baseline"])
        print(
            f"{len(urls)} URLs, {len(origins)} hosts x {h} per host, {args.latency * 1000:.0f} ms"
            f" latency, global limit {c}, {args.rounds} rounds"
        )
        print(
            f"postlint : best {best_p:.3f} s  median {med_p:.3f} s  "
            f"({', '.join(f'{x:.3f}' for x in times['postlint'])})"
        )
        print(
            f"baseline : best {best_b:.3f} s  median {med_b:.3f} s  "
            f"({', '.join(f'{x:.3f}' for x in times['baseline'])})"
        )
        print(
            f"ratio    : best {best_p / best_b:.2f}x  median {med_p / med_b:.2f}x  (target <= 1.3x)"
        )
        print(f"ideal    : {ideal:.3f} s  (URLs / (hosts x per-host) x latency)")
        if any(failed.values()):
            print(f"not ok   : {failed} (see stderr)")
        if args.mlc is not None:
            if shutil.which("node") is None:
                print("markdown-link-check: node not installed")
            else:
                print(run_mlc(args.mlc, urls))
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)


if __name__ == "__main__":
    main()
