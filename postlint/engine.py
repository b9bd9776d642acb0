"""The engine: read every post once, run the selected checks, then the site-wide ones.

It knows nothing about particular checks: rules come from the registry, options from the
configuration, and each rule's hooks are called with the model and a context. It is the only
code that opens content files, all through one guarded reader (``postlint.files``), and it
builds the site index from the summaries its workers produce. Work is spread over processes;
results are cached by file content, configuration and postlint version.

A run may span several configurations (a folder with its own ``postlint.toml``): a ``Layout``
(``postlint.project``) says which linter judges each file and which files are left out. Each
file is linted by its own linter, the site index is built once from them all, each linter's
site-wide rules judge that one index, and each finding is kept by the linter of its file.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gc
import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from postlint.config import Config, ConfigError
from postlint.files import Refused, discover, plain_files, read_file
from postlint.index import PostSummary, Site, SiteFiles, SiteInfo
from postlint.model import Diagnostic, Finding, Post, Span
from postlint.parse import SourceProblem, decode, parse_post
from postlint.registry import Catalogue, matches
from postlint.rule import Context, Rule
from postlint.services import Notes, Services
from postlint.site import summarize
from postlint.suppress import Matcher, Suppressor, suppressor_for
from postlint.version import __version__

PARALLEL_THRESHOLD = 16  # fewer files than this are linted in-process: forking costs more


class UsageError(Exception):
    """A request postlint cannot carry out (a missing path, an unknown rule)."""


@dataclass
class FileResult:
    """Everything the per-post phase learned about one file; cached as a whole."""

    path: str
    diagnostics: list[Diagnostic]
    summary: PostSummary | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    suppressor: Suppressor | None = None
    errors: list[str] = field(default_factory=list)
    checked: bool = True  # False: only summarized for the site index (an excluded file)


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files: int
    notes: list[str]
    errors: list[str]
    cached: int = 0
    site: Site | None = None


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
        self.by_name = {rule.name: rule for rule in self.rules}
        self.contexts = {
            rule.name: Context(
                config.options(catalogue.family_of(rule)), site, config, self.services
            )
            for rule in self.rules
        }
        self._loaded: dict[str, PostSummary | None] = {}
        self.roster = tuple(self._roster())
        self.severities = catalogue.severities(self.rules, config.severity)
        # the rules that can report in this run, to judge which suppressions are unused
        self.active = tuple(
            type(rule) for rule in self.instances if rule.active(self.contexts[rule.name])
        )

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
        return any(type(rule).has_hook("check_site") for rule in self.instances)

    def _roster(self) -> Iterable[str]:
        authors = self.config.tables.get("authors", {})
        roster = authors.get("roster", ()) if isinstance(authors, dict) else ()
        return roster if isinstance(roster, (list, tuple)) else ()

    # -- one post ---------------------------------------------------------------------------

    def parse(self, text: str, path: str) -> Post:
        return parse_post(text, path, self.site.anchors, self.roster)

    def lint_source(self, data: bytes, path: str, source: Path, check: bool = True) -> FileResult:
        """Lint one file's bytes; a file that is not a post becomes a diagnostic on it.

        With ``check`` false the post is only summarized for the site index (a file the
        configuration excludes from linting is still a page that links may point at)."""
        text = decode(data)
        if isinstance(text, SourceProblem):
            return FileResult(path, self._problem(path, text), checked=check)
        return self.lint_text_source(text, path, source, check)

    def lint_text_source(
        self, text: str, path: str, source: Path | None, check: bool = True
    ) -> FileResult:
        # The cyclic garbage collector is paused while one post is parsed and checked: the post
        # is a few hundred thousand small acyclic objects that reference counting frees as soon
        # as lint_post returns, and rescanning them as they pile up would cost more than the
        # checks. Only the (small) result is left for the collector when it resumes.
        enabled = gc.isenabled()
        gc.disable()
        try:
            post = self.parse(text, path)
            if not check:
                summary = summarize(post, source or Path(path), self.site)
                return FileResult(path, [], summary, checked=False)
            return self.lint_post(post, source)
        finally:
            if enabled:
                gc.enable()

    def lint_post(self, post: Post, source: Path | None = None) -> FileResult:
        diagnostics: list[Diagnostic] = []
        facts: dict[str, Any] = {}
        errors: list[str] = []
        summary = summarize(post, source or Path(post.path), self.site)
        for rule in self.instances:
            ctx = self.contexts[rule.name]
            if not rule.judges(summary.language, ctx):  # a page in a language it does not read
                continue
            try:
                diagnostics.extend(self.diagnose(post.path, rule.check(post, ctx)))
                fact = rule.collect(post, ctx)
                if fact is not None:
                    facts[rule.name] = fact
            except ConfigError:
                raise
            except Exception:
                errors.append(_crash(rule.name, post.path))
        return FileResult(post.path, diagnostics, summary, facts, suppressor_for(post), errors)

    def diagnose(self, path: str, findings: Iterable[Finding]) -> Iterator[Diagnostic]:
        for finding in findings:
            rule = self.by_name.get(finding.rule)
            if rule is None:  # a rule reporting for another that is not selected
                continue
            span = finding.span
            fix = finding.fix
            yield Diagnostic(
                path=path,
                line=span.line,
                column=span.column,
                end_line=span.end_line,
                end_column=span.end_column,
                code=rule.code,
                rule=rule.name,
                severity=self.severities[rule.name],
                message=finding.message,
                fix=fix.edits if fix else None,
                url=rule.url(self.config.docs_url),
                fix_safe=fix.safe if fix else None,
                start=span.start,
                end=span.end,
            )

    def _problem(self, path: str, problem: SourceProblem) -> list[Diagnostic]:
        return list(self.diagnose(path, [Finding(problem.rule, problem.span, problem.message)]))

    # -- the whole run ----------------------------------------------------------------------

    def run(
        self, files: Sequence[Path], jobs: int | None = None, cache_dir: Path | None = None
    ) -> RunResult:
        """Lint ``files``. When a selected rule judges the whole site, the site's other posts
        are read too (from the cache when unchanged), but only ``files`` are reported on."""
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
        """Read every file once (through the guarded reader), lint what is new, take the rest
        from the cache, build the site index from the summaries, then run the site phase."""
        start = len(self.notes.kept)
        reported = {path for _, path, _ in given}
        candidates, files = self._discover(reported)
        plan = [_Item(source, path, True, text) for source, path, text in given]
        named = {os.path.abspath(source) for source, _, _ in given if source is not None}
        plan += [
            _Item(source, display_path(source), not self.excluded(source))
            for source in candidates
            if os.path.abspath(source) not in named
        ]
        results, hits = self._results(plan, reported, jobs, cache_dir)
        linted = {i.path: results[i.path] for i in plan if i.check and i.path in results}
        indexed = {
            i.path: r.summary
            for i in plan
            if not i.check and (r := results.get(i.path)) is not None and r.summary is not None
        }
        summarized = {
            os.path.abspath(i.source)
            for i in plan
            if i.check and i.source is not None and i.path in linted and linted[i.path].summary
        }
        complete = bool(candidates) and all(os.path.abspath(c) in summarized for c in candidates)
        site = self.site_index(linted.values(), files, indexed, complete)
        diagnostics = [d for result in linted.values() for d in result.diagnostics]
        errors = [e for result in linted.values() for e in result.errors]
        # a site-wide finding about a file that is not a post (an unused image) belongs to a
        # run over the whole content folder
        rest = any(i.check for i in plan[len(given) :])
        whole = not rest and self.site.generator != "plain"
        site.reported = None if whole else frozenset(reported)
        diagnostics.extend(self.site_phases(site, errors, linted))
        diagnostics = [
            d
            for d in self.filter(diagnostics, linted)
            if d.path in reported or (whole and d.path not in results)
        ]
        diagnostics.sort(key=Diagnostic.sort_key)
        checked = sum(1 for path in linted if path in reported)
        notes = [n.text for n in self.notes.kept[start:] if n.kind == "note"]
        return RunResult(diagnostics, checked, notes, errors, hits, site)

    def _results(
        self, plan: list[_Item], reported: set[str], jobs: int | None, cache_dir: Path | None
    ) -> tuple[dict[str, FileResult], int]:
        """Each planned file's result: from the cache when its bytes are unchanged, else linted
        (in parallel); the cache is updated."""
        cache = ResultCache(cache_dir, self.cache_key()) if cache_dir else None
        if cache and cache.damaged:
            self.notes.note(f"the result cache in {cache_dir} was damaged; rebuilding it")
        results: dict[str, FileResult] = {}
        pending: list[tuple[str, Path, bytes, str, bool]] = []
        hits = 0
        for item in plan:
            if item.text is not None:
                linter = self.route(item.path)
                results[item.path] = linter.lint_text_source(item.text, item.path, item.source)
                continue
            assert item.source is not None
            data = self._read(item.source, item.path, item.path in reported, results)
            if data is None:
                continue
            digest = hashlib.blake2b(data, digest_size=16).hexdigest() + self._judge(item.path)
            hit = cache.get(item.path, digest, item.check) if cache else None
            if hit is not None:
                results[item.path] = hit
                hits += 1
            else:
                pending.append((item.path, item.source, data, digest, item.check))
        for path, result in self._lint_many(pending, jobs):
            results[path] = result
        if cache:
            cache.update({path: (digest, results[path]) for path, _, _, digest, _ in pending})
            if not cache.save():
                self.notes.note(f"could not write the cache in {cache_dir}")
        return results, hits

    def _judge(self, path: str) -> str:
        """Who lints ``path``, for the cache: nothing when this linter does, else that linter's
        own key, so a file under another configuration is linted again when it changes."""
        linter = self.route(path)
        if linter is self:
            return ""
        if linter._key is None:
            linter._key = linter.cache_key()
        return linter._key

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
            summary = None
            if data is not None:
                summary = self.route(path).lint_source(data, path, source, check=False).summary
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

    def _lint_many(
        self, pending: list[tuple[str, Path, bytes, str, bool]], jobs: int | None
    ) -> Iterator[tuple[str, FileResult]]:
        workers = min(jobs or os.cpu_count() or 1, len(pending))
        if workers <= 1 or len(pending) < PARALLEL_THRESHOLD or sys.platform == "win32":
            for path, source, data, _, check in pending:
                yield path, self.route(path).lint_source(data, path, source, check)
            return
        global _WORKER_LINTER
        _WORKER_LINTER = self
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(32, len(pending) // (workers * 4)))
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            batches = [
                [(p, s, d, c) for p, s, d, _, c in pending[i : i + chunk]]
                for i in range(0, len(pending), chunk)
            ]
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
        for rule in self.instances:
            if not type(rule).has_hook("check_site"):
                continue
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
            kept.append(diagnostic)
        return kept, used

    def cache_key(self) -> str:
        parts = [
            __version__,
            _code_digest(),
            self.config.fingerprint(),
            repr(self.site),
            *(r.code + r.digest for r in self.rules),
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class _Item:
    """A file of the run: where it is, how it is reported, whether its checks run (False: only
    summarized for the site index), and its text when given as text."""

    source: Path | None
    path: str
    check: bool
    text: str | None = None


_START = Span(0, 0, 1, 1, 1, 1)  # where findings about a whole unreadable file point
_WORKER_LINTER: Linter | None = None


@functools.cache
def _code_digest() -> str:
    """Size and modification time of postlint's own modules and data: an edited checkout (same
    version number) must not reuse results computed by the code it replaced."""
    package = Path(__file__).parent
    stamps = sorted(
        f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}"
        for path in package.rglob("*")
        if path.suffix in (".py", ".txt", ".toml") and (info := path.stat())
    )
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()


def _lint_batch(batch: list[tuple[str, Path, bytes, bool]]) -> list[tuple[str, FileResult]]:
    assert _WORKER_LINTER is not None
    route = _WORKER_LINTER.route
    return [
        (path, route(path).lint_source(data, path, source, check))
        for path, source, data, check in batch
    ]


def _crash(rule: str, where: str) -> str:
    last = traceback.format_exc().strip().splitlines()[-1]
    return f"internal error: rule {rule} failed on {where}: {last}"


def _per_file_ignored(
    path: str, rule: type[Rule], config: Config, matcher: Matcher = matches
) -> bool:
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


class ResultCache:
    """Per-file results keyed by path and content, in one pickle per configuration."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.file = folder / f"results-{key}.pickle"
        self.entries: dict[str, tuple[str, FileResult]] = {}
        self.dirty = False
        self.damaged = False
        try:
            with open(self.file, "rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except FileNotFoundError:
            pass
        except Exception:  # a damaged cache is rebuilt, never trusted
            self.entries = {}
            self.dirty = True
            self.damaged = True

    def get(self, path: str, digest: str, checked: bool = True) -> FileResult | None:
        """The result kept for this content; one that was only summarized does not answer
        for a file that is now linted."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != digest or (checked and not entry[1].checked):
            return None
        return entry[1]

    def update(self, entries: dict[str, tuple[str, FileResult]]) -> None:
        if entries:
            self.entries.update(entries)
            self.dirty = True

    def save(self) -> bool:
        if not self.dirty:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".results-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.file)
        except OSError:
            return False
        return True
