"""``postlint server``: the language server, over stdio, for editors (pygls, lsprotocol's types).

A document's diagnostics come from its unsaved text, with the rules, configuration and messages
of ``postlint check``, judged against its site: each site's index is built once, then follows
the documents as they change and the files the editor reports changed on disk
(``postlint.live``). Code actions offer each finding's fix, all safe fixes of a file, and the
comment that silences a rule on one line; hovering a finding shows its rule's documentation.

The protocol runs on asyncio; linting runs on one worker thread, in order, so the site indexes
are only ever touched there. Changes are debounced: keystrokes in a burst are linted once, and
a result that a newer change made stale is never published.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from postlint import docs
from postlint.baseline import BaselineError
from postlint.config import ConfigError
from postlint.engine import UsageError
from postlint.live import (
    LiveSite,
    Positions,
    Workspace,
    canonical,
    fix_action,
    is_markdown,
    is_settings,
    suppression,
)
from postlint.model import Diagnostic, Post
from postlint.registry import RegistryError
from postlint.services import Note, Notes
from postlint.version import __version__

DEBOUNCE = 0.03  # seconds from a change to its lint: a burst of keystrokes is linted once
RELATED = 0.5  # seconds from an edit to linting the site's other open documents again
FIX_ALL = "source.fixAll.postlint"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
PROBLEMS = (ConfigError, RegistryError, UsageError, BaselineError)
WARMUP = '+++\ntitle = "Warm up"\n+++\nA short post, so that the dictionaries are loaded.\n'

T = TypeVar("T")


class Worker:
    """One thread that runs jobs in order, a job submitted ``later`` only when no other waits:
    the document being typed in is never kept waiting behind the site's other open documents.
    A daemon: exiting never waits for an index build."""

    def __init__(self) -> None:
        self.now: deque[Callable[[], None]] = deque()
        self.later: deque[Callable[[], None]] = deque()
        self.ready = threading.Condition()
        threading.Thread(target=self._run, name="postlint-lint", daemon=True).start()

    def submit(self, job: Callable[[], T], later: bool = False) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(job())
            except BaseException as exc:
                future.set_exception(exc)

        with self.ready:
            (self.later if later else self.now).append(run)
            self.ready.notify()
        return future

    def _run(self) -> None:
        while True:
            with self.ready:
                while not self.now and not self.later:
                    self.ready.wait()
                job = self.now.popleft() if self.now else self.later.popleft()
            job()


@dataclass
class Linted:
    """A document's last lint: what was published for which version of its text."""

    uri: str
    version: int | None
    text: str
    source: Path
    live: LiveSite | None
    diagnostics: list[Diagnostic]
    published: list[types.Diagnostic]


class PostlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("postlint", __version__)
        self.notes = Notes(show=self._note)
        self.sites = Workspace(self.notes)
        self.worker = Worker()
        self.versions: dict[str, int | None] = {}  # open documents: the version being edited
        self.linted: dict[str, Linted] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.edited: set[str] = set()  # documents whose waiting lint follows an edit
        self.deferred: set[str] = set()  # documents whose waiting lint was submitted ``later``
        self.queued: set[str] = set()  # documents waiting for the worker behind an edit
        self.told: set[str] = set()  # configuration errors already shown
        self.shut_down = False
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- scheduling (event loop) ----------------------------------------------------------

    def schedule(self, uri: str, delay: float, edited: bool = False, later: bool = False) -> None:
        """Lint ``uri`` after ``delay``, replacing a lint already waiting for it (and keeping
        what it was for: an edit stays an edit when a save follows within the debounce);
        ``later``: once nothing else waits (another document's edit may have changed its
        findings)."""
        self.loop = asyncio.get_running_loop()
        waiting = self.timers.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
            edited = edited or uri in self.edited
            later = later and uri in self.deferred
        self.edited.discard(uri)
        self.deferred.discard(uri)
        if edited:
            self.edited.add(uri)
        if later:
            self.deferred.add(uri)
        self.timers[uri] = self.loop.call_later(delay, self._submit, uri, edited, later)

    def _submit(self, uri: str, edited: bool, later: bool) -> None:
        self.timers.pop(uri, None)
        self.edited.discard(uri)
        self.deferred.discard(uri)
        document = self.workspace.text_documents.get(uri)
        if document is None or uri not in self.versions or self.loop is None:
            return
        if later and uri in self.queued:
            return  # already waiting for the worker, and it reads the index as it is then
        version, text, language = document.version, document.source, document.language_id
        if later:
            self.queued.add(uri)

        def job() -> Linted | None:
            self.queued.discard(uri)
            return self.lint(uri, version, text, language)

        future = self.worker.submit(job, later)
        loop = self.loop
        future.add_done_callback(
            lambda done: loop.call_soon_threadsafe(self._published, done, edited)
        )

    def _published(self, done: concurrent.futures.Future[Linted | None], edited: bool) -> None:
        try:
            linted = done.result()
        except Exception as exc:  # a bug: said in the client's log, and the server goes on
            self.log(f"internal error: {type(exc).__name__}: {exc}", types.MessageType.Error)
            return
        if linted is None or self.versions.get(linted.uri, -1) != linted.version:
            return  # not a post, or the text changed meanwhile: its own lint is coming
        uri = linted.uri
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, linted.published, version=linted.version)
        )
        if edited and linted.live is not None:  # links and anchors to this post may change
            for other, seen in list(self.linted.items()):
                if other != uri and seen.live is linted.live and other in self.versions:
                    self.schedule(other, RELATED, later=True)

    def relint_open(self) -> None:
        for uri in self.versions:
            self.schedule(uri, 0)

    # -- on the worker thread -------------------------------------------------------------

    def lint(self, uri: str, version: int | None, text: str, language: str | None) -> Linted | None:
        if self.versions.get(uri, -1) != version:
            return None  # a newer text is waiting behind this one
        source = file_of(uri)
        if source is None or not is_markdown(source, language):
            return None
        live = self.site_of(source)
        if live is None or live.excluded(source):
            return Linted(uri, version, text, source, live, [], [])
        diagnostics = live.lint(source, text)
        for error in live.errors:
            self.log(error, types.MessageType.Error)
        positions = Positions(text, encoding(self))
        published = [lsp_diagnostic(d, positions) for d in diagnostics]
        return Linted(uri, version, text, source, live, diagnostics, published)

    def site_of(self, source: Path) -> LiveSite | None:
        """The document's warm site; a configuration that cannot be loaded is said once."""
        try:
            fresh = not self.sites.sites
            started = time.perf_counter()
            live = self.sites.site_for(source)
        except PROBLEMS as exc:
            message = f"postlint: {exc}"
            if message not in self.told:
                self.told.add(message)
                self.show(message, types.MessageType.Error)
            return None
        if fresh or time.perf_counter() - started > 0.5:
            took = time.perf_counter() - started
            self.log(f"indexed {live.posts} pages of {live.root} in {took:.1f} s")
        return live

    def warm(self, folders: Sequence[Path]) -> None:
        """Build the indexes of the sites the workspace is in, and load what rules need (the
        dictionaries), so that the first document opened is linted at once."""
        for folder in folders:
            live = self.site_of(canonical(folder / "postlint-warm-up.md"))
            if live is not None:
                live.lint(live.root / "postlint-warm-up.md", WARMUP, keep=False)

    def changed_files(self, changes: Sequence[types.FileEvent]) -> None:
        """Files changed on disk (the editor's watchers): the indexes follow."""
        paths: list[tuple[Path, types.FileChangeType]] = []
        warm = list(self.sites.sites.values())
        for change in changes:
            file = file_of(change.uri)
            if file is None:
                continue
            if any(live.root in file.parents and not live.lists(file) for live in warm):
                continue  # .git, .postlint-cache, node_modules, public: never the site
            paths.append((file, change.type))
        if any(is_settings(file) for file, _ in paths):
            self.sites.forget()
            self.told.clear()
            return
        open_files = {file_of(uri) for uri in self.versions}
        for live in warm:
            mine = [(f, kind) for f, kind in paths if live.root in f.parents]
            if any(kind != types.FileChangeType.Changed for _, kind in mine):
                if live.moved():
                    self.sites.forget(live)
                else:
                    live.rediscover([f for f, _ in mine if f not in open_files])
                continue
            live.reread([f for f, _ in mine if is_markdown(f) and f not in open_files])

    def closed(self, source: Path) -> None:
        """A document closed without saving: its post in the index is the file again."""
        for live in self.sites.holding(source):
            live.reread([source])

    # -- the client's log -------------------------------------------------------------------

    def _note(self, note: Note) -> None:
        if note.kind in ("note", "detail"):
            self.log(note.text)
        self.notes.kept.clear()  # a server runs for hours: nothing piles up

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self._send(lambda: self.window_log_message(types.LogMessageParams(kind, message)))

    def show(self, message: str, kind: types.MessageType) -> None:
        self._send(lambda: self.window_show_message(types.ShowMessageParams(kind, message)))

    def _send(self, send: Callable[[], None]) -> None:
        if self.loop is not None:  # from the worker thread too
            self.loop.call_soon_threadsafe(send)


def encoding(ls: LanguageServer) -> str:
    """The position encoding agreed with the client, as its protocol name (``utf-16``): the
    library hands over the client's string, or its own enum member for the default."""
    chosen = ls.workspace.position_encoding
    return str(getattr(chosen, "value", chosen) or "utf-16")


def file_of(uri: str) -> Path | None:
    """The file a document is, as the site index knows it; None for an unsaved buffer."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return canonical(Path(path)) if path else None


def lsp_diagnostic(d: Diagnostic, positions: Positions) -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(d.start, d.end, positions),
        message=d.message,
        severity=SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=d.url) if d.url else None,
        source="postlint",
        data={"rule": d.rule},
    )


def lsp_range(start: int, end: int, positions: Positions) -> types.Range:
    line, character = positions.position(start)
    end_line, end_character = positions.position(end)
    return types.Range(types.Position(line, character), types.Position(end_line, end_character))


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _before(a.start, b.end) and _before(b.start, a.end)


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a code action of ``kind`` is asked for (``source.fixAll`` asks for ours)."""
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _edit(uri: str, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: edits})


def whole_text_edit(old: str, new: str, positions: Positions) -> types.TextEdit:
    """One edit from ``old`` to ``new``: the part between what they share at both ends."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return types.TextEdit(lsp_range(start, len(old) - end, positions), new[start : len(new) - end])


def create() -> PostlintServer:
    """The server with its features registered."""
    server = PostlintServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: PostlintServer, params: types.InitializedParams) -> None:
        ls.loop = asyncio.get_running_loop()
        folders = [
            Path(path)
            for folder in ls.workspace.folders.values()
            if (path := to_fs_path(folder.uri)) is not None
        ]
        if not folders and ls.workspace.root_path:
            folders = [Path(ls.workspace.root_path)]
        ls.worker.submit(lambda: ls.warm(folders))
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is not None and watched.dynamic_registration:
            every = types.WatchKind.Create | types.WatchKind.Delete
            watchers = [
                types.FileSystemWatcher(glob_pattern="**/*", kind=every),
                types.FileSystemWatcher(glob_pattern="**/*.{md,markdown,toml,yaml,yml,json}"),
            ]
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration(
                "postlint-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams([registration]))
            except Exception as exc:  # the index then follows open documents only
                ls.log(f"could not watch the site's files: {exc}", types.MessageType.Warning)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PostlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.versions[params.text_document.uri] = params.text_document.version
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PostlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.versions[params.text_document.uri] = params.text_document.version
        ls.schedule(params.text_document.uri, DEBOUNCE, edited=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: PostlintServer, params: types.DidSaveTextDocumentParams) -> None:
        """The index already holds the text that was saved; its diagnostics are published again
        (a client may have dropped them), at once if a lint was waiting."""
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PostlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.timers.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.edited.discard(uri)
        ls.deferred.discard(uri)
        ls.versions.pop(uri, None)
        linted = ls.linted.pop(uri, None)
        if linted is not None:
            source = linted.source
            ls.worker.submit(lambda: ls.closed(source))
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(
        ls: PostlintServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        changes = list(params.changes)
        await asyncio.wrap_future(ls.worker.submit(lambda: ls.changed_files(changes)))
        ls.relint_open()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True
        ),
    )
    async def code_action(
        ls: PostlintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        linted = await current(ls, params.text_document.uri)
        if linted is None or linted.live is None:
            return None
        post = None
        wanted = _wanted(types.CodeActionKind.QuickFix, params.context.only)
        if wanted and any(_overlaps(lsp.range, params.range) for lsp in linted.published):
            live, source, text = linted.live, linted.source, linted.text
            job = ls.worker.submit(lambda: live.project.linter(source).parse(text, str(source)))
            post = await asyncio.wrap_future(job)  # the worker alone touches the site's linters
        found = actions(ls, params, linted, post)
        if not resolves_edits(ls):  # the fix-all edit now, else when the client picks it
            for action in found:
                if action.kind == FIX_ALL:
                    action.edit = await fix_all_edit(ls, linted)
        return found

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(ls: PostlintServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if action.edit is None and isinstance(uri, str):
            linted = await current(ls, uri)
            if linted is not None and linted.live is not None:
                action.edit = await fix_all_edit(ls, linted)
        return action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: PostlintServer, params: types.HoverParams) -> types.Hover | None:
        linted = await current(ls, params.text_document.uri)
        if linted is None or linted.live is None:
            return None
        at = params.position
        found = [
            (d, lsp)
            for d, lsp in zip(linted.diagnostics, linted.published, strict=True)
            if _before(lsp.range.start, at) and _before(at, lsp.range.end)
        ]
        if not found:
            return None
        live, source = linted.live, linted.source

        def describe() -> list[str]:  # on the worker: it alone touches the site's linters
            catalogue = live.project.linter(source).catalogue
            pages = []
            for d, _ in found:
                rule = catalogue.find(d.rule)
                page = docs.describe_rule(rule, catalogue) if rule is not None else d.message
                if page not in pages:
                    pages.append(page)
            return pages

        pages = await asyncio.wrap_future(ls.worker.submit(describe))
        content = types.MarkupContent(types.MarkupKind.Markdown, "\n---\n\n".join(pages))
        return types.Hover(content, found[0][1].range)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PostlintServer, params: None) -> None:
        ls.shut_down = True

    return server


async def current(ls: PostlintServer, uri: str) -> Linted | None:
    """The document's lint for its text as it is now (linted again if it changed since)."""
    linted = ls.linted.get(uri)
    if linted is not None and linted.version == ls.versions.get(uri, -1):
        return linted
    document = ls.workspace.text_documents.get(uri)
    if document is None:
        return None
    ls.versions.setdefault(uri, document.version)
    version, text, language = document.version, document.source, document.language_id
    job = ls.worker.submit(lambda: ls.lint(uri, version, text, language))
    fresh = await asyncio.wrap_future(job)
    if fresh is not None and fresh.version == ls.versions.get(uri, -1):
        ls.linted[uri] = fresh
    return fresh


def actions(
    ls: PostlintServer, params: types.CodeActionParams, linted: Linted, post: Post | None
) -> list[types.CodeAction]:
    """The code actions on the range: each finding's fix, fixing the whole file, and ignoring
    a rule on a line (where ``post``, the text parsed, has room for the comment)."""
    uri = params.text_document.uri
    only = params.context.only
    positions = Positions(linted.text, encoding(ls))
    crlf = "\r\n" in linted.text
    found: list[types.CodeAction] = []
    ignored: list[types.CodeAction] = []
    for d, lsp in zip(linted.diagnostics, linted.published, strict=True):
        if not _overlaps(lsp.range, params.range):
            continue
        action = fix_action(d, linted.text)
        if action is not None and _wanted(types.CodeActionKind.QuickFix, only):
            edits = [
                types.TextEdit(
                    lsp_range(e.span.start, e.span.end, positions),
                    e.replacement.replace("\n", "\r\n") if crlf else e.replacement,
                )
                for e in action.edits
            ]
            found.append(
                types.CodeAction(
                    action.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    edit=_edit(uri, edits),
                    is_preferred=action.safe,
                )
            )
        if post is None:
            continue
        edit = suppression(post, d.line, d.rule)
        title = f"postlint ({d.code}): ignore {d.rule} on this line"
        if edit is not None and all(a.title != title for a in ignored):
            text_edit = types.TextEdit(
                lsp_range(edit.span.start, edit.span.end, positions), edit.replacement
            )
            ignored.append(
                types.CodeAction(
                    title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    edit=_edit(uri, [text_edit]),
                )
            )
    fixable = any(d.fix and d.fix_safe is not False for d in linted.diagnostics)
    if fixable and _wanted(FIX_ALL, only):
        fix_all = types.CodeAction(
            "postlint: fix all safe problems in this file",
            kind=FIX_ALL,
            data={"uri": uri},
        )
        found.append(fix_all)
    return found + ignored


def resolves_edits(ls: PostlintServer) -> bool:
    """Whether the client asks for a code action's edit only when it is chosen."""
    document = ls.client_capabilities.text_document
    support = document.code_action if document else None
    resolve = support.resolve_support if support else None
    return resolve is not None and "edit" in resolve.properties


async def fix_all_edit(ls: PostlintServer, linted: Linted) -> types.WorkspaceEdit:
    """Every safe fix of the document, re-linted until nothing changes, as one edit."""
    uri, live, source, text = linted.uri, linted.live, linted.source, linted.text
    assert live is not None
    fixed = await asyncio.wrap_future(ls.worker.submit(lambda: live.fix_all(source, text)))
    positions = Positions(text, encoding(ls))
    edits = [] if fixed == text else [whole_text_edit(text, fixed, positions)]
    return _edit(uri, edits)


class OneLine(logging.Formatter):
    """The protocol library's complaints (a message that is not JSON) as one line on stderr,
    which clients show in their log: what went wrong, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"postlint server: {record.getMessage()}"
        error = record.exc_info[1] if record.exc_info else None
        return f"{text}: {type(error).__name__}: {error}" if error is not None else text


def serve() -> int:
    """Run the server on stdin and stdout until the client says exit (0 after a shutdown
    request, 1 without one, as the protocol asks)."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLine())
    library = logging.getLogger("pygls")
    library.addHandler(handler)
    library.setLevel(logging.WARNING)
    library.propagate = False
    server = create()
    server.start_io()
    return 0 if server.shut_down else 1
