"""``postlint stats``: words, readability and sentence length per author and per post.

Text and JSON tables, and ``--html FILE``: one self-contained page (inline SVG, inline CSS, no
scripts, fonts or other resources) with each author's readability over time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from postlint.checks.readability import DEFAULT_THRESHOLDS, METRIC_NAMES, Score, score_post
from postlint.checks.readability import FAMILY as READABILITY
from postlint.model import Post

UNKNOWN_AUTHOR = "(no author)"


@dataclass
class PostStats:
    path: str
    title: str
    date: str | None
    authors: list[str]
    words: int
    sentences: int
    readability: float | None  # the whole post's score
    mean_sentence_words: float | None
    sections: list[dict[str, Any]] = field(default_factory=list)  # author, words, readability


@dataclass
class AuthorStats:
    author: str
    posts: int
    words: int
    median_readability: float | None
    median_sentence_words: float | None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


def _front_matter_authors(post: Post) -> list[str]:
    meta = post.meta
    extra = meta.get("extra") if isinstance(meta.get("extra"), dict) else {}
    for holder in (meta, extra):
        for key in ("authors", "author"):
            value = holder.get(key)  # type: ignore[union-attr]
            if isinstance(value, str):
                return [value]
            if isinstance(value, list) and value:
                return [str(v) for v in value]
    return []


def post_stats(post: Post, metric: str, counter: str) -> PostStats:
    scores = score_post(post, counter)
    words = sum(s.words for s in scores)
    sentence_words = {id(s): [sentence.words for sentence in s.sentences()] for s in scores}
    sentence_count = sum(s.sentence_count for s in scores)
    syllables = sum(s.syllables for s in scores)
    whole = None
    if scores:
        merged = Score("", 0, 0, 0, words, sentence_count, syllables, ())
        whole = merged.value(metric)
    fallback = _front_matter_authors(post)
    sections = [
        {
            "author": s.author or (", ".join(fallback) if fallback else UNKNOWN_AUTHOR),
            "words": s.words,
            "sentences": s.sentence_count,
            "readability": s.value(metric),
            "sentence_words": sentence_words[id(s)],
        }
        for s in scores
    ]
    authors = [s.author for s in post.authors] or fallback
    return PostStats(
        path=post.path,
        title=post.title,
        date=_date(post.meta.get("date")),
        authors=list(dict.fromkeys(authors)),
        words=words,
        sentences=sentence_count,
        readability=whole,
        mean_sentence_words=round(words / sentence_count, 1) if sentence_count else None,
        sections=sections,
    )


def author_stats(posts: Iterable[PostStats]) -> list[AuthorStats]:
    scores: dict[str, list[float]] = {}
    lengths: dict[str, list[int]] = {}
    words: dict[str, int] = {}
    post_count: dict[str, set[str]] = {}
    for post in posts:
        for section in post.sections:
            author = section["author"]
            post_count.setdefault(author, set()).add(post.path)
            words[author] = words.get(author, 0) + section["words"]
            scores.setdefault(author, []).append(section["readability"])
            lengths.setdefault(author, []).extend(section["sentence_words"])
    return [
        AuthorStats(
            author,
            len(post_count[author]),
            words[author],
            round(statistics.median(scores[author]), 1) if scores[author] else None,
            float(statistics.median(lengths[author])) if lengths[author] else None,
        )
        for author in sorted(post_count, key=lambda a: (-words[a], a))
    ]


# ---------------------------------------------------------------------------------------------
# Output


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: int = 1) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if i < right else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _author_rows(authors: list[AuthorStats]) -> list[tuple[str, ...]]:
    """One row per author, as both the text table and the HTML page show them."""
    return [
        (
            a.author,
            str(a.posts),
            str(a.words),
            _number(a.median_readability),
            _number(a.median_sentence_words),
        )
        for a in authors
    ]


def render_text(authors: list[AuthorStats], posts: list[PostStats], metric: str) -> str:
    name = METRIC_NAMES[metric]
    out = _table(
        ("AUTHOR", "POSTS", "WORDS", f"MEDIAN {name.upper()}", "MEDIAN SENTENCE"),
        _author_rows(authors),
    )
    out += "\n" + _table(
        ("POST", "DATE", "AUTHORS", "WORDS", name.upper(), "MEAN SENTENCE"),
        [
            (
                p.path,
                p.date or "",
                ", ".join(p.authors),
                str(p.words),
                _number(p.readability),
                _number(p.mean_sentence_words),
            )
            for p in posts
        ],
        right=3,
    )
    return out


def render_json(authors: list[AuthorStats], posts: list[PostStats], metric: str) -> str:
    data = {
        "version": 1,
        "metric": metric,
        "authors": [asdict(a) for a in authors],
        "posts": [
            {
                **{k: v for k, v in asdict(p).items() if k != "sections"},
                "sections": [
                    {k: v for k, v in s.items() if k != "sentence_words"} for s in p.sections
                ],
            }
            for p in posts
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ChartOptions:
    """What the chart takes from the readability options: sections shorter than ``min_words``
    get no score worth plotting (a two-word thank-you scores 120), and the threshold line."""

    min_words: int = 100
    threshold: float | None = None  # None: the metric's default


POINT, LINE, THRESHOLD = "#6b8fc7", "#1d3f72", "#c0392b"
PANEL_WIDTH, PANEL_HEIGHT = 300, 150
WINDOW = 5  # sections in the rolling median


def _rolling_median(values: list[float], window: int = WINDOW) -> list[float]:
    """The median of each value's neighbourhood (``window`` values centred on it): a trend that
    a lone easy or hard section does not bend."""
    half = window // 2
    return [statistics.median(values[max(0, i - half) : i + half + 1]) for i in range(len(values))]


def _chart(posts: list[PostStats], metric: str, options: ChartOptions = ChartOptions()) -> str:
    """One small chart per author on shared axes: a point per section (long enough to score)
    by its post's date, the rolling median through them, and the threshold that flags."""
    series: dict[str, list[tuple[dt.date, float, str, int]]] = {}
    short = 0
    for post in posts:
        for section in post.sections:
            series.setdefault(section["author"], [])
            if section["words"] < options.min_words:
                short += 1
            elif post.date is not None:
                day = dt.date.fromisoformat(post.date)
                series[section["author"]].append(
                    (day, section["readability"], post.title, section["words"])
                )
    points = [point for author in series.values() for point in author]
    if not points:
        return (
            f"<p>No dated section of {options.min_words} words or more "
            "(readability's <code>min-words</code>) to chart.</p>"
        )
    threshold = options.threshold
    if threshold is None:
        threshold = DEFAULT_THRESHOLDS[metric]
    first, last = min(p[0] for p in points), max(p[0] for p in points)
    values = [p[1] for p in points] + [threshold]
    low, high = 10 * math.floor(min(values) / 10), 10 * math.ceil(max(values) / 10)
    if high - low < 20:
        high = low + 20
    axes = _Axes(first, last, low, high)
    panels = [  # the authors with most sections first
        _panel(author, sorted(series[author]), axes, threshold, metric)
        for author in sorted(series, key=lambda a: (-len(series[a]), a))
    ]
    flagged = "below" if metric == "flesch-reading-ease" else "above"
    note = (
        f"Each point is an author section of {options.min_words} words or more "
        "(readability's <code>min-words</code>), placed by its post's date; the dark line is the "
        f"median of {WINDOW} neighbouring sections. Sections {flagged} the dashed line "
        f"({threshold:g}) are flagged."
    )
    if short:
        note += f" {short} shorter section{'s are' if short != 1 else ' is'} not charted."
    return f'<p class="note">{note}</p>\n<div class="panels">\n' + "\n".join(panels) + "\n</div>"


@dataclass(frozen=True)
class _Axes:
    """Shared by every panel, so that positions compare across authors."""

    first: dt.date
    last: dt.date
    low: float
    high: float
    left: int = 36
    right: int = 10
    top: int = 8
    bottom: int = 22

    def x(self, day: dt.date) -> float:
        span = max((self.last - self.first).days, 1)
        return self.left + (day - self.first).days / span * (PANEL_WIDTH - self.left - self.right)

    def y(self, value: float) -> float:
        inner = PANEL_HEIGHT - self.top - self.bottom
        return self.top + (self.high - value) / (self.high - self.low) * inner


def _panel(
    author: str,
    points: list[tuple[dt.date, float, str, int]],
    axes: _Axes,
    threshold: float,
    metric: str,
) -> str:
    name = html.escape(author)
    count = f"{len(points)} section{'s' if len(points) != 1 else ''}"
    parts = [
        f"<figure><figcaption><strong>{name}</strong> · {count}</figcaption>",
        f'<svg viewBox="0 0 {PANEL_WIDTH} {PANEL_HEIGHT}" width="{PANEL_WIDTH}" '
        f'height="{PANEL_HEIGHT}" role="img" aria-label="{html.escape(METRIC_NAMES[metric])} '
        f"of {name}'s sections over time\">",
    ]
    right = PANEL_WIDTH - axes.right
    step = 10 if axes.high - axes.low <= 60 else 20
    tick = axes.low
    while tick <= axes.high:
        y = axes.y(tick)
        parts.append(
            f'<line x1="{axes.left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{axes.left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
        tick += step
    limit = axes.y(threshold)
    parts.append(
        f'<line x1="{axes.left}" x2="{right}" y1="{limit:.1f}" y2="{limit:.1f}" class="threshold"/>'
    )
    bottom = PANEL_HEIGHT - 6
    parts.append(
        f'<text x="{axes.left}" y="{bottom}">{axes.first.isoformat()}</text>'
        f'<text x="{right}" y="{bottom}" text-anchor="end">{axes.last.isoformat()}</text>'
    )
    if not points:
        parts.append(
            f'<text x="{PANEL_WIDTH / 2:.0f}" y="{PANEL_HEIGHT / 2:.0f}" text-anchor="middle">'
            "no section long enough</text>"
        )
    for day, value, title, words in points:
        parts.append(
            f'<circle cx="{axes.x(day):.1f}" cy="{axes.y(value):.1f}" r="3" class="point">'
            f"<title>{html.escape(title)}, {day.isoformat()}: {value:g} ({words} words)</title>"
            "</circle>"
        )
    if len(points) >= 3:
        trend = _rolling_median([value for _, value, _, _ in points])
        line = " ".join(
            f"{axes.x(day):.1f},{axes.y(value):.1f}"
            for (day, _, _, _), value in zip(points, trend, strict=True)
        )
        parts.append(f'<polyline points="{line}" class="trend"/>')
    parts.append("</svg></figure>")
    return "".join(parts)


_NUMERIC = re.compile(r"^-?\d+(?:\.\d+)?$")


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<td class="n">{html.escape(cell)}</td>'
            if _NUMERIC.match(cell)
            else f"<td>{html.escape(cell)}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


AUTHOR_HEADER = ("Author", "Posts", "Words", "Median sentence (words)")
POST_HEADER = ("Post", "Title", "Date", "Authors", "Words", "Mean sentence (words)")


def render_html(
    authors: list[AuthorStats],
    posts: list[PostStats],
    metric: str,
    options: ChartOptions = ChartOptions(),
) -> str:
    name = METRIC_NAMES[metric]
    author_rows = _author_rows(authors)
    post_rows = [
        (
            p.path,
            p.title,
            p.date or "",
            ", ".join(p.authors),
            str(p.words),
            _number(p.readability),
            _number(p.mean_sentence_words),
        )
        for p in posts
    ]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>postlint stats</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
th, td {{ padding: 0.25em 0.75em; border-bottom: 1px solid #ddd; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.panels {{ display: flex; flex-wrap: wrap; gap: 1em 1.5em; margin-bottom: 2em; }}
figure {{ margin: 0; }}
figcaption {{ font-size: 14px; margin-bottom: 0.2em; }}
p.note {{ max-width: 60em; color: #555; }}
svg text {{ font-size: 11px; fill: #555; }}
svg .grid {{ stroke: #e4e4e4; }}
svg .threshold {{ stroke: {THRESHOLD}; stroke-dasharray: 4 3; }}
svg .point {{ fill: {POINT}; fill-opacity: 0.7; }}
svg .trend {{ fill: none; stroke: {LINE}; stroke-width: 2; }}
</style>
</head>
<body>
<h1>Readability by author</h1>
<p>{html.escape(name)} of each author's sections over time.</p>
{_chart(posts, metric, options)}
<h2>Authors</h2>
{_html_table((*AUTHOR_HEADER[:3], f"Median {name}", AUTHOR_HEADER[3]), author_rows)}
<h2>Posts</h2>
{_html_table((*POST_HEADER[:5], name, POST_HEADER[5]), post_rows)}
</body>
</html>
"""


# ---------------------------------------------------------------------------------------------
# The command


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    stats = commands.add_parser(
        "stats",
        parents=[common],
        help="words, readability and sentence length per author and per post",
        description="Print words, readability and sentence length per author and per post.",
    )
    stats.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    stats.add_argument(
        "--config", type=Path, metavar="FILE", help="configuration file (default: found upward)"
    )
    stats.add_argument("--format", default="text", choices=("text", "json"))
    stats.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="also write a self-contained HTML page with a chart",
    )
    stats.set_defaults(handler=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    from postlint.engine import UsageError, display_path
    from postlint.files import Refused, read_file
    from postlint.parse import decode
    from postlint.project import Project, skipped_note
    from postlint.site import default_paths

    paths = args.paths or default_paths()
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
    project = Project(paths[0], args.config)
    # one scale for the whole table: the site's configuration's (each post is still read with
    # its own configuration's roster, and left out when its configuration excludes it)
    options = project.primary.config.options(READABILITY)
    metric, counter = str(options["metric"]), str(options["syllables"])
    posts = []
    files, skipped = project.files(paths)
    if skipped:
        print(f"postlint: note: {skipped_note(skipped, project)}", file=sys.stderr)
    for source in files:
        data = read_file(source, project.site.root)
        if isinstance(data, Refused):
            shown = display_path(source)
            line = f"note: skipped {shown}: " if data.note else f"{shown}: "
            print(f"postlint: {line}{data.message}", file=sys.stderr)
            continue
        text = decode(data)
        if isinstance(text, str):
            post = project.linter(source).parse(text, display_path(source))
            stats = post_stats(post, metric, counter)
            if stats.words:  # section indexes and empty pages have no prose to measure
                posts.append(stats)
    posts.sort(key=lambda p: (p.date or "", p.path))
    authors = author_stats(posts)
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(authors, posts, metric))
    if args.html:
        try:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            chart = ChartOptions(int(options["min-words"]), options["threshold"])
            args.html.write_text(render_html(authors, posts, metric, chart), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.html}: cannot write the page: {exc.strerror}") from None
    return 0
