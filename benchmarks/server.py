"""The language server's latency, driven over stdio as an editor drives it.

On a generated 1,000-post Zola site (benchmarks/corpus.py), this starts ``postlint server``, says
initialize with the site as the workspace, and measures:

- start-up: from ``initialized`` to the first diagnostics of a post opened at once (the site's
  index built, from a cold result cache and then a warm one, and the dictionaries loaded);
- open: from ``didOpen`` to the first ``publishDiagnostics`` of posts not opened before, once the
  server is up (budget: 1 s);
- change: from ``didChange`` (a word typed into a paragraph of a ~15 KB post) to the
  ``publishDiagnostics`` of that version (budget: 150 ms), the debounce included.

Each change waits for its diagnostics before the next: the time a writer waits after a pause.
Wall-clock times depend on how busy the machine is; the last figure, the CPU time of one lint
of the same changes in this process (``postlint.live``, what the server does per change), does
not.

    python benchmarks/server.py [--corpus DIR] [--posts 1000] [--changes 60] [--opens 20]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

SERVER = [sys.executable, "-m", "postlint", "server"]


class Client:
    """A client that notes when each document's diagnostics arrive, per version."""

    def __init__(self) -> None:
        self.lsp = LanguageClient("postlint-benchmark", "1")
        self.arrived: dict[str, list[tuple[float, int | None]]] = {}
        self.event = asyncio.Event()

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.arrived.setdefault(params.uri, []).append((time.perf_counter(), params.version))
            self.event.set()

        @self.lsp.feature(types.WINDOW_LOG_MESSAGE)
        def log(params: types.LogMessageParams) -> None:
            print(f"  server: {params.message}", file=sys.stderr)

        @self.lsp.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            return None

    async def start(self, root: Path) -> None:
        await self.lsp.start_io(*SERVER)
        folder = types.WorkspaceFolder(root.as_uri(), root.name)
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                )
            )
        )
        params = types.InitializeParams(
            capabilities, root_uri=root.as_uri(), workspace_folders=[folder]
        )
        await self.lsp.initialize_async(params)
        self.lsp.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await self.lsp.shutdown_async(None)
        self.lsp.exit(None)
        await self.lsp.stop()

    async def until(self, uri: str, version: int) -> float:
        """When the diagnostics of ``version`` of ``uri`` arrived."""
        while True:
            for when, seen in self.arrived.get(uri, []):
                if seen == version:
                    return when
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), 600)

    def open(self, path: Path) -> tuple[str, float]:
        uri = path.as_uri()
        item = types.TextDocumentItem(uri, "markdown", 1, path.read_text(encoding="utf-8"))
        sent = time.perf_counter()
        self.lsp.text_document_did_open(types.DidOpenTextDocumentParams(item))
        return uri, sent

    def type(self, uri: str, version: int, line: int, text: str, remove: int = 0) -> float:
        """Insert ``text`` at the start of ``line`` (after removing ``remove`` characters)."""
        where = types.Range(types.Position(line, 0), types.Position(line, remove))
        change = types.TextDocumentContentChangePartial(range=where, text=text)
        document = types.VersionedTextDocumentIdentifier(version=version, uri=uri)
        sent = time.perf_counter()
        self.lsp.text_document_did_change(types.DidChangeTextDocumentParams(document, [change]))
        return sent


def figures(name: str, times: list[float], budget: float | None = None) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    within = ""
    if budget is not None:
        under = sum(1 for t in ms if t <= budget * 1000)
        within = f", {under}/{len(ms)} within {budget * 1000:.0f} ms"
    return (
        f"{name}: median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, "
        f"min {ms[0]:.0f}, max {ms[-1]:.0f} (n={len(ms)}{within})"
    )


def paragraph_lines(path: Path) -> list[int]:
    """0-based lines of prose paragraphs (not front matter, headings, lists, code, quotes)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fences = 0
    found = []
    for number, line in enumerate(lines):
        if line.startswith("```"):
            fences += 1
        if number > 8 and fences % 2 == 0 and len(line) > 60 and line[0].isalpha():
            found.append(number)
    return found


async def session(root: Path, posts: list[Path], edited: Path, changes: int, opens: int) -> None:
    client = Client()
    await client.start(root)
    started = time.perf_counter()
    uri, _ = client.open(posts[0])
    await client.until(uri, 1)
    print(f"start-up (index built, dictionaries loaded): {time.perf_counter() - started:.1f} s")
    if not opens:
        await client.stop()
        return

    waits = []
    for path in posts[1 : opens + 1]:
        uri, sent = client.open(path)
        waits.append(await client.until(uri, 1) - sent)
    print(figures("open -> first diagnostics", waits, 1.0))

    uri, sent = client.open(edited)
    await client.until(uri, 1)
    lines = paragraph_lines(edited)
    waits = []
    version = 1
    for n in range(changes):
        version += 1
        line = lines[n % len(lines)]
        if n % 2 == 0:
            sent = client.type(uri, version, line, "Meanwhile ")
        else:
            sent = client.type(uri, version, line, "", remove=len("Meanwhile "))
        waits.append(await client.until(uri, version) - sent)
    print(figures("change -> diagnostics", waits, 0.15))
    await client.stop()


def cpu_per_change(root: Path, edited: Path, changes: int) -> None:
    """The server's work per change, measured in this process: CPU time of the lint thread."""
    from postlint.live import Workspace, canonical
    from postlint.services import Notes

    source = canonical(edited)
    live = Workspace(Notes()).site_for(source)
    text = edited.read_text(encoding="utf-8")
    live.lint(source, text)
    lines = text.split("\n")
    paragraphs = paragraph_lines(edited)
    times = []
    for n in range(changes):
        changed = list(lines)
        line = paragraphs[n % len(paragraphs)]
        changed[line] = "Meanwhile " + changed[line]
        started = time.thread_time()
        live.lint(source, "\n".join(changed))
        times.append(time.thread_time() - started)
    print(figures("lint CPU time per change (in process)", times, 0.15))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="the site (generated there if missing)")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--warm-only", action="store_true", help="skip the cold start-up")
    args = parser.parse_args()
    temporary = None
    root = args.corpus
    if root is None:
        temporary = Path(tempfile.mkdtemp(prefix="postlint-server-"))
        root = temporary / "site"
    if not (root / "config.toml").exists():
        generate(root, args.posts)
    posts = sorted((root / "content" / "posts").glob("*.md"))
    edited = min(posts, key=lambda p: abs(p.stat().st_size - 15_000))
    others = [p for p in posts if p != edited]
    size = edited.stat().st_size / 1000
    print(f"{len(posts)} posts in {root}; the edited post: {edited.name}, {size:.1f} KB")
    try:
        if not args.warm_only:
            shutil.rmtree(root / ".postlint-cache", ignore_errors=True)
            print("cold result cache:")
            asyncio.run(session(root, others, edited, 0, 0))
        print("warm result cache:")
        asyncio.run(session(root, others[::-1], edited, args.changes, args.opens))
        cpu_per_change(root, edited, args.changes)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
