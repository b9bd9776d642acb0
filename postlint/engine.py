"""The engine: read every post once, run the selected checks, then the site-wide ones.

It knows nothing about particular checks: rules come from the registry, options from the
configuration, and each rule's hooks are called with the model and a context. Work is spread
over processes; results are cached by file content, configuration and postlint version.
"""

from __future__ import annotations

import concurrent.futures
import fnmatch
import functools
import gc
import hashlib
import multiprocessing
import os
import pickle
import stat
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postlint import __version__
from postlint.config import Config, ConfigError
from postlint.model import Diagnostic, Finding, Post, Span
from postlint.parse import SourceProblem, decode, parse_post
from postlint.registry import Catalogue, matches
from postlint.rule import Context, PostSummary, Rule, Site, SiteInfo
from postlint.site import markdown_files, static_files, summarize
from postlint.suppress import Matcher, Suppressor, suppressor_for

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


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files: int
    notes: list[str]
    errors: list[str]
    cached: int = 0
    site: Site | None = None


class Linter:
    """One configured run: the selected rules, their contexts, and the site they judge against."""

    def __init__(self, config: Config, catalogue: Catalogue, site: SiteInfo) -> None:
        self.config = config
        self.catalogue = catalogue
        self.site = site
        self.rules = catalogue.select(config.select, config.extend_select, config.ignore)
        self.instances = [rule() for rule in self.rules]
        self.by_name = {rule.name: rule for rule in self.rules}
        self.contexts = {
            rule.name: Context(config.options(catalogue.family_of(rule)), site, config)
            for rule in self.rules
        }
        self.roster = tuple(self._roster())
        self.severities = catalogue.severities(self.rules, config.severity)
        # the rules that can report in this run, to judge which suppressions are unused
        self.active = tuple(
            type(rule) for rule in self.instances if rule.active(self.contexts[rule.name])
        )

    def _roster(self) -> Iterable[str]:
        authors = self.config.tables.get("authors", {})
        roster = authors.get("roster", ()) if isinstance(authors, dict) else ()
        return roster if isinstance(roster, (list, tuple)) else ()

    # -- one post ---------------------------------------------------------------------------

    def parse(self, text: str, path: str) -> Post:
        return parse_post(text, path, self.site.anchors, self.roster)

    def lint_source(self, data: bytes, path: str, source: Path) -> FileResult:
        """Lint one file's bytes; a file that is not a post becomes a diagnostic on it."""
        text = decode(data)
        if isinstance(text, SourceProblem):
            return FileResult(path, self._problem(path, text))
        # The cyclic garbage collector is paused while one post is parsed and checked: the post
        # is a few hundred thousand small acyclic objects that reference counting frees as soon
        # as lint_post returns, and rescanning them as they pile up would cost more than the
        # checks. Only the (small) result is left for the collector when it resumes.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self.lint_post(self.parse(text, path), source)
        finally:
            if enabled:
                gc.enable()

    def lint_post(self, post: Post, source: Path | None = None) -> FileResult:
        diagnostics: list[Diagnostic] = []
        facts: dict[str, Any] = {}
        errors: list[str] = []
        for rule in self.instances:
            ctx = self.contexts[rule.name]
            try:
                diagnostics.extend(self.diagnose(post.path, rule.check(post, ctx)))
                fact = rule.collect(post, ctx)
                if fact is not None:
                    facts[rule.name] = fact
            except ConfigError:
                raise
            except Exception:
                errors.append(_crash(rule.name, post.path))
        summary = summarize(post, source or Path(post.path), self.site)
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
        notes: list[str] = []
        cache = ResultCache(cache_dir, self.cache_key()) if cache_dir else None
        if cache and cache.damaged:
            notes.append(f"the result cache in {cache_dir} was damaged; rebuilding it")
        results: dict[str, FileResult] = {}
        pending: list[tuple[str, Path, bytes, str]] = []
        reported = {display_path(source) for source in files}
        rest = self._rest_of_site(reported)
        hits = 0
        for source in [*files, *rest]:
            path = display_path(source)
            data = self._read(source, path, notes if path in reported else [], results)
            if data is None:
                continue
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            hit = cache.get(path, digest) if cache else None
            if hit is not None:
                results[path] = hit
                hits += 1
            else:
                pending.append((path, source, data, digest))
        for path, result in self._lint_many(pending, jobs):
            results[path] = result
        if cache:
            digests = {path: digest for path, _, _, digest in pending}
            cache.update({p: (digests[p], results[p]) for p in digests})
            if not cache.save():
                notes.append(f"could not write the cache in {cache_dir}")
        site = self.site_index(results.values())
        diagnostics = [d for result in results.values() for d in result.diagnostics]
        errors = [e for result in results.values() for e in result.errors]
        diagnostics.extend(self.site_phase(site, errors))
        # a site-wide finding about a file that is not a post (an unused image) belongs to a
        # run over the whole content folder
        whole = not rest and self.site.generator != "plain"
        diagnostics = [
            d
            for d in self.filter(diagnostics, results)
            if d.path in reported or (whole and d.path not in results)
        ]
        diagnostics.sort(key=Diagnostic.sort_key)
        checked = sum(1 for path in results if path in reported)
        return RunResult(diagnostics, checked, notes, errors, hits, site)

    def _rest_of_site(self, reported: set[str]) -> list[Path]:
        """The site's other posts, when a selected rule needs the whole site to judge."""
        if self.site.generator == "plain" or not self.site.content_dir.is_dir():
            return []
        if not any(type(rule).has_hook("check_site") for rule in self.instances):
            return []
        others = markdown_files(self.site.content_dir, self.config.exclude)
        return [path for path in others if display_path(path) not in reported]

    def _read(
        self, source: Path, path: str, notes: list[str], results: dict[str, FileResult]
    ) -> bytes | None:
        try:
            info = os.stat(source)
        except FileNotFoundError:
            problem = (
                f"cannot be read: it is a symbolic link to `{os.readlink(source)}`, "
                "which does not exist"
                if source.is_symlink()
                else "cannot be read: it does not exist"
            )
            results[path] = FileResult(path, self._unreadable(path, problem))
            return None
        except OSError as exc:
            results[path] = FileResult(
                path, self._unreadable(path, f"cannot be read: {exc.strerror}")
            )
            return None
        if not stat.S_ISREG(info.st_mode):
            notes.append(f"skipped {path}: not a regular file")
            return None
        try:
            return source.read_bytes()
        except OSError as exc:
            results[path] = FileResult(
                path, self._unreadable(path, f"cannot be read: {exc.strerror}")
            )
            return None

    def _unreadable(self, path: str, reason: str) -> list[Diagnostic]:
        message = f"This file {reason}."
        return self._problem(path, SourceProblem("file-unreadable", message, _START))

    def _lint_many(
        self, pending: list[tuple[str, Path, bytes, str]], jobs: int | None
    ) -> Iterator[tuple[str, FileResult]]:
        workers = min(jobs or os.cpu_count() or 1, len(pending))
        if workers <= 1 or len(pending) < PARALLEL_THRESHOLD or sys.platform == "win32":
            for path, source, data, _ in pending:
                yield path, self.lint_source(data, path, source)
            return
        global _WORKER_LINTER
        _WORKER_LINTER = self
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(32, len(pending) // (workers * 4)))
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            batches = [pending[i : i + chunk] for i in range(0, len(pending), chunk)]
            for batch in pool.map(_lint_batch, [[(p, s, d) for p, s, d, _ in b] for b in batches]):
                yield from batch

    def site_index(self, results: Iterable[FileResult]) -> Site:
        posts = {r.path: r.summary for r in results if r.summary is not None}
        facts: dict[str, dict[str, Any]] = {}
        for result in results:
            for rule, fact in result.facts.items():
                facts.setdefault(rule, {})[result.path] = fact
        return Site(self.site, posts, facts, static_files(self.site))

    def site_phase(self, site: Site, errors: list[str]) -> Iterator[Diagnostic]:
        for rule in self.instances:
            if not type(rule).has_hook("check_site"):
                continue
            try:
                findings = list(rule.check_site(site, self.contexts[rule.name]))
            except ConfigError:
                raise
            except Exception:
                errors.append(_crash(rule.name, "the site"))
                continue
            for path, finding in findings:
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
            for diagnostic in self.diagnose(
                path, result.suppressor.findings(used.get(path, ()), self.catalogue, self.active)
            )
        ]
        return kept + self._silence(about, results)[0]

    def _silence(
        self, diagnostics: list[Diagnostic], results: dict[str, FileResult]
    ) -> tuple[list[Diagnostic], dict[str, set[int]]]:
        by_name = self.by_name
        per_file = self.config.per_file_ignores
        root = self.config.root
        matcher = self.catalogue.matches
        kept = []
        used: dict[str, set[int]] = {}
        for diagnostic in diagnostics:
            rule = by_name[diagnostic.rule]
            result = results.get(diagnostic.path)
            suppressor = result.suppressor if result else None
            silencing = suppressor.silencing(rule, diagnostic.line, matcher) if suppressor else ()
            if silencing:
                used.setdefault(diagnostic.path, set()).update(silencing)
                continue
            if per_file and _per_file_ignored(diagnostic.path, rule, per_file, root, matcher):
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


def _lint_batch(batch: list[tuple[str, Path, bytes]]) -> list[tuple[str, FileResult]]:
    assert _WORKER_LINTER is not None
    return [(path, _WORKER_LINTER.lint_source(data, path, source)) for path, source, data in batch]


def _crash(rule: str, where: str) -> str:
    last = traceback.format_exc().strip().splitlines()[-1]
    return f"internal error: rule {rule} failed on {where}: {last}"


def _per_file_ignored(
    path: str, rule: type[Rule], per_file: Any, root: Path, matcher: Matcher = matches
) -> bool:
    try:
        relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = path
    for pattern, selectors in per_file.items():
        if (fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path, pattern)) and any(
            matcher(s, rule) for s in selectors
        ):
            return True
    return False


def display_path(source: Path) -> str:
    """Paths as the user sees them: relative to the working directory when inside it."""
    try:
        return source.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return source.as_posix()


def collect_files(paths: Sequence[Path], site: SiteInfo, exclude: Sequence[str] = ()) -> list[Path]:
    """The Markdown files to check: explicit files as given, folders walked."""
    files: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or directory")
        if path.is_dir():
            files.extend(markdown_files(path, exclude))
        else:
            files.append(path)
    seen: set[str] = set()
    unique = []
    for file in files:
        key = os.path.abspath(file)
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


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

    def get(self, path: str, digest: str) -> FileResult | None:
        entry = self.entries.get(path)
        return entry[1] if entry and entry[0] == digest else None

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
