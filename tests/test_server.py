"""``postlint server``: the language server, driven over stdio by a real client (pytest-lsp's,
built on pygls) as an editor drives it, and the parts it is made of.

The end-to-end tests start ``python -m postlint server`` and speak the protocol to it:
initialize, open, change, code actions, hover, files changed on disk, shutdown and exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import mistune
import pytest
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

import postlint
from postlint import api
from postlint.engine import RunResult, display_path
from postlint.index import Site
from postlint.live import Positions, Workspace, canonical, suppression
from postlint.parse import parse_post
from postlint.project import Project
from postlint.services import Notes
from tests.conftest import ROOT, write_site

SERVER = [sys.executable, "-m", "postlint", "server"]
WAIT = 120  # seconds: a loaded machine builds a small site's index in well under that

HOME = """+++
title = "Harbour notes"
date = 2025-03-01

[taxonomies]
tags = ["Harbours"]
+++
Ships came in early 🙂🙂 and 漢字 signs said the the same thing.

Read the [tide tables](https://example.com/tides?utm_source=news) before you go.

See [the quiet part](@/posts/other.md#quiet-part) and [the loud part](@/posts/other.md#loud-part).

The harbor master wrote teh notice.
"""

OTHER = """+++
title = "Other notes"
date = 2025-03-02

[taxonomies]
tags = ["Harbours"]
+++
## Quiet part

Nothing happened here.
"""


def harbour(root: Path, **more: str) -> Path:
    """An invented Zola site of three posts; ``home.md`` has a finding of every kind."""
    files = {
        "content/posts/home.md": HOME,
        "content/posts/other.md": OTHER,
        "content/posts/third.md": OTHER.replace("Other", "Third"),
        **more,
    }
    return write_site(root, files)


class Client:
    """A pytest-lsp client that keeps every publish, in order, per document."""

    def __init__(self, client: LanguageClient) -> None:
        self.lsp = client
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.registrations: list[types.Registration] = []
        self.arrived = asyncio.Event()

    async def diagnostics(self, uri: str, after: int = 0) -> list[types.Diagnostic]:
        """The diagnostics of the first publish for ``uri`` beyond the ``after`` first."""
        async with asyncio.timeout(WAIT):
            while len(self.published.get(uri, [])) <= after:
                self.arrived.clear()
                await self.arrived.wait()
        return list(self.published[uri][after].diagnostics)

    def count(self, uri: str) -> int:
        return len(self.published.get(uri, []))

    def open(self, path: Path, text: str | None = None, language: str = "markdown") -> str:
        uri = path.as_uri()
        body = path.read_text(encoding="utf-8") if text is None else text
        item = types.TextDocumentItem(uri, language, 1, body)
        self.lsp.text_document_did_open(types.DidOpenTextDocumentParams(item))
        return uri

    def change(
        self, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], new: str
    ) -> None:
        where = types.Range(types.Position(*start), types.Position(*end))
        change = types.TextDocumentContentChangePartial(range=where, text=new)
        document = types.VersionedTextDocumentIdentifier(version=version, uri=uri)
        self.lsp.text_document_did_change(types.DidChangeTextDocumentParams(document, [change]))


@contextlib.asynccontextmanager
async def session(
    root: Path, editor: str = "visual-studio-code", encodings: list[str] | None = None
) -> AsyncIterator[Client]:
    """A server started as an editor starts it, initialized with ``root`` as its workspace
    (``encodings``: the position encodings the client offers, instead of the editor's)."""
    holder: list[Client] = []

    def factory() -> LanguageClient:
        client = LanguageClient(converter_factory=default_converter)
        mine = (types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, types.CLIENT_REGISTER_CAPABILITY)
        register_lsp_features(
            client, {k: f for k, f in DEFAULT_CLIENT_FEATURES.items() if k not in mine}
        )
        wrapped = Client(client)
        holder.append(wrapped)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            wrapped.published.setdefault(params.uri, []).append(params)
            wrapped.arrived.set()

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            wrapped.registrations.extend(params.registrations)

        return client

    lsp = await ClientServerConfig(SERVER, client_factory=factory).start()
    client = holder[0]
    try:
        folder = types.WorkspaceFolder(root.as_uri(), root.name)
        capabilities = client_capabilities(editor)
        if encodings is not None:
            capabilities.general = types.GeneralClientCapabilities(
                position_encodings=[types.PositionEncodingKind(e) for e in encodings]
            )
        params = types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[folder],
        )
        client.result = await lsp.initialize_session(params)  # type: ignore[attr-defined]
        yield client
    finally:
        await lsp.shutdown_session()
        await lsp.stop()


def at(line: int, start: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(line, end))


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to ``text``, last first, as an editor does."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        before = sum(len(x) for x in lines[: position.line])
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(line)

    def where(edit: types.TextEdit) -> tuple[int, int]:
        return edit.range.start.line, edit.range.start.character

    for edit in sorted(edits, key=where, reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
        lines = text.splitlines(keepends=True)
    return text


def docs_url(rule: str) -> str:
    return f"https://github.com/postlint/postlint/blob/main/docs/rules/{rule}.md"


# ---------------------------------------------------------------------------------------------
# End to end, over stdio


@pytest.mark.asyncio
async def test_a_session_from_initialize_to_exit(tmp_path: Path) -> None:
    """Initialize, open, change, code actions, hover, shutdown and exit, as an editor does; the
    ranges count UTF-16 code units (two emoji and two CJK characters before the finding)."""
    root = harbour(tmp_path / "site")
    home = root / "content/posts/home.md"
    async with session(root) as client:
        capabilities = client.result.capabilities  # type: ignore[attr-defined]
        assert capabilities.position_encoding == "utf-16"
        assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
        assert capabilities.hover_provider
        assert set(capabilities.code_action_provider.code_action_kinds) == {
            "quickfix",
            "source.fixAll.postlint",
        }

        uri = client.open(home)
        found = await client.diagnostics(uri)
        assert [r.method for r in client.registrations] == ["workspace/didChangeWatchedFiles"]
        summary = [(d.range, d.code, d.severity, d.message) for d in found]
        assert summary == [
            (
                at(7, 47, 50),  # postlint's column 46 (characters); + 1 for each emoji
                "TXT002",
                types.DiagnosticSeverity.Warning,
                "`the` is repeated: remove the second one.",
            ),
            (
                at(9, 23, 64),
                "LNK006",
                types.DiagnosticSeverity.Warning,
                "This link carries the tracking parameter `utm_source`; remove it.",
            ),
            (
                at(11, 70, 96),
                "LNK002",
                types.DiagnosticSeverity.Error,
                "`#loud-part` matches no heading or id on `/posts/other/`; did you mean "
                "`#quiet-part`?",
            ),
            (
                at(13, 24, 27),
                "SPL001",
                types.DiagnosticSeverity.Warning,
                "“teh” is not in the dictionary: did you mean “the”, “ten”, “tea”?",
            ),
        ]
        assert {d.source for d in found} == {"postlint"}
        rules = ["repeated-word", "link-tracking-params", "link-anchor-broken", "spelling"]
        assert [d.code_description.href for d in found if d.code_description] == [
            docs_url(rule) for rule in rules
        ]

        # the same findings as `postlint check` reports, in postlint's own columns
        checked = postlint.lint_paths([home])
        assert [(d.code, d.line - 1, d.column - 1) for d in checked] == [
            ("TXT002", 7, 45),
            ("LNK006", 9, 23),
            ("LNK002", 11, 70),
            ("SPL001", 13, 24),
        ]

        # a change: the repeated word is deleted (UTF-16 positions in the change too)
        client.change(uri, 2, (7, 43), (7, 47), "")
        found = await client.diagnostics(uri, after=1)
        assert [d.code for d in found] == ["LNK006", "LNK002", "SPL001"]
        client.lsp.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        assert await client.diagnostics(uri, after=2) == found  # on save: published again

        # code actions on the link: its fix (safe, preferred), ignoring the rule on this line,
        # and fixing every safe problem of the file
        context = types.CodeActionContext(diagnostics=[found[0]])
        params = types.CodeActionParams(types.TextDocumentIdentifier(uri), at(9, 30, 30), context)
        actions = await client.lsp.text_document_code_action_async(params)
        assert actions is not None
        titles = [(a.title, a.kind, a.is_preferred) for a in actions]
        assert titles == [
            (
                "postlint (LNK006): replace `https://example.com/tides?utm_source=news` with "
                "`https://example.com/tides`",
                "quickfix",
                True,
            ),
            ("postlint: fix all safe problems in this file", "source.fixAll.postlint", None),
            ("postlint (LNK006): ignore link-tracking-params on this line", "quickfix", None),
        ]
        text = HOME.replace("the the", "the")
        fix, fix_all, ignore = actions
        assert fix.edit is not None and fix.edit.changes is not None
        fixed = apply(text, list(fix.edit.changes[uri]))
        assert "(https://example.com/tides)" in fixed
        assert [d.rule for d in postlint.lint_text(fixed, path=str(home))] == [
            "link-anchor-broken",
            "spelling",
        ]

        assert fix_all.edit is None  # resolved when chosen: VS Code resolves edits
        resolved = await client.lsp.code_action_resolve_async(fix_all)
        assert resolved.edit is not None and resolved.edit.changes is not None
        assert apply(text, list(resolved.edit.changes[uri])) == fixed

        assert ignore.edit is not None and ignore.edit.changes is not None
        silenced = apply(text, list(ignore.edit.changes[uri]))
        assert "<!-- postlint-disable-next-line link-tracking-params -->\nRead the" in silenced
        assert [d.rule for d in postlint.lint_text(silenced, path=str(home))] == [
            "link-anchor-broken",
            "spelling",
        ]

        # the unsafe fix of a spelling finding says so
        spelling = types.CodeActionContext(diagnostics=[found[2]])
        params = types.CodeActionParams(types.TextDocumentIdentifier(uri), at(13, 25, 25), spelling)
        actions = await client.lsp.text_document_code_action_async(params)
        assert actions is not None
        assert actions[0].title == (
            "postlint (SPL001): replace `teh` with `the` (unsafe: changes your words)"
        )
        assert actions[0].is_preferred is False

        # hovering a finding shows its rule's documentation, as `postlint rule` prints it
        hover = await client.lsp.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(11, 80))
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.kind == types.MarkupKind.Markdown
        printed = subprocess.run(
            [*SERVER[:-1], "rule", "link-anchor-broken"], capture_output=True, text=True
        ).stdout
        assert hover.contents.value == printed
        assert hover.range == at(11, 70, 96)
        nothing = await client.lsp.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(2, 0))
        )
        assert nothing is None

        server = client.lsp._server
    assert server is not None and server.returncode == 0  # exit after shutdown


@pytest.mark.asyncio
async def test_a_document_outside_any_site(tmp_path: Path) -> None:
    """A Markdown file in a folder that is no site is linted as a plain folder."""
    note = tmp_path / "notes" / "draft.md"
    note.parent.mkdir()
    note.write_text("# Draft\n\nA word said twice twice.\n", encoding="utf-8")
    async with session(note.parent) as client:
        uri = client.open(note)
        found = await client.diagnostics(uri)
    assert [(d.code, d.range) for d in found] == [("FM001", at(0, 0, 7)), ("TXT002", at(2, 18, 23))]
    assert [d.message for d in found] == [d.message for d in postlint.lint_paths([note])]


@pytest.mark.asyncio
async def test_a_document_with_broken_front_matter(tmp_path: Path) -> None:
    root = harbour(tmp_path / "site")
    broken = root / "content/posts/broken.md"
    text = '+++\ntitle = "Unclosed\ndate = 2025-03-04\n+++\nSome text.\n'
    broken.write_text(text, encoding="utf-8")
    async with session(root) as client:
        uri = client.open(broken)
        found = await client.diagnostics(uri)
        expected = postlint.lint_paths([broken])
        assert [(d.code, d.range.start.line, d.message) for d in found] == [
            (d.code, d.line - 1, d.message) for d in expected
        ]
        assert found[0].code == "FM002" and found[0].severity == types.DiagnosticSeverity.Error
        # the server goes on: the next document is linted
        uri = client.open(root / "content/posts/other.md")
        assert await client.diagnostics(uri) == []


@pytest.mark.asyncio
async def test_a_file_that_is_not_markdown_gets_no_diagnostics(tmp_path: Path) -> None:
    root = harbour(tmp_path / "site")
    async with session(root) as client:
        toml = client.open(root / "config.toml", language="toml")
        text = root / "notes.txt"
        text.write_text("the the\n", encoding="utf-8")
        plain = client.open(text, language="plaintext")
        home = client.open(root / "content/posts/home.md")
        assert len(await client.diagnostics(home)) == 4
        hover = await client.lsp.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(toml), types.Position(0, 0))
        )
        assert hover is None
        params = types.CodeActionParams(
            types.TextDocumentIdentifier(plain), at(0, 0, 3), types.CodeActionContext([])
        )
        assert await client.lsp.text_document_code_action_async(params) is None
    assert toml not in client.published and plain not in client.published


@pytest.mark.asyncio
async def test_the_index_follows_files_on_disk_when_told_never_per_keystroke(
    tmp_path: Path,
) -> None:
    """Another post's heading renamed on disk changes nothing until the editor reports the
    change (keystrokes never re-read the site); then the link to it is judged again."""
    root = harbour(tmp_path / "site")
    other = root / "content/posts/other.md"
    async with session(root) as client:
        uri = client.open(root / "content/posts/home.md")
        assert "LNK002" in [d.code for d in await client.diagnostics(uri)]
        other.write_text(OTHER + "\n## Loud part\n\nNoise.\n", encoding="utf-8")
        client.change(uri, 2, (13, 0), (13, 0), "")  # a keystroke that changes nothing
        assert "LNK002" in [d.code for d in await client.diagnostics(uri, after=1)]
        event = types.FileEvent(other.as_uri(), types.FileChangeType.Changed)
        client.lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([event]))
        assert "LNK002" not in [d.code for d in await client.diagnostics(uri, after=2)]

        # a new file: an image that was missing is there now
        client.change(uri, 3, (13, 0), (13, 0), "![A map](/map.png)\n\n")
        found = await client.diagnostics(uri, after=3)
        assert [d.code for d in found if d.range.start.line == 13] == ["IMG001"]
        (root / "static").mkdir()
        (root / "static/map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        event = types.FileEvent((root / "static/map.png").as_uri(), types.FileChangeType.Created)
        client.lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([event]))
        found = await client.diagnostics(uri, after=4)
        assert [d.code for d in found if d.range.start.line == 13] == []


@pytest.mark.asyncio
async def test_an_edit_reaches_the_other_open_documents_of_the_site(tmp_path: Path) -> None:
    """The unsaved heading of one document is what a link in another is judged against."""
    root = harbour(tmp_path / "site")
    async with session(root) as client:
        home = client.open(root / "content/posts/home.md")
        assert "LNK002" in [d.code for d in await client.diagnostics(home)]
        other = client.open(root / "content/posts/other.md")
        assert await client.diagnostics(other) == []
        client.change(other, 2, (10, 0), (10, 0), "\n## Loud part\n")
        assert await client.diagnostics(other, after=1) == []
        found = await client.diagnostics(home, after=1)
        assert "LNK002" not in [d.code for d in found]

        # closed unsaved: the file on disk is the post again
        client.lsp.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(other))
        )
        assert await client.diagnostics(other, after=2) == []
        client.change(home, 2, (13, 0), (13, 0), "")
        assert "LNK002" in [d.code for d in await client.diagnostics(home, after=2)]


@pytest.mark.asyncio
async def test_a_configuration_error_is_shown_once_and_the_server_goes_on(tmp_path: Path) -> None:
    root = harbour(tmp_path / "site")
    (root / "postlint.toml").write_text('select = ["spellin"]\n', encoding="utf-8")
    async with session(root) as client:
        home = client.open(root / "content/posts/home.md")
        other = client.open(root / "content/posts/other.md")
        assert await client.diagnostics(home) == []
        assert await client.diagnostics(other) == []
        shown = [m.message for m in client.lsp.messages]
        assert shown == [
            f"postlint: {root / 'postlint.toml'}:1: unknown rule `spellin` in `select` (did you "
            "mean `spelling`?)."
        ]
        (root / "postlint.toml").write_text('select = ["spelling"]\n', encoding="utf-8")
        event = types.FileEvent((root / "postlint.toml").as_uri(), types.FileChangeType.Changed)
        client.lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([event]))
        found = await client.diagnostics(home, after=1)
        assert [d.code for d in found] == ["SPL001"]


def test_postlint_server_without_pygls_says_how_to_install_it(tmp_path: Path) -> None:
    """The extra is missing: one line and exit code 2, never a traceback."""
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nsys.modules['pygls'] = None\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [*SERVER], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == (
        "postlint: error: the language server needs pygls: pip install 'postlint[server]'\n"
    )
    assert done.stdout == ""


def test_a_message_that_is_not_json_is_one_line_on_stderr_never_a_traceback() -> None:
    done = subprocess.run(
        SERVER, input=b"Content-Length: 5\r\n\r\n{bad}", capture_output=True, timeout=60
    )
    assert done.returncode == 1  # stdin ended without shutdown and exit
    assert done.stderr.decode() == (
        "postlint server: Unable to handle message: JSONDecodeError: Expecting property name "
        "enclosed in double quotes: line 1 column 2 (char 1)\n"
    )


# ---------------------------------------------------------------------------------------------
# The parts


def test_one_post_against_a_warm_index_is_judged_as_postlint_check_judges_it(
    tmp_path: Path,
) -> None:
    """``Linter.lint_in_site`` (the server's step) gives each post of whole fixture sites the
    diagnostics a full run gives it, although it judges one post and reads nothing."""
    for name in ("markets", "demo", "links-zola", "tags-zola", "authors-zola", "images-zola"):
        source = ROOT / "fixtures/sites" / name
        project = Project(source / "content")
        linter = project.primary
        posts, _ = project.files([source / "content"])
        whole = linter.run(posts, jobs=1)
        index = linter.run([], jobs=1).site
        assert index is not None
        assert posts
        for post in posts:
            path = display_path(post)
            text = post.read_text(encoding="utf-8")
            alone = linter.lint_in_site(index, text, path, post)
            assert alone.diagnostics == [d for d in whole.diagnostics if d.path == path], path
            assert alone.site is not None and alone.site is not index


def test_the_index_keeps_its_routes_while_a_post_stays_where_it_is(tmp_path: Path) -> None:
    root = harbour(tmp_path / "site")
    home = root / "content/posts/home.md"
    linter = api.make_linter(home)
    index = linter.run([], jobs=1).site
    assert index is not None
    routes = index.routes
    path = display_path(home)
    edited = linter.lint_in_site(index, HOME.replace("teh", "the"), path, home).site
    assert edited is not None and edited.routes.files is routes.files  # carried over
    assert edited.routes.pages["posts/home.md"].summary is edited.posts[path]
    assert routes.pages["posts/home.md"].summary is index.posts[path]  # the old index as it was
    slug = HOME.replace("+++\n", '+++\nslug = "moved"\n', 1)
    moved = linter.lint_in_site(index, slug, path, home).site
    assert moved is not None and moved.routes.files is not routes.files  # built again
    assert moved.routes.pages["posts/home.md"].url == "/posts/moved/"


def test_positions_count_the_clients_code_units() -> None:
    text = "a🙂b漢c\r\nx\ry\n€z"
    utf16 = Positions(text)
    assert [utf16.position(text.index(c)) for c in "ab漢cxy€z"] == [
        (0, 0), (0, 3), (0, 4), (0, 5), (1, 0), (2, 0), (3, 0), (3, 1)
    ]
    utf8 = Positions(text, "utf-8")
    assert [utf8.position(text.index(c)) for c in "b漢c€z"] == [
        (0, 5), (0, 6), (0, 9), (3, 0), (3, 3)
    ]
    utf32 = Positions(text, "utf-32")
    assert utf32.position(text.index("c")) == (0, 4)
    assert utf16.position(len(text)) == (3, 2)


SILENCED = """+++
title = "Lines"
+++
A first paragraph with teh typo
and a second line with teh typo
and a third.

- an item with teh typo
- another item with teh typo
  and its next line with teh typo

> a quote with teh typo
> and its next line with teh typo

1. one

2. two with teh typo

## A heading with teh typo

Ends with a hard break teh{BREAK}
and a line after it with teh typo.

Text with `code that spans
the line` and then teh typo.
""".replace("{BREAK}", "  ")


def _render(text: str) -> str:
    """The page as HTML, comments left out: what a reader sees."""
    body = text.split("+++\n", 2)[2]
    html = mistune.html(body)
    assert isinstance(html, str)
    html = re.sub(r"<!--.*?-->", "", html)
    return re.sub(r"\s+(?=<)|(?<=>)\s+", "", re.sub(r"\s+", " ", html))


@pytest.mark.parametrize("line", [n for n, x in enumerate(SILENCED.split("\n"), 1) if "teh" in x])
def test_ignoring_a_rule_on_a_line_silences_it_there_and_renders_the_same(line: int) -> None:
    """The comment goes where the page renders as before (never cutting a paragraph or a list
    in two), silences the finding on that line and adds none."""
    before = postlint.lint_text(SILENCED, path="content/lines.md", select=["spelling"])
    assert line in [d.line for d in before]
    post = parse_post(SILENCED, "content/lines.md", "zola", ())
    edit = suppression(post, line, "spelling")
    if line == 25:  # inside a code span that runs on: nowhere to put a comment
        assert edit is None
        return
    assert edit is not None
    text = SILENCED[: edit.span.start] + edit.replacement + SILENCED[edit.span.end :]
    after = postlint.lint_text(text, path="content/lines.md", select=["spelling", "suppressions"])
    moved = 1 if edit.replacement.endswith("\n") else 0  # a line of its own pushes lines down
    assert sorted(d.line for d in after) == sorted(
        d.line + (moved if d.line >= line else 0) for d in before if d.line != line
    )
    assert _render(text) == _render(SILENCED)


def test_no_comment_goes_into_the_front_matter_or_code() -> None:
    text = '+++\ntitle = "teh"\n+++\n```\nteh\nteh\n```\n\nText.\n'
    post = parse_post(text, "a.md", "zola", ())
    assert suppression(post, 2, "spelling") is None
    assert suppression(post, 6, "spelling") is None
    assert suppression(post, 8, "spelling") is None  # a blank line: the comment would skip it
    edit = suppression(post, 4, "code-fence")  # the fence itself starts a block
    assert edit is not None
    assert edit.replacement == "<!-- postlint-disable-next-line code-fence -->\n"


def test_the_readme_editor_settings_start_this_server() -> None:
    """The Editors section's snippets parse and start `postlint server` for Markdown."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Editors\n", 1)[1].split("\n## ", 1)[0]
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", section, re.S))
    assert set(blocks) == {"lua", "json", "toml"}
    assert 'cmd = { "postlint", "server" }' in blocks["lua"]
    assert 'pattern = "markdown"' in blocks["lua"]
    vscode = json.loads(blocks["json"])
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == [
        "postlint",
        "server",
    ]
    assert vscode["glspc.server.languageId"] == ["markdown"]
    helix = tomllib.loads(blocks["toml"])
    server = helix["language-server"]["postlint"]
    assert [server["command"], *server["args"]] == SERVER[-2:]
    assert "postlint" in helix["language"][0]["language-servers"]
    assert helix["language"][0]["name"] == "markdown"


def test_each_document_is_judged_by_its_nearest_configuration(tmp_path: Path) -> None:
    """A folder with its own postlint.toml: its posts get that configuration's findings in the
    editor, as `postlint check` gives them, within the one warm index of the site."""
    drafts = {
        "content/drafts/postlint.toml": 'ignore = ["spelling"]\n',
        "content/drafts/idea.md": HOME.replace("Harbour notes", "An idea"),
    }
    root = harbour(tmp_path / "site", **drafts)
    home, idea = root / "content/posts/home.md", root / "content/drafts/idea.md"
    sites = Workspace(Notes(), cache=False)
    live = sites.site_for(canonical(home))
    assert sites.site_for(canonical(idea)) is live
    for post in (home, idea):
        found = live.lint(canonical(post), post.read_text(encoding="utf-8"))
        expected = postlint.lint_paths([post])
        assert [(d.rule, d.line, d.column) for d in found] == [
            (d.rule, d.line, d.column) for d in expected
        ]
    assert "spelling" not in [d.rule for d in live.lint(canonical(idea), idea.read_text())]
    assert "spelling" in [d.rule for d in live.lint(canonical(home), home.read_text())]


def _watched(client: Client, *events: tuple[Path, types.FileChangeType]) -> None:
    changes = [types.FileEvent(path.as_uri(), kind) for path, kind in events]
    client.lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes))


@pytest.mark.asyncio
async def test_a_file_made_in_a_plain_folder_keeps_its_images_and_links(tmp_path: Path) -> None:
    """A plain folder is never walked: after a file comes, its images and the posts it links
    are still looked up one by one (not all reported missing)."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "other.md").write_text("# Other\n\nNothing here.\n", encoding="utf-8")
    post = folder / "post.md"
    text = "# Post\n\n![A map](map.png)\n\nSee [the other one](other.md) and [gone](gone.md).\n"
    post.write_text(text, encoding="utf-8")
    async with session(folder) as client:
        uri = client.open(post)
        before = [(d.code, d.range) for d in await client.diagnostics(uri)]
        assert before == [("FM001", at(0, 0, 6)), ("LNK001", at(4, 41, 48))]
        (folder / "unrelated.txt").write_text("text\n", encoding="utf-8")
        _watched(client, (folder / "unrelated.txt", types.FileChangeType.Created))
        assert [(d.code, d.range) for d in await client.diagnostics(uri, after=1)] == before
        # a post that appears is found, one that goes away is missed
        (folder / "gone.md").write_text("# Gone\n\nBack.\n", encoding="utf-8")
        (folder / "other.md").unlink()
        _watched(
            client,
            (folder / "gone.md", types.FileChangeType.Created),
            (folder / "other.md", types.FileChangeType.Deleted),
        )
        found = await client.diagnostics(uri, after=2)
        expected = [("FM001", at(0, 0, 6)), ("LNK001", at(4, 20, 28))]
        assert [(d.code, d.range) for d in found] == expected


def test_files_that_come_and_go_are_read_once_and_the_index_built_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of files made and deleted: each post is read again once (a new one is both
    added and changed, a deleted one gone and changed), and excluded pages rebuild the index
    once for the batch, not once per file."""
    root = harbour(tmp_path / "site", **{"postlint.toml": 'exclude = ["content/drafts/**"]\n'})
    sites = Workspace(Notes(), cache=False)
    live = sites.site_for(canonical(root / "content/posts/home.md"))
    read: list[str] = []
    built: list[int] = []
    lint_in_site, index = live.linter.lint_in_site, live._index

    def counted(site: Site, text: str | None, path: str, source: Path | None = None) -> RunResult:
        read.append(os.path.abspath(path))
        return lint_in_site(site, text, path, source)

    def rebuilt() -> Site:
        built.append(1)
        return index()

    monkeypatch.setattr(live.linter, "lint_in_site", counted)
    monkeypatch.setattr(live, "_index", rebuilt)
    new, third = root / "content/posts/new.md", root / "content/posts/third.md"
    new.write_text(OTHER.replace("Other", "New"), encoding="utf-8")
    third.unlink()
    live.rediscover([canonical(new), canonical(third)])
    assert sorted(read) == sorted(str(canonical(p)) for p in (new, third))
    assert built == []
    assert display_path(canonical(new)) in live.site.posts
    assert display_path(canonical(third)) not in live.site.posts

    (root / "content/drafts").mkdir()
    drafts = [root / f"content/drafts/d{n}.md" for n in range(3)]
    for draft in drafts:
        draft.write_text(OTHER, encoding="utf-8")
    read.clear()
    live.rediscover([canonical(d) for d in drafts])
    assert built == [1]
    assert read == []  # the index built again holds every file as it is on disk


MAP = '+++\ntitle = "Map"\ndate = 2025-03-01\n+++\n![A map of the bay](/map.png)\n'


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("hugo.yaml", "baseURL: https://example.com/\n", "staticDir: pictures\n"),
        ("config.json", '{"baseURL": "https://example.com/"', ', "staticDir": "pictures"}'),
        ("config/_default/hugo.yml", "title: Maps\n", "staticDir: pictures\n"),
    ],
)
async def test_a_hugo_configuration_changed_on_disk_is_read_again(
    tmp_path: Path, name: str, before: str, after: str
) -> None:
    """Hugo's configuration in YAML, JSON or its configuration folder is watched, and a change
    to it judges the site again (here its static folder moves to where the image is)."""
    closing = "}" if name.endswith(".json") else ""
    files = {name: before + closing, "content/posts/map.md": MAP, "pictures/map.png": "png"}
    root = write_site(tmp_path / "site", files, site_config=None)
    async with session(root) as client:
        uri = client.open(root / "content/posts/map.md")
        assert [d.code for d in await client.diagnostics(uri)] == ["IMG001"]
        options = client.registrations[0].register_options
        globs = [w["globPattern"] for w in options["watchers"]]  # type: ignore[index]
        assert "**/*.{md,markdown,toml,yaml,yml,json}" in globs
        (root / name).write_text(before + after, encoding="utf-8")
        _watched(client, (root / name, types.FileChangeType.Changed))
        assert await client.diagnostics(uri, after=1) == []


@pytest.mark.asyncio
@pytest.mark.parametrize("name", [".git/x/y/notes.md", "node_modules/pkg/notes.md", "public/a.md"])
async def test_files_outside_what_the_site_lists_are_not_read_into_it(
    tmp_path: Path, name: str
) -> None:
    """A file made in a hidden folder however deep, in node_modules or in the built site is
    not part of the site: its tags are not the site's (no tag-near-duplicate)."""
    boats = OTHER.replace('"Harbours"', '"Boats"')
    posts = {
        "content/posts/home.md": HOME.replace('"Harbours"', '"Harbuors"'),
        "content/posts/other.md": boats,
        "content/posts/third.md": boats.replace("Other", "Third"),
    }
    root = harbour(tmp_path / "site", **posts)
    async with session(root) as client:
        uri = client.open(root / "content/posts/home.md")
        before = await client.diagnostics(uri)
        stray = root / name
        stray.parent.mkdir(parents=True)
        stray.write_text(OTHER, encoding="utf-8")  # tagged "Harbours"
        _watched(client, (stray, types.FileChangeType.Created))
        # a post made in the site after it is read: its lint is published after the stray's
        post = root / "content/posts/fourth.md"
        post.write_text(boats.replace("Other", "Fourth"), encoding="utf-8")
        _watched(client, (post, types.FileChangeType.Created))
        assert await client.diagnostics(uri, after=2) == before


@pytest.mark.asyncio
async def test_an_edit_saved_at_once_still_reaches_the_other_open_documents(
    tmp_path: Path,
) -> None:
    """A save that comes within the debounce of a keystroke keeps the keystroke's word: the
    site's other open documents are judged again against the edited heading."""
    root = harbour(tmp_path / "site")
    async with session(root) as client:
        home = client.open(root / "content/posts/home.md")
        assert "LNK002" in [d.code for d in await client.diagnostics(home)]
        other = client.open(root / "content/posts/other.md")
        assert await client.diagnostics(other) == []
        client.change(other, 2, (10, 0), (10, 0), "\n## Loud part\n")
        client.lsp.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(other))
        )
        found = await asyncio.wait_for(client.diagnostics(home, after=1), 20)
        assert "LNK002" not in [d.code for d in found]


@pytest.mark.asyncio
async def test_positions_count_utf8_bytes_when_the_client_asks_for_them(tmp_path: Path) -> None:
    """A client that counts UTF-8 gets byte columns: two emoji (4 bytes) and two CJK
    characters (3 bytes) before the repeated word move it 10 past postlint's column 45."""
    root = harbour(tmp_path / "site")
    async with session(root, encodings=["utf-8"]) as client:
        capabilities = client.result.capabilities  # type: ignore[attr-defined]
        assert capabilities.position_encoding == "utf-8"
        uri = client.open(root / "content/posts/home.md")
        found = await client.diagnostics(uri)
    assert [(d.code, d.range) for d in found][:2] == [
        ("TXT002", at(7, 55, 58)),
        ("LNK006", at(9, 23, 64)),
    ]
