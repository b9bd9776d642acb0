"""What a run hands its rules besides the model and the site index: the notes channel and the
external link checker.

Nothing but the command line writes to the terminal: long work reports progress, and anything
worth telling the person at the terminal goes through ``Notes``, which the command line shows
as it arrives and the API collects. The link checker is the run's, not a rule's: the rules ask
it, and every distinct URL is checked once per run however many rules ask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

NoteKind = Literal["note", "detail", "progress", "done"]


@dataclass(frozen=True)
class Note:
    """``note``: something the person should know (a skipped file); ``detail``: output asked for
    (``--verbose``); ``progress``: a status line redrawn in place; ``done``: clear it."""

    kind: NoteKind
    text: str = ""


@dataclass
class Notes:
    """The notes channel of a run: kept in order, and shown live when someone listens."""

    show: Callable[[Note], None] | None = None
    kept: list[Note] = field(default_factory=list)

    def _add(self, note: Note) -> None:
        if note.kind in ("note", "detail"):
            self.kept.append(note)
        if self.show is not None:
            self.show(note)

    def note(self, text: str) -> None:
        self._add(Note("note", text))

    def detail(self, text: str) -> None:
        self._add(Note("detail", text))

    def progress(self, text: str) -> None:
        self._add(Note("progress", text))

    def done(self) -> None:
        self._add(Note("done"))

    def texts(self, kind: NoteKind = "note") -> list[str]:
        return [note.text for note in self.kept if note.kind == kind]


class LinkChecker:
    """Checks external URLs over HTTP (``postlint.linkcheck``), once per run for each set of
    URLs and options, reporting progress and ``--verbose`` details through the notes."""

    def __init__(self, notes: Notes, root: Path) -> None:
        self.notes = notes
        self.root = root  # where a relative ``cache-dir`` and the default cache live
        self._last: tuple[Any, dict[str, Any]] | None = None

    def check(self, urls: Iterable[str], options: Mapping[str, Any]) -> dict[str, Any]:
        """Each distinct URL's result (``status``, ``reason``, ``final_url`` ...)."""
        distinct = tuple(dict.fromkeys(urls))
        key = (distinct, repr(sorted(options.items(), key=lambda item: item[0])))
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        results: dict[str, Any] = {}
        if distinct:
            from postlint.linkcheck import check_urls_with_stats

            def progress(checked: int, total: int, failures: int) -> None:
                broken = f", {failures} broken" if failures else ""
                self.notes.progress(f"checking links {checked}/{total}{broken}")

            try:
                report = check_urls_with_stats(
                    distinct, link_check_options(options, self.root), progress
                )
            finally:
                self.notes.done()
            results = dict(report.results)
            for note in getattr(report, "notes", ()):
                self.notes.note(str(note))
            if options.get("verbose"):
                for line in host_summary(report):
                    self.notes.detail(line)
        self._last = (key, results)
        return results


@dataclass
class Services:
    """The services of one run, each made on first use."""

    notes: Notes = field(default_factory=Notes)
    root: Path = field(default_factory=Path.cwd)
    _links: LinkChecker | None = None

    @property
    def links(self) -> LinkChecker:
        if self._links is None:
            self._links = LinkChecker(self.notes, self.root)
        return self._links

    @property
    def network(self) -> bool:
        """Whether a rule asked the link checker: its verdicts depend on more than the files."""
        return self._links is not None


def host_summary(report: Any, most: int = 10) -> list[str]:
    """``--verbose``: how many URLs and requests went to each host, slowest hosts first."""
    hosts = sorted(report.hosts.items(), key=lambda item: -item[1].total_time)
    lines = [
        f"checked {len(report.results)} links on {len(report.hosts)} hosts with "
        f"{report.requests} requests in {report.elapsed:.1f} s"
    ]
    for host, stats in hosts[:most]:
        slowest = (
            f"; slowest {stats.slowest_time:.2f} s: {stats.slowest_url}"
            if stats.slowest_url
            else ""
        )
        lines.append(
            f"  {host}: {stats.urls} links, {stats.requests} requests, "
            f"{stats.total_time:.2f} s in all{slowest}"
        )
    return lines


def _statuses(value: Any) -> tuple[int, ...]:
    """``accept`` as numbers (the configuration checked them when it was loaded)."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(int(str(item).strip()) for item in items)


def _headers(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        return {}
    return {
        str(host): {str(k): str(v) for k, v in fields.items()}
        for host, fields in value.items()
        if isinstance(fields, dict)
    }


def link_check_options(options: Mapping[str, Any], root: Path) -> Any:
    """The checker's options from the ``[links]`` table (``root``: where the cache lives)."""
    from postlint.linkcheck import DEFAULT_UNVERIFIABLE_HOSTS, LinkCheckOptions

    cache_dir = str(options.get("cache-dir", "") or "")
    cache = None
    if cache_dir != "none":
        cache = (root / cache_dir) if cache_dir else root / ".postlint-cache"
    extra: dict[str, Any] = {}
    if options.get("user-agent"):
        extra["user_agent"] = str(options["user-agent"])
    return LinkCheckOptions(
        concurrency=int(options["concurrency"]),
        per_host_concurrency=int(options["per-host-concurrency"]),
        timeout=float(options["timeout"]),
        deadline=float(options["deadline"]),
        retries=int(options["retries"]),
        max_retry_wait=float(options["max-retry-wait"]),
        accept=_statuses(options.get("accept", ())),
        headers=_headers(options.get("headers", {})),
        exclude=tuple(options.get("exclude", ())),
        check_private_addresses=bool(options["check-private-addresses"]),
        unverifiable_hosts=(*DEFAULT_UNVERIFIABLE_HOSTS, *options.get("unverifiable-hosts", ())),
        cache_dir=cache,
        cache_ttl=float(options["cache-ttl"]),
        **extra,
    )
