"""``postlint stats``: words, readability and sentence length per author and per post.

Text and JSON tables, and ``--html FILE``: one self-contained page (inline SVG, inline CSS, no
scripts, fonts or other resources) with each author's readability over time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from postlint.checks.readability import FAMILY as READABILITY
from postlint.checks.readability import METRIC_NAMES, Score, score_post
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


_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def _chart(posts: list[PostStats], metric: str) -> str:
    """An SVG line chart: each author's section scores by post date."""
    series: dict[str, list[tuple[dt.date, float]]] = {}
    for post in posts:
        if post.date is None:
            continue
        day = dt.date.fromisoformat(post.date)
        for section in post.sections:
            series.setdefault(section["author"], []).append((day, section["readability"]))
    if not series:
        return "<p>No dated posts to chart.</p>"
    width, height, left, right, top, bottom = 900, 360, 56, 170, 16, 40
    days = [d for points in series.values() for d, _ in points]
    values = [v for points in series.values() for _, v in points]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    if high - low < 10:
        low, high = low - 5, high + 5
    span_days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return left + (day - first).days / span_days * (width - left - right)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="{html.escape(METRIC_NAMES[metric])} by author over time">'
    ]
    for i in range(5):
        value = low + (high - low) * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>'
        )
    ticks = sorted({first + dt.timedelta(days=round(span_days * i / 4)) for i in range(5)})
    for day in ticks if last > first else [first]:
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{day.isoformat()}</text>"
        )
    for index, (author, points) in enumerate(sorted(series.items())):
        colour = _COLOURS[index % len(_COLOURS)]
        points.sort()
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>'
        )
        for d, v in points:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                f"<title>{html.escape(author)}, {d.isoformat()}: {v:g}</title></circle>"
            )
        legend_y = top + 14 + index * 18
        parts.append(
            f'<rect x="{width - right + 12}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{colour}"/><text x="{width - right + 28}" y="{legend_y}">'
            f"{html.escape(author)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


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


def render_html(authors: list[AuthorStats], posts: list[PostStats], metric: str) -> str:
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
svg text {{ font-size: 12px; fill: #444; }}
</style>
</head>
<body>
<h1>Readability by author</h1>
<p>{html.escape(name)} of each author section, by the post's date.</p>
{_chart(posts, metric)}
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
    from postlint import api
    from postlint.engine import UsageError, collect_files, display_path
    from postlint.files import Refused, read_file
    from postlint.parse import decode
    from postlint.site import default_paths

    paths = args.paths or default_paths()
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
    linter = api.make_linter(paths[0], args.config)
    options = linter.config.options(READABILITY)
    metric, counter = str(options["metric"]), str(options["syllables"])
    posts = []
    for source in collect_files(paths, linter.site, linter.config.exclude):
        data = read_file(source, linter.site.root)
        if isinstance(data, Refused):
            shown = display_path(source)
            line = f"note: skipped {shown}: " if data.note else f"{shown}: "
            print(f"postlint: {line}{data.message}", file=sys.stderr)
            continue
        text = decode(data)
        if isinstance(text, str):
            stats = post_stats(linter.parse(text, display_path(source)), metric, counter)
            if stats.words:  # section indexes and empty pages have no prose to measure
                posts.append(stats)
    posts.sort(key=lambda p: (p.date or "", p.path))
    authors = author_stats(posts)
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(authors, posts, metric))
    if args.html:
        try:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            args.html.write_text(render_html(authors, posts, metric), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.html}: cannot write the page: {exc.strerror}") from None
    return 0
