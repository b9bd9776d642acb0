"""``postlint init``: a starter configuration learned from the site's own posts.

It reads every post once and writes what the site already does: the authors it recognised (a
roster, with counts), the tags in use (a vocabulary, with near duplicates commented out for
review), and the front matter fields at least 95% of posts have (required fields).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postlint.engine import UsageError, display_path
from postlint.files import GitIgnores, Refused, markdown_files, read_file
from postlint.parse import SourceProblem, decode, parse_post
from postlint.site import detect_site

REQUIRED_SHARE = 0.95
CONFIG_NAME = "postlint.toml"


@dataclass
class Survey:
    """What the posts of a site have in common."""

    posts: int = 0
    sections: int = 0  # _index.md files: section pages, which `check` counts but are no posts
    unreadable: int = 0
    authors: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)  # notes on files that were not read


def _field_paths(data: Mapping[str, Any]) -> Iterable[str]:
    """Top-level keys, and the keys of the tables Zola pages use (taxonomies, extra)."""
    for key, value in data.items():
        yield key
        if key in ("taxonomies", "extra") and isinstance(value, Mapping):
            for inner in value:
                yield f"{key}.{inner}"


def survey(files: Iterable[Path], anchors: str, root: Path | None = None) -> Survey:
    """What the posts have in common, each read once through the guarded reader (a FIFO or a
    link out of the site ``root`` is skipped with a note)."""
    result = Survey()
    for file in files:
        data = read_file(file, root)
        if isinstance(data, Refused):
            if data.note:
                result.skipped.append(f"skipped {display_path(file)}: {data.message}")
            else:
                result.unreadable += 1
            continue
        text = decode(data)
        if isinstance(text, SourceProblem):
            result.unreadable += 1
            continue
        post = parse_post(text, str(file), anchors)
        if file.name == "_index.md":
            result.sections += 1
            continue
        result.posts += 1
        result.authors.update(section.author for section in post.authors)
        result.tags.update(set(post.tags))
        result.fields.update(set(_field_paths(post.meta)))
    return result


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def counted(found: Survey) -> str:
    """What was learned from, in the terms `check` counts files: "47 posts (of 51 Markdown
    files: 4 section pages, _index.md)"."""
    left_out = []
    if found.sections:
        left_out.append(f"{_plural(found.sections, 'section page')}, _index.md")
    if found.unreadable:
        left_out.append(f"{found.unreadable} not readable as text")
    if not left_out:
        return _plural(found.posts, "post")
    files = _plural(found.posts + found.sections + found.unreadable, "Markdown file")
    return f"{_plural(found.posts, 'post')} (of {files}: {'; '.join(left_out)})"


def render(info_root: Path, found: Survey) -> str:
    """The configuration text."""
    from postlint.checks.authors import _near
    from postlint.checks.tags import _preferred, _site_style, near_duplicate_groups

    out = [
        f"# postlint configuration for {info_root.name}, written by `postlint init` from "
        f"{counted(found)}.",
        "# Every rule: `postlint rules`; one rule's documentation: `postlint rule NAME`.",
        "",
        *_style_choices(),
    ]
    required = sorted(name for name, n in found.fields.items() if n >= REQUIRED_SHARE * found.posts)
    required = [f for f in required if not any(r.startswith(f + ".") for r in required)]
    if found.posts and required:
        out += [
            "[frontmatter]",
            f"# fields at least {REQUIRED_SHARE:.0%} of the posts have",
            f"required = [{', '.join(_quote(f) for f in required)}]",
            "",
        ]
    if found.authors:
        out += [
            "[authors]",
            "# the authors recognised in the posts, with their number of sections; names",
            "# commented out look like misspellings of a frequent name: check them",
            "roster = [",
        ]
        frequent = [a for a, n in found.authors.items() if n >= 5]
        for name, n in sorted(found.authors.items(), key=lambda item: (-item[1], item[0])):
            near = [f for f in frequent if n <= 2 and found.authors[f] >= 3 * n and _near(name, f)]
            count = _plural(n, "section")
            if near:
                out.append(f"    # {_quote(name)},  # {count}: review, looks like `{near[0]}`")
            else:
                out.append(f"    {_quote(name)},  # {count}")
        out += ["]", ""]
    if found.tags:
        groups = near_duplicate_groups(found.tags)
        posts_with = {tag: ["x"] * n for tag, n in found.tags.items()}
        style = _site_style(found.tags)
        review: dict[str, str] = {}
        for group in groups:
            best = _preferred(group, posts_with, frozenset(), style)
            for tag in group:
                if tag != best:
                    review[tag] = best
        out += [
            "[tags]",
            "# the tags in use, with their number of posts; near duplicates are commented",
            "# out for review (keep one spelling per topic)",
            "vocabulary = [",
        ]
        for tag, n in sorted(found.tags.items(), key=lambda item: (item[0].casefold(), item[0])):
            count = _plural(n, "post")
            doubt = _misspelled(tag) if n < 3 and tag not in review else None
            if tag in review:
                out.append(
                    f"    # {_quote(tag)},  # {count}: review, near duplicate of `{review[tag]}`"
                )
            elif doubt:
                out.append(
                    f"    # {_quote(tag)},  # {count}: review, `{doubt[0]}` may be misspelled "
                    f"(`{doubt[1]}`?)"
                )
            else:
                out.append(f"    {_quote(tag)},  # {count}")
        out += ["]", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _style_choices() -> list[str]:
    """The rules that are off by default (house style that suits some sites only), offered as
    a commented ``extend-select`` line: a pack by its name, any other rule by its own."""
    from postlint.api import catalogue

    choices: list[tuple[str, str]] = []
    for family in catalogue().families:
        off = [rule for rule in family.rules if not rule.default]
        if off and len(off) == len(family.rules):
            choices.append((family.name, ", ".join(rule.name for rule in family.rules)))
        else:
            choices.extend((rule.name, rule.summary) for rule in off)
    if not choices:
        return []
    width = max(len(name) for name, _ in choices)
    return [
        "# Off by default: house style that suits some sites only. To turn any on, uncomment",
        "# the line below and keep the ones you want:",
        *(f"#   {name:<{width}}  {what}" for name, what in choices),
        f"# extend-select = [{', '.join(_quote(name) for name, _ in choices)}]",
        "",
    ]


def _misspelled(tag: str) -> tuple[str, str] | None:
    """A word of the tag that looks misspelled, with the likeliest correction."""
    from postlint.checks.tags import _WORD, _is_acronym, _known, _suggest

    for word in _WORD.findall(tag):
        if len(word) < 3 or _is_acronym(word) or _known(word.casefold()):
            continue
        suggestions = _suggest(word)
        if suggestions:
            return word, suggestions[0]
    return None


def run_init(args: argparse.Namespace) -> int:
    start = Path(args.path)
    if not start.exists():
        raise UsageError(f"{start}: no such file or directory")
    info = detect_site(start)
    content = info.content_dir if info.content_dir.is_dir() else start
    # a post a .gitignore names is not part of the site as published: nothing to learn from
    found = survey(markdown_files(content, GitIgnores(info.root).ignored), info.anchors, info.root)
    for note in found.skipped:
        print(f"postlint: note: {note}", file=sys.stderr)
    if found.posts == 0:
        raise UsageError(f"{content}: no posts found to learn from")
    text = render(info.root, found)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    target = info.root / CONFIG_NAME
    if target.exists() and not args.force:
        raise UsageError(f"{target} already exists; use --force to overwrite it or --stdout")
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} from {counted(found)}")
    return 0


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    init = commands.add_parser(
        "init",
        parents=[common],
        help="write a starter postlint.toml learned from the site",
        description="Write a starter postlint.toml from what the site's posts already do: "
        "the authors, the tag vocabulary and the front matter fields they use.",
    )
    init.add_argument("path", nargs="?", default=".", metavar="PATH", help="the site (default: .)")
    init.add_argument("--force", action="store_true", help="overwrite an existing postlint.toml")
    init.add_argument("--stdout", action="store_true", help="print the file instead of writing it")
    init.set_defaults(handler=run_init)
