"""The engine: read every post once, run the selected checks, then the site-wide ones.

It knows nothing about particular checks: rules come from the registry, options from the
configuration, and each rule's hooks are called with the model and a context. It is the only
code that opens content files, all through one guarded reader (``postlint.files``), and it
builds the site index from the summaries its workers produce. Work is spread over processes;
results are cached by file content, configuration and postlint version (``postlint.cache``).

A run plans each file of the site at one of three depths (``Mode``): the posts it reports on are
checked with every rule; the site's other posts only feed the site-wide rules the facts those
collect (``Rule.collect``); files the configuration excludes are only summarized, as pages links
may point at. When nothing the site phase reads has changed since the last run, the reported
posts' final findings come straight from the cache and no post is parsed or judged again.

A run may span several configurations (a folder with its own ``postlint.toml``): a ``Layout``
(``postlint.project``) says which linter judges each file and which files are left out. Each
file is linted by its own linter, the site index is built once from them all, each linter's
site-wide rules judge that one index, and each finding is kept by the linter of its file.
"""

from __future__ import annotations

import concurrent.futures
import enum
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Protocol

from postlint.cache import (
    Codec,
    Damaged,
    RuleFields,
    Store,
    Unencodable,
    decode_diagnostics,
    decode_rows,
    encode_diagnostics,
)
from postlint.config import Config, ConfigError
from postlint.files import Refused, discover, plain_files, read_file
from postlint.index import PostSummary, Site, SiteFiles, SiteInfo
from postlint.model import Diagnostic, Finding, Post, Span
from postlint.parse import SourceProblem, decode, parse_post
from postlint.registry import Catalogue
from postlint.rule import Context, Rule
from postlint.services import Notes, Services
from postlint.site import summarize
from postlint.suppress import Matcher, Suppressor, suppressor_for
from postlint.version import __version__

PARALLEL_THRESHOLD = 16  # fewer files than this are linted in-process: forking costs more


class UsageError(Exception):
    """A request postlint cannot carry out (a missing path, an unknown rule)."""


class Mode(enum.IntEnum):
    """How deeply a file is linted; each depth includes the ones below it."""

    INDEX = 0  # summarized for the site index: a page that links may point at
    COLLECT = 1  # and the facts site-wide rules collect: a post of the site not reported on
    CHECK = 2  # and every rule's findings and the post's suppressions: a post reported on


@dataclass
class FileResult:
    """Everything the per-post phase learned about one file."""

    path: str
    diagnostics: list[Diagnostic]
    summary: PostSummary | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    suppressor: Suppressor | None = None
    errors: list[str] = field(default_factory=list)
    mode: Mode = Mode.CHECK


class RunResult:
    """What a run found, and the site index it judged against (``site``): a run answered from
    the cache builds that index only when asked (``--fix`` and the language server ask)."""

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        files: int,
        notes: list[str],
        errors: list[str],
        cached: int = 0,
        site: Site | None = None,
        loader: Callable[[], Site | None] | None = None,
    ) -> None:
        self.diagnostics = diagnostics
        self.files = files
        self.notes = notes
        self.errors = errors
        self.cached = cached
        self._site = site
        self._loader = loader

    @property
    def site(self) -> Site | None:
        if self._site is None and self._loader is not None:
            self._site, self._loader = self._loader(), None
        return self._site

    def __repr__(self) -> str:
        return (
            f"RunResult({len(self.diagnostics)} diagnostics, files={self.files}, "
            f"notes={self.notes!r}, errors={self.errors!r}, cached={self.cached})"
        )


class Layout(Protocol):
    """Which linter judges each file of a run, and which files the run leaves out."""

    def linter(self, path: str) -> Linter:
        """The linter of the file at ``path`` (as reported, or as given)."""
        ...

    def excluded(self, source: Path) -> bool:
        """Whether the file is left out of linting (it is still a page of the site)."""
        ...


class Linter:
    """One configured run: the selected rules, their contexts, and the site they judge against.

    With a ``layout``, files under another configuration are judged by that configuration's
    linter (each linter of a layout shares its notes and services)."""

    def __init__(
        self,
        config: Config,
        catalogue: Catalogue,
        site: SiteInfo,
        notes: Notes | None = None,
        layout: Layout | None = None,
        services: Services | None = None,
    ) -> None:
        self.config = config
        self.catalogue = catalogue
        self.site = site
        self.notes = notes if notes is not None else Notes()
        self.layout = layout
        root = config.path.parent if config.path is not None else site.root
        self.services = services if services is not None else Services(self.notes, root)
        self._key: str | None = None
        self.rules = catalogue.select(config.select, config.extend_select, config.ignore)
        self.instances = [rule() for rule in self.rules]
        self.collectors = [rule for rule in self.instances if type(rule).has_hook("collect")]
        self.site_rules = [rule for rule in self.instances if type(rule).has_hook("check_site")]
        self.by_name = {rule.name: rule for rule in self.rules}
        self.contexts = {
            rule.name: Context(
                config.options(catalogue.family_of(rule)), site, config, self.services
            )
            for rule in self.rules
        }
        self._loaded: dict[str, PostSummary | None] = {}
        self._observer: _Observer | None = None
        self.roster = tuple(self._roster())
        self.severities = catalogue.severities(self.rules, config.severity)
        self.fields: RuleFields = {
            rule.name: (rule.code, self.severities[rule.name], rule.url(config.docs_url))
            for rule in self.rules
        }
        # the rules that can report in this run, to judge which suppressions are unused
        self.active = tuple(
            type(rule) for rule in self.instances if rule.active(self.contexts[rule.name])
        )
        packages = {"postlint", *(rule.__module__.split(".")[0] for rule in self.rules)}
        self.codec = Codec(packages)

    def route(self, path: str) -> Linter:
        """The linter that judges the file at ``path``: this one, unless the layout says."""
        return self if self.layout is None else self.layout.linter(path)

    def excluded(self, source: Path) -> bool:
        """Whether the file is left out of linting (``exclude``; the layout may add more)."""
        if self.layout is not None:
            return self.layout.excluded(source)
        return self.config.excluded.matches(source)

    @property
    def judges_site(self) -> bool:
        """Whether a selected rule judges the whole site (so every post must be read)."""
        return bool(self.site_rules)

    def _roster(self) -> Iterable[str]:
        authors = self.config.tables.get("authors", {})
        roster = authors.get("roster", ()) if isinstance(authors, dict) else ()
        return roster if isinstance(roster, (list, tuple)) else ()

    # -- one post ---------------------------------------------------------------------------

    def parse(self, text: str, path: str) -> Post:
        return parse_post(text, path, self.site.anchors, self.roster)

    def lint_source(
        self, data: bytes, path: str, source: Path, mode: Mode = Mode.CHECK
    ) -> FileResult:
        """Lint one file's bytes as deeply as ``mode`` says; a file that is not a post becomes
        a diagnostic on it."""
        text = decode(data)
        if isinstance(text, SourceProblem):
            return FileResult(path, self._problem(path, text), mode=mode)
        return self.lint_text_source(text, path, source, mode)

    def lint_text_source(
        self, text: str, path: str, source: Path | None, mode: Mode = Mode.CHECK
    ) -> FileResult:
        # The cyclic garbage collector is paused while one post is parsed and checked: the post
        # is a few hundred thousand small acyclic objects that reference counting frees as soon
        # as lint_post returns, and rescanning them as they pile up would cost more than the
        # checks. Only the (small) result is left for the collector when it resumes.
        with _collector_paused():
            return self.lint_post(self.parse(text, path), source, mode)

    def lint_post(
        self, post: Post, source: Path | None = None, mode: Mode = Mode.CHECK
    ) -> FileResult:
        """The post's findings (``CHECK``), the facts site-wide rules collect from it
        (``COLLECT`` and deeper) and its summary for the site index."""
        diagnostics: list[Diagnostic] = []
        facts: dict[str, Any] = {}
        errors: list[str] = []
        summary = summarize(post, source or Path(post.path), self.site)
        language = summary.language
        if mode >= Mode.CHECK:
            for rule in self.instances:
                ctx = self.contexts[rule.name]
                if not rule.judges(language, ctx):  # a page in a language it does not read
                    continue
                try:
                    diagnostics.extend(self.diagnose(post.path, rule.check(post, ctx)))
                except ConfigError:
                    raise
                except Exception:
                    errors.append(_crash(rule.name, post.path))
        if mode >= Mode.COLLECT:
            for rule in self.collectors:
                ctx = self.contexts[rule.name]
                if not rule.judges(language, ctx):
                    continue
                try:
                    fact = rule.collect(post, ctx)
                except ConfigError:
                    raise
                except Exception:
                    errors.append(_crash(rule.name, post.path))
                    continue
                if fact is not None:
                    facts[rule.name] = fact
        suppressor = suppressor_for(post) if mode >= Mode.CHECK else None
        return FileResult(post.path, diagnostics, summary, facts, suppressor, errors, mode)

    def diagnose(self, path: str, findings: Iterable[Finding]) -> Iterator[Diagnostic]:
        fields = self.fields
        for finding in findings:
            known = fields.get(finding.rule)
            if known is None:  # a rule reporting for another that is not selected
                continue
            code, severity, url = known
            span = finding.span
            fix = finding.fix
            yield Diagnostic(
                path,
                span.line,
                span.column,
                span.end_line,
                span.end_column,
                code,
                finding.rule,
                severity,  # type: ignore[arg-type]
                finding.message,
                fix.edits if fix else None,
                url,
                fix.safe if fix else None,
                span.start,
                span.end,
            )

    def _problem(self, path: str, problem: SourceProblem) -> list[Diagnostic]:
        return list(self.diagnose(path, [Finding(problem.rule, problem.span, problem.message)]))

    # -- the whole run ----------------------------------------------------------------------

    def run(
        self, files: Sequence[Path], jobs: int | None = None, cache_dir: Path | None = None
    ) -> RunResult:
        """Lint ``files``. When a selected rule judges the whole site, the site's other posts
        are read too (their facts from the cache when unchanged), but only ``files`` are
        reported on."""
        return self._run(
            [(source, display_path(source), None) for source in files], jobs, cache_dir
        )

    def run_text(self, text: str, path: str | None = None) -> RunResult:
        """Lint one post given as text, placed at ``path`` in its site (judged against it)."""
        source = Path(path) if path else None
        return self._run([(source, path or "<text>", text)], jobs=1, cache_dir=None)

    def lint_in_site(
        self, site: Site, text: str | None, path: str, source: Path | None = None
    ) -> RunResult:
        """Lint one post against a site index built before (``RunResult.site``), with the
        post's new summary and facts in place of its old ones; only this post is judged and
        reported. ``text`` is the post as an editor holds it; None reads ``source`` (through
        the guarded reader: a file that is gone leaves the index). ``site`` is left as it was;
        the result's ``site`` is the index updated. The site is never read again: this is the
        language server's step on every change."""
        start = len(self.notes.kept)
        linter = self.route(path)  # the post's own configuration, under a layout
        if text is None:
            assert source is not None
            results: dict[str, FileResult] = {}
            data = self._read(source, path, False, results)
            if data is None:
                updated = site.with_post(path, None, {}, frozenset({path}))
                return RunResult([], 0, [], [], site=updated)
            result = linter.lint_source(data, path, source)
        else:
            result = linter.lint_text_source(text, path, source)
        updated = site.with_post(path, result.summary, result.facts, frozenset({path}))
        errors = list(result.errors)
        found = [d for d in self.site_phases(updated, errors, [path]) if d.path == path]
        diagnostics = self.filter(result.diagnostics + found, {path: result})
        diagnostics.sort(key=Diagnostic.sort_key)
        notes = [n.text for n in self.notes.kept[start:] if n.kind == "note"]
        return RunResult(diagnostics, 1, notes, errors, site=updated)

    def _run(
        self,
        given: list[tuple[Path | None, str, str | None]],
        jobs: int | None,
        cache_dir: Path | None,
    ) -> RunResult:
        """Read every file once (through the guarded reader); when nothing the site phase reads
        has changed, answer from the cache; else take unchanged files' results from it, lint
        the rest, build the site index from the summaries and run the site phase."""
        start = len(self.notes.kept)
        reported = dict.fromkeys(path for _, path, _ in given)
        candidates, files = self._discover(reported)
        plan = [_Item(source, path, Mode.CHECK, text) for source, path, text in given]
        named = {os.path.abspath(source) for source, _, _ in given if source is not None}
        for source in candidates:
            if os.path.abspath(source) not in named:
                depth = Mode.INDEX if self.excluded(source) else Mode.COLLECT
                plan.append(_Item(source, display_path(source), depth))
        store = self._store(cache_dir)
        inputs, refused = self._read_plan(plan, reported)
        run = _Run(self, inputs, refused, files, store, reported, jobs)
        run.complete = bool(candidates) and run.all_summarized(candidates)
        # a site-wide finding about a file that is not a post (an unused image) belongs to a
        # run over the whole content folder
        run.whole = self.site.generator != "plain" and not any(
            item.mode >= Mode.COLLECT for item in plan[len(given) :]
        )
        diagnostics = run.answer()
        if store is not None:
            if store.damaged:
                self.notes.note(f"the result cache in {cache_dir} was damaged; rebuilding it")
            if not store.save():
                self.notes.note(f"could not write the cache in {cache_dir}")
        checked = sum(1 for path in run.known if path in reported)
        notes = [n.text for n in self.notes.kept[start:] if n.kind == "note"]
        return RunResult(diagnostics, checked, notes, run.errors, run.hits, run.site, run.loader())

    def _store(self, cache_dir: Path | None) -> Store | None:
        if cache_dir is None:
            return None
        return Store(cache_dir, self.cache_key())

    def _read_plan(
        self, plan: list[_Item], reported: dict[str, None]
    ) -> tuple[list[_Input], dict[str, FileResult]]:
        """Every planned file's bytes and digest; files that cannot be read become their
        diagnostic (or a note, and nothing)."""
        inputs: list[_Input] = []
        refused: dict[str, FileResult] = {}
        for item in plan:
            if item.text is not None:
                digest = _digest(item.text.encode("utf-8", "surrogatepass"))
                inputs.append(_Input(item, digest + self._judge(item.path), None))
                continue
            assert item.source is not None
            data = self._read(item.source, item.path, item.path in reported, refused)
            if data is None:
                if item.path in refused:
                    refused[item.path].mode = item.mode
                continue
            inputs.append(_Input(item, _digest(data) + self._judge(item.path), data))
        return inputs, refused

    def _judge(self, path: str) -> str:
        """Who lints ``path``, for the cache: nothing when this linter does, else that linter's
        own key, so a file under another configuration is linted again when it changes."""
        linter = self.route(path)
        if linter is self:
            return ""
        if linter._key is None:
            linter._key = linter.cache_key()
        return linter._key

    def discover(self) -> tuple[list[Path], SiteFiles]:
        """The site's files listed again as this linter's index lists them (files came or went
        under the language server): a plain folder's files are looked up afresh."""
        self._loaded.clear()
        return self._discover(())

    def _discover(self, reported: Iterable[str]) -> tuple[list[Path], SiteFiles]:
        """The site's other files, when a rule selected for a reported file needs the whole
        site to judge (a run that reports nothing builds this linter's index)."""
        judging = [self.route(path) for path in reported] or [self]
        if not any(linter.judges_site for linter in judging):
            return [], SiteFiles()
        if self.site.generator == "plain":
            return [], plain_files(self.site, self._load)
        return discover(self.site)

    def _load(self, rel: str) -> PostSummary | None:
        """A plain folder's Markdown file that a post names, read for the index on demand."""
        if rel not in self._loaded:
            source = self.site.content_dir / rel
            path = display_path(source)
            results: dict[str, FileResult] = {}
            data = self._read(source, path, False, results)
            if self._observer is not None:
                self._observer.seen.append(["bytes", str(source), _digest(data) if data else None])
            summary = None
            if data is not None:
                summary = self.route(path).lint_source(data, path, source, Mode.INDEX).summary
            self._loaded[rel] = summary
        return self._loaded[rel]

    def _read(
        self, source: Path, path: str, reported: bool, results: dict[str, FileResult]
    ) -> bytes | None:
        """The file's bytes through the guarded reader; a refusal is a note (on reported
        files) or a diagnostic on the file."""
        data = read_file(source, self.site.root)
        if not isinstance(data, Refused):
            return data
        if data.note:
            if reported:
                self.notes.note(f"skipped {path}: {data.message}")
        else:
            results[path] = FileResult(path, self.route(path)._unreadable(path, data.message))
        return None

    def _unreadable(self, path: str, reason: str) -> list[Diagnostic]:
        message = f"This file {reason}."
        return self._problem(path, SourceProblem("file-unreadable", message, _START))

    def lint_many(
        self, pending: Sequence[tuple[str, Path, bytes, Mode]], jobs: int | None
    ) -> Iterator[tuple[str, FileResult]]:
        """Lint files (path, source, bytes, mode), in worker processes when there are many."""
        workers = min(jobs or os.cpu_count() or 1, len(pending))
        if workers <= 1 or len(pending) < PARALLEL_THRESHOLD or sys.platform == "win32":
            for path, source, data, mode in pending:
                yield path, self.route(path).lint_source(data, path, source, mode)
            return
        global _WORKER_LINTER
        _WORKER_LINTER = self
        chunk = max(1, min(32, len(pending) // (workers * 4)))
        batches = [list(pending[i : i + chunk]) for i in range(0, len(pending), chunk)]
        with _workers(workers) as pool:
            for batch in pool.map(_lint_batch, batches):
                yield from batch

    def site_index(
        self,
        results: Iterable[FileResult],
        files: SiteFiles | None = None,
        indexed: dict[str, PostSummary] | None = None,
        complete: bool = False,
    ) -> Site:
        results = list(results)
        posts = {r.path: r.summary for r in results if r.summary is not None}
        facts: dict[str, dict[str, Any]] = {}
        for result in results:
            for rule, fact in result.facts.items():
                facts.setdefault(rule, {})[result.path] = fact
        return Site(self.site, posts, facts, files or SiteFiles(), indexed or {}, complete)

    def site_phases(
        self, site: Site, errors: list[str], paths: Iterable[str]
    ) -> Iterator[Diagnostic]:
        """The site-wide rules of every linter that judges one of ``paths``, over the one site
        index; each finding is kept by the linter that judges its file."""
        linters = {id(linter): linter for linter in (self, *map(self.route, paths))}
        for linter in linters.values():
            for diagnostic in linter.site_phase(site, errors):
                if self.route(diagnostic.path) is linter:
                    yield diagnostic

    def site_phase(self, site: Site, errors: list[str]) -> Iterator[Diagnostic]:
        for rule in self.site_rules:
            ctx = self.contexts[rule.name]
            try:
                findings = list(rule.check_site(site, ctx))
            except ConfigError:
                raise
            except Exception:
                errors.append(_crash(rule.name, "the site"))
                continue
            for path, finding in findings:
                post = site.posts.get(path)
                if site.reports(path) and (post is None or rule.judges(post.language, ctx)):
                    yield from self.diagnose(path, [finding])

    def filter(
        self, diagnostics: list[Diagnostic], results: dict[str, FileResult]
    ) -> list[Diagnostic]:
        """Drop what inline suppressions, a post's own ignores or per-file-ignores silence, then
        add what the suppressions say about themselves (unknown rules, silencing nothing)."""
        kept, used = self._silence(diagnostics, results)
        about = [
            diagnostic
            for path, result in results.items()
            if result.suppressor is not None
            for linter in (self.route(path),)
            for diagnostic in linter.diagnose(
                path,
                result.suppressor.findings(
                    used.get(path, ()), linter.catalogue, linter.ran(result)
                ),
            )
        ]
        return kept + self._silence(about, results)[0]

    def ran(self, result: FileResult) -> tuple[type[Rule], ...]:
        """The rules that could report on this file: active, and judging its language."""
        language = result.summary.language if result.summary is not None else None
        return tuple(
            type(r)
            for r in self.instances
            if type(r) in self.active and r.judges(language, self.contexts[r.name])
        )

    def _silence(
        self, diagnostics: list[Diagnostic], results: dict[str, FileResult]
    ) -> tuple[list[Diagnostic], dict[str, set[int]]]:
        kept = []
        used: dict[str, set[int]] = {}
        for diagnostic in diagnostics:
            linter = self.route(diagnostic.path)
            rule = linter.by_name[diagnostic.rule]
            matcher = linter.catalogue.matches
            result = results.get(diagnostic.path)
            suppressor = result.suppressor if result else None
            silencing = suppressor.silencing(rule, diagnostic.line, matcher) if suppressor else ()
            if silencing:
                used.setdefault(diagnostic.path, set()).update(silencing)
                continue
            if _per_file_ignored(diagnostic.path, rule, linter.config, matcher):
                continue
            if diagnostic.fix and suppressor is not None and len(diagnostic.fix) > 1:
                # one finding whose fix edits every use (a term, damaged text): a use on a line
                # the writer silenced for this rule keeps its text
                edits = []
                for edit in diagnostic.fix:
                    silenced = suppressor.silencing(rule, edit.span.line, matcher)
                    used.setdefault(diagnostic.path, set()).update(silenced)
                    if not silenced:
                        edits.append(edit)
                if len(edits) < len(diagnostic.fix):
                    diagnostic = replace(diagnostic, fix=tuple(edits))
            kept.append(diagnostic)
        return kept, used

    def final(
        self, path: str, diagnostics: list[Diagnostic], result: FileResult | None
    ) -> list[Diagnostic]:
        """A file's findings as reported: silenced as its suppressions say, in order."""
        found = self.filter(diagnostics, {path: result} if result is not None else {})
        found.sort(key=Diagnostic.sort_key)
        return found

    def cache_key(self) -> str:
        aside = {
            f.name: [o.name for o in f.options if not o.verdict] for f in self.catalogue.families
        }
        parts = [
            __version__,
            code_digest(),
            self.config.fingerprint(aside),
            repr(self.site),
            *(r.code + r.digest for r in self.rules),
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]

    def configured_files(self) -> list[tuple[str, str | None]]:
        """The files the selected rules' options name (word lists, a tag vocabulary) and their
        digests: what the site phase reads beside the site."""
        found: dict[str, str | None] = {}
        families = {(f := self.catalogue.family_of(rule)).name: f for rule in self.rules}
        for family in families.values():
            options = self.config.options(family)
            for option in family.options:
                if not option.path:
                    continue
                value = options.get(option.name)
                for name in value if isinstance(value, (list, tuple)) else [value]:
                    if not name or not isinstance(name, str):
                        continue
                    path = Path(name) if Path(name).is_absolute() else self.config.root / name
                    try:
                        found[str(path)] = _digest(path.read_bytes())
                    except OSError:
                        found[str(path)] = None
        return sorted(found.items())


@dataclass(frozen=True)
class _Item:
    """A file of the run: where it is, how it is reported, how deeply it is linted, and its
    text when given as text."""

    source: Path | None
    path: str
    mode: Mode
    text: str | None = None


@dataclass
class _Input:
    """A planned file as read: its digest, and its bytes (None when given as text)."""

    item: _Item
    digest: str
    data: bytes | None

    @property
    def path(self) -> str:
        return self.item.path


class _Observer:
    """What the site phase read beside the posts (theme templates, files a plain folder's posts
    name), so that a cached verdict is trusted only while those files are unchanged."""

    def __init__(self) -> None:
        self.seen: list[list[Any]] = []

    def watch(self, files: SiteFiles) -> SiteFiles:
        read, exists = files.read, files.exists

        def watched_read(path: Path) -> str | None:
            text = read(path)
            self.seen.append(["read", str(path), _text_digest(text)])
            return text

        def watched_exists(rel: str) -> bool:
            answer = exists(rel)
            self.seen.append(["exists", rel, answer])
            return answer

        return replace(files, read=watched_read, exists=watched_exists)


class _Run:
    """One run over its planned files: answered from the cache when the site phase would judge
    exactly what it judged last time, else judged again with what the cache still holds."""

    def __init__(
        self,
        linter: Linter,
        inputs: list[_Input],
        refused: dict[str, FileResult],
        files: SiteFiles,
        store: Store | None,
        reported: dict[str, None],
        jobs: int | None,
    ) -> None:
        self.linter = linter
        self.inputs = inputs
        self.refused = refused
        self.files = files
        self.store = store
        self.reported = reported
        self.jobs = jobs
        self.index = store.index() if store is not None else {}
        self.known = {i.path for i in inputs} | set(refused)  # every file with a result
        self.complete = False
        self.whole = False
        self.hits = 0
        self.linted = 0  # files linted this run (the rest came from the cache)
        self.errors: list[str] = []
        self.results: dict[str, FileResult] = {}
        self.site: Site | None = None
        # every linter judging a post of the run (a folder may have its own configuration)
        self.posts = [i.path for i in inputs if i.item.mode >= Mode.COLLECT]
        self.posts += [path for path, r in refused.items() if r.mode >= Mode.COLLECT]
        routed = (linter, *map(linter.route, [*reported, *self.posts]))
        self.linters = list({id(one): one for one in routed}.values())
        self.digest = self._site_digest() if store is not None else ""  # keys only the cache

    def all_summarized(self, candidates: Sequence[Path]) -> bool:
        """Whether every Markdown file of the content folder is a post of this run (none
        excluded, none unreadable): then nothing the site references is unknown."""
        posts = {
            os.path.abspath(i.item.source)
            for i in self.inputs
            if i.item.source is not None and i.item.mode >= Mode.COLLECT
        }
        return all(os.path.abspath(c) in posts for c in candidates)

    def _site_digest(self) -> str:
        """Everything the site phase judges: each file's content and depth, the site's other
        files as listed, and the files the configuration names."""
        if not any(linter.site_rules for linter in self.linters):
            return ""
        rows = [(i.path, i.item.mode >= Mode.COLLECT, i.digest) for i in self.inputs]
        rows += [(path, r.mode >= Mode.COLLECT, "unread") for path, r in self.refused.items()]
        f = self.files
        listing = (f.content, f.folders, [(str(p), n) for p, n in f.static], f.sass, f.theme)
        h = hashlib.blake2b(digest_size=20)
        configured = [linter.configured_files() for linter in self.linters]
        h.update(repr((sorted(rows), listing, configured)).encode())
        return h.hexdigest()

    # -- the answer

    def answer(self) -> list[Diagnostic]:
        """The reported files' final findings, in order."""
        finals = self._from_record()
        if finals is None:
            finals = self._judge()
        out: list[Diagnostic] = []
        for path in sorted(finals):
            out.extend(finals[path])
        return out

    def _from_record(self) -> dict[str, list[Diagnostic]] | None:
        """When the last site phase judged this very site: each reported post's final
        findings as kept, or (for a post it did not report on) its own findings with the
        site phase's."""
        store = self.store
        record = store.site() if store is not None and self.digest else None
        if store is None or record is None or record.digest != self.digest:
            return None
        try:
            observed = json.loads(record.observed)
            if not self._still(observed["seen"]):
                return None
            judged = observed["reported"]  # the files it judged; None: every file
            errors = [str(e) for e in json.loads(record.errors)]
        except (ValueError, TypeError, KeyError):
            return None
        ready, missing = [], []
        for item in self.inputs:
            if item.path in self.reported:
                entry = self.index.get(item.path)
                if entry is not None and entry.digest == item.digest and entry.site == self.digest:
                    ready.append(item.path)
                else:
                    missing.append(item)
        unread = [path for path in self.refused if path in self.reported]
        unknown = [i.path for i in missing] + unread
        if judged is not None and (self.whole or any(p not in judged for p in unknown)):
            return None  # it judged some files only: the others' site-wide findings are unknown
        linter = self.linter
        finals: dict[str, list[Diagnostic]] = {}
        with _collector_paused(freeze=True):
            try:
                for path, text in store.parts(ready, ("final",)):
                    finals[path] = decode_diagnostics(text, path, linter.route(path).fields)
                if len(finals) != len(ready):
                    return None
                if missing or unread:
                    by_path = self._site_findings("diagnostics")
                    self.lookup(missing)
                    for path in [i.path for i in missing] + unread:
                        result = self.results.get(path) or self.refused[path]
                        found = result.diagnostics + by_path.get(path, [])
                        finals[path] = linter.final(path, found, result)
                        if path not in self.refused:
                            store.put_final(path, self.digest, encode_diagnostics(finals[path]))
                if self.whole:
                    for path, found in self._site_findings("beside").items():
                        finals[path] = linter.final(path, found, None)
                self.errors = self._file_errors() + errors
            except Damaged:
                store.damaged = True
                return None
        self.hits = len(self.inputs) - self.linted
        return finals

    def _site_findings(self, column: str) -> dict[str, list[Diagnostic]]:
        assert self.store is not None
        try:
            rows = json.loads(self.store.site_findings(column))
            route = self.linter.route
            return {
                str(path): decode_rows(found, path, route(path).fields)
                for path, found in rows.items()
            }
        except (ValueError, AttributeError) as exc:
            raise Damaged(str(exc)) from None

    def _still(self, observed: list[list[Any]]) -> bool:
        """Whether what the site phase read beside the posts reads the same now."""
        files = self.files
        root = self.linter.site.root
        for kind, arg, answer in observed:
            if kind == "read":
                now: Any = _text_digest(files.read(Path(arg)))
            elif kind == "exists":
                now = files.exists(arg)
            elif kind == "bytes":
                data = read_file(Path(arg), root)
                now = None if isinstance(data, Refused) else _digest(data)
            else:
                return False
            if now != answer:
                return False
        return True

    def _file_errors(self) -> list[str]:
        """The crashes of every file's rules: of the results at hand, else as kept."""
        errors: list[str] = []
        kept = []
        for item in self.inputs:
            result = self.results.get(item.path)
            if result is not None:
                errors += result.errors
            elif (entry := self.index.get(item.path)) is not None and entry.errors:
                kept.append(item.path)
        if self.store is not None and kept:
            for _, text in self.store.parts(kept, ("errors",)):
                try:
                    errors += [str(e) for e in json.loads(text)]
                except (ValueError, TypeError) as exc:
                    raise Damaged(str(exc)) from None
        return errors

    def _judge(self) -> dict[str, list[Diagnostic]]:
        """Judge the site again: every file's result (from the cache when its bytes are
        unchanged), the site index, the site phase, then each reported file's findings."""
        linter = self.linter
        self.lookup(self.inputs)
        results = {**self.results, **self.refused}
        posts = [r for r in results.values() if r.mode >= Mode.COLLECT]
        indexed = {
            path: r.summary
            for path, r in results.items()
            if r.mode < Mode.COLLECT and r.summary is not None
        }
        observer = _Observer()
        files = observer.watch(self.files)
        self.site = linter.site_index(posts, files, indexed, self.complete)
        self.site.reported = self._judged()
        self.errors = [e for r in posts for e in r.errors]
        site_errors: list[str] = []
        by_path: dict[str, list[Diagnostic]] = {}
        linter._observer = observer
        try:
            for diagnostic in linter.site_phases(self.site, site_errors, self.posts):
                by_path.setdefault(diagnostic.path, []).append(diagnostic)
        finally:
            linter._observer = None
        self.errors += site_errors
        self.site.files = self.files  # later users (--fix) read without being watched
        finals: dict[str, list[Diagnostic]] = {}
        for path in self.reported:
            result = results.get(path)
            if result is not None:
                finals[path] = linter.final(
                    path, result.diagnostics + by_path.get(path, []), result
                )
        if self.whole:
            for path, found in by_path.items():
                if path not in self.known:
                    finals[path] = linter.final(path, found, None)
        self.hits = len(self.inputs) - self.linted
        self._keep(finals, by_path, site_errors, observer)
        return finals

    def _judged(self) -> frozenset[str] | None:
        """The files whose site-wide findings the site phase judges: the reported ones, or
        every file in a run over the whole content folder."""
        return None if self.whole else frozenset(self.reported)

    def _keep(
        self,
        finals: dict[str, list[Diagnostic]],
        by_path: dict[str, list[Diagnostic]],
        errors: list[str],
        observer: _Observer,
    ) -> None:
        """Keep the site phase's verdict for the next run, unless it asked the network."""
        store = self.store
        if store is None or not self.digest:
            return
        if self.linter.services.network:
            store.drop_site()
            return
        on_files = {p: found for p, found in by_path.items() if p in self.known}
        beside = {p: found for p, found in by_path.items() if p not in self.known}
        store.put_site(
            self.digest,
            json.dumps({"seen": observer.seen, "reported": self._judged()}, default=sorted),
            _findings_by_path(on_files),
            _findings_by_path(beside),
            json.dumps(errors),
        )
        for item in self.inputs:
            if item.path in finals and item.item.text is None:
                store.put_final(item.path, self.digest, encode_diagnostics(finals[item.path]))

    # -- each file's result

    def lookup(self, inputs: Sequence[_Input]) -> None:
        """Each input's result, at least as deep as it is planned: from the cache when its bytes
        are unchanged, else linted (in parallel) and kept."""
        linter = self.linter
        wanted: dict[Mode, list[str]] = {}
        pending: list[_Input] = []
        for item in inputs:
            have = self.results.get(item.path)
            if have is not None and have.mode >= item.item.mode:
                continue
            entry = self.index.get(item.path)
            if (
                item.data is not None
                and entry is not None
                and entry.digest == item.digest
                and entry.mode >= item.item.mode
            ):
                wanted.setdefault(item.item.mode, []).append(item.path)
            else:
                pending.append(item)
        by_path = {i.path: i for i in inputs}
        with _collector_paused(freeze=True):
            for mode, paths in wanted.items():
                found = self._load(paths, mode)
                self.results.update(found)
                pending += [by_path[p] for p in paths if p not in found]
        texts = [i for i in pending if i.data is None]
        for item in texts:
            assert item.item.text is not None
            self.results[item.path] = linter.route(item.path).lint_text_source(
                item.item.text, item.path, item.item.source, item.item.mode
            )
        work = [
            (i.path, i.item.source, i.data, i.item.mode)
            for i in pending
            if i.data is not None and i.item.source is not None
        ]
        digests = {i.path: i.digest for i in pending}
        for path, result in linter.lint_many(work, self.jobs):
            self.results[path] = result
            self._put(path, digests[path], result)
        self.linted += len(pending)

    _COLUMNS: ClassVar[dict[Mode, tuple[str, ...]]] = {
        Mode.INDEX: ("summary",),
        Mode.COLLECT: ("summary", "facts", "errors"),
        Mode.CHECK: ("summary", "facts", "errors", "diagnostics", "suppressor"),
    }

    def _load(self, paths: list[str], mode: Mode) -> dict[str, FileResult]:
        """The kept results of ``paths``; a damaged one is left out (and linted again)."""
        store = self.store
        assert store is not None
        columns = self._COLUMNS[mode]
        route = self.linter.route
        found: dict[str, FileResult] = {}
        for path, *values in store.parts(paths, columns):
            parts = dict(zip(columns, values, strict=True))
            codec, fields = route(path).codec, route(path).fields
            try:
                summary = codec.loads(parts["summary"]) if parts["summary"] else None
                result = FileResult(path, [], summary, mode=mode)
                if mode >= Mode.COLLECT:
                    result.facts = codec.loads(parts["facts"]) if parts["facts"] else {}
                    result.errors = json.loads(parts["errors"]) if parts["errors"] else []
                if mode >= Mode.CHECK:
                    result.diagnostics = decode_diagnostics(
                        parts["diagnostics"] or "[]", path, fields
                    )
                    result.suppressor = (
                        codec.loads(parts["suppressor"]) if parts["suppressor"] else None
                    )
            except (Damaged, ValueError, TypeError):
                store.damaged = True
                continue
            found[path] = result
        return found

    def _put(self, path: str, digest: str, result: FileResult) -> None:
        store = self.store
        if store is None:
            return
        codec = self.linter.route(path).codec
        try:
            parts = {
                "summary": codec.dumps(result.summary) if result.summary is not None else None,
                "errors": json.dumps(result.errors) if result.errors else None,
            }
            if result.mode >= Mode.COLLECT:
                parts["facts"] = codec.dumps(result.facts) if result.facts else None
            if result.mode >= Mode.CHECK:
                parts["diagnostics"] = encode_diagnostics(result.diagnostics)
                if result.suppressor is not None:
                    parts["suppressor"] = codec.dumps(result.suppressor)
        except Unencodable:
            return  # linted again next time
        store.put(path, digest, int(result.mode), parts)

    def loader(self) -> Callable[[], Site | None]:
        """How to build the site index later (``--fix`` needs it) when this run did not."""

        def build() -> Site | None:
            if self.site is None:
                self.lookup(self.inputs)
                results = {**self.results, **self.refused}
                posts = [r for r in results.values() if r.mode >= Mode.COLLECT]
                indexed = {
                    path: r.summary
                    for path, r in results.items()
                    if r.mode < Mode.COLLECT and r.summary is not None
                }
                self.site = self.linter.site_index(posts, self.files, indexed, self.complete)
                self.site.reported = self._judged()
            return self.site

        return build


_START = Span(0, 0, 1, 1, 1, 1)  # where findings about a whole unreadable file point
_WORKER_LINTER: Linter | None = None


def _findings_by_path(by_path: dict[str, list[Diagnostic]]) -> str:
    """One JSON object of each path's findings (``encode_diagnostics``)."""
    items = (f"{json.dumps(path)}:{encode_diagnostics(found)}" for path, found in by_path.items())
    return "{" + ",".join(items) + "}"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _text_digest(text: str | None) -> str | None:
    return None if text is None else _digest(text.encode("utf-8", "surrogatepass"))


PACKAGE = Path(__file__).parent


@functools.cache
def code_digest(package: Path = PACKAGE) -> str:
    """A hash of the content of postlint's own modules and data: an edited checkout (same
    version number) never reuses results of the code it replaced, while a fresh install of the
    same code (a CI runner restoring its cache) does, whatever its files' times."""
    h = hashlib.blake2b(digest_size=20)
    found = [
        os.path.join(folder, name)
        for folder, _, names in os.walk(package, followlinks=True)  # rules/ may be a link
        for name in names
        if name.endswith((".py", ".txt", ".toml"))
    ]
    for name in sorted(os.path.relpath(path, package) for path in found):
        h.update(Path(name).as_posix().encode() + b"\0")
        h.update((package / name).read_bytes())
    return h.hexdigest()


class _collector_paused:
    """Pause the cyclic garbage collector: building many small acyclic objects at once (a
    parsed post, results read from the cache) would make it rescan them again and again.
    With ``freeze`` what was built stays out of its reach afterwards too: results read from
    the cache live until the run ends."""

    def __init__(self, freeze: bool = False) -> None:
        self.freeze = freeze

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.freeze:
            gc.freeze()
        if self.enabled:
            gc.enable()


def _lint_batch(batch: list[tuple[str, Path, bytes, Mode]]) -> list[tuple[str, FileResult]]:
    assert _WORKER_LINTER is not None
    route = _WORKER_LINTER.route
    return [
        (path, route(path).lint_source(data, path, source, mode))
        for path, source, data, mode in batch
    ]


class _workers:
    """A pool of forked worker processes that end when the parent does, however it ends: each
    worker watches a pipe whose writing end only the parent holds, and exits when it closes
    (a ``kill -9`` of the parent, a CI timeout), instead of waiting for work forever."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __enter__(self) -> concurrent.futures.ProcessPoolExecutor:
        self.read_end, self.write_end = os.pipe()
        context = multiprocessing.get_context("fork")
        self.pool = concurrent.futures.ProcessPoolExecutor(
            self.count,
            mp_context=context,
            initializer=_watch_parent,
            initargs=(self.read_end, self.write_end),
        )
        return self.pool

    def __exit__(self, *exc: object) -> None:
        try:
            self.pool.shutdown(wait=True, cancel_futures=True)
        finally:
            os.close(self.read_end)
            os.close(self.write_end)


def _watch_parent(read_end: int, write_end: int) -> None:
    """In a worker: exit as soon as the parent's end of the pipe closes."""
    os.close(write_end)

    def watch() -> None:
        try:
            while os.read(read_end, 1):
                pass
        except OSError:
            pass
        os._exit(1)

    threading.Thread(target=watch, name="postlint-parent-watch", daemon=True).start()


def _crash(rule: str, where: str) -> str:
    last = traceback.format_exc().strip().splitlines()[-1]
    return f"internal error: rule {rule} failed on {where}: {last}"


def _per_file_ignored(path: str, rule: type[Rule], config: Config, matcher: Matcher) -> bool:
    return any(
        globs.matches(path) and any(matcher(s, rule) for s in selectors)
        for globs, selectors in config.per_file_globs
    )


def display_path(source: Path) -> str:
    """Paths as the user sees them: relative to the working directory when inside it."""
    try:
        return source.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return source.as_posix()
