"""Split the front matter off a post and parse it, keeping where every key is written.

TOML between ``+++`` lines (Zola, Hugo) and YAML between ``---`` lines (Hugo, Jekyll). Blank
lines or a BOM before the opening delimiter are tolerated: the site generators differ on them,
so a check reports them instead of the parser refusing the post.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import tomli

from postlint.model import FrontMatter, FrontMatterError, LineIndex, Span
from postlint.tomlkeys import key_offsets

_DELIMITERS = {"+++": "toml", "---": "yaml"}
_OPENING = re.compile(r"\A\ufeff?((?:[ \t]*\r?\n)*)(\+\+\+|---)[ \t]*\r?\n")


def split_front_matter(text: str, lines: LineIndex) -> tuple[FrontMatter | None, int]:
    """The front matter (None when the post has none) and the offset where the body starts."""
    opening = _OPENING.match(text)
    if not opening:
        return None, 0
    delimiter = opening.group(2)
    fmt = _DELIMITERS[delimiter]
    junk = lines.span(opening.start(1), opening.end(1)) if opening.group(1) else None
    inner_start = opening.end()
    closing = _closing(text, inner_start, ("---", "...") if fmt == "yaml" else ("+++",))
    if closing is None:
        # A `---` line that never closes is a thematic break, not YAML: the post has none.
        if fmt == "yaml" and junk is None and not _looks_like_yaml(text, inner_start):
            return None, 0
        open_span = lines.span(opening.start(2), opening.start(2) + 3)
        unclosed = FrontMatterError(
            f"The front matter opened with `{delimiter}` on line {open_span.line} is never "
            f"closed: add a `{delimiter}` line after the last field.",
            open_span,
        )
        block = lines.span(opening.start(2), len(text))
        return FrontMatter(fmt, {}, block, block, {}, unclosed, junk), len(text)  # type: ignore[arg-type]
    inner_end, body_start = closing
    inner = text[inner_start:inner_end]
    block = lines.span(opening.start(2), body_start)
    inner_span = lines.span(inner_start, inner_end)
    if fmt == "toml":
        data, keys, error = _parse_toml(inner, inner_start, lines)
    else:
        data, keys, error = _parse_yaml(inner, inner_start, lines)
    return FrontMatter(fmt, data, block, inner_span, keys, error, junk), body_start  # type: ignore[arg-type]


def _closing(text: str, start: int, delimiters: tuple[str, ...]) -> tuple[int, int] | None:
    """Offsets of the closing delimiter line's start and of the line after it."""
    pos = start
    length = len(text)
    while pos < length:
        end = text.find("\n", pos)
        line_end = length if end < 0 else end + 1
        if text[pos:line_end].rstrip() in delimiters:
            return pos, line_end
        pos = line_end
    return None


def _looks_like_yaml(text: str, start: int) -> bool:
    first = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
    return bool(re.match(r"[A-Za-z_][\w-]*:(\s|$)", first))


def _parse_toml(
    inner: str, offset: int, lines: LineIndex
) -> tuple[dict[str, Any], dict[str, Span], FrontMatterError | None]:
    keys = {name: lines.span(offset + s, offset + e) for name, (s, e) in key_offsets(inner).items()}
    try:
        data = tomli.loads(inner.replace("\r\n", "\n"))
    except tomli.TOMLDecodeError as exc:
        return (
            {},
            keys,
            FrontMatterError(_toml_message(exc), _error_span(exc, inner, offset, lines)),
        )
    return data, keys, None


def _toml_message(exc: tomli.TOMLDecodeError) -> str:
    message = getattr(exc, "msg", None) or re.sub(r"\s*\(at .*\)$", "", str(exc))
    if message == "Illegal character '\\n'":
        message = "a quoted value is not closed before the end of its line"
    return f"The TOML front matter does not parse: {message[0].lower()}{message[1:]}."


def _error_span(exc: Exception, inner: str, offset: int, lines: LineIndex) -> Span:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    if line is None:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    starts = LineIndex(inner).starts
    line = min(line, len(starts))
    start = offset + starts[line - 1] + (column or 1) - 1
    end = offset + (starts[line] - 1 if line < len(starts) else len(inner))
    start = min(start, end)
    return lines.span(start, max(end, start))


@functools.cache
def _loader() -> Any:
    """Safe YAML that keeps dates as written, so an impossible date is reported, not raised.

    PyYAML is imported on the first YAML front matter: most sites write TOML (``+++``).
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def _parse_yaml(
    inner: str, offset: int, lines: LineIndex
) -> tuple[dict[str, Any], dict[str, Span], FrontMatterError | None]:
    import yaml

    normalized = inner.replace("\r\n", "\n")
    starts = LineIndex(inner).starts
    try:
        node = yaml.compose(normalized, Loader=_loader())
        data = yaml.load(normalized, Loader=_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line, mark.column) if mark else (0, 0)
        start = offset + starts[min(line, len(starts) - 1)] + column
        problem = getattr(exc, "problem", None) or str(exc)
        message = f"The YAML front matter does not parse: {problem}."
        return {}, {}, FrontMatterError(message, lines.span(start, start))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        span = lines.span(offset, offset + len(inner.rstrip()))
        return (
            {},
            {},
            FrontMatterError("The YAML front matter is not a set of `key: value` fields.", span),
        )
    keys: dict[str, Span] = {}
    _yaml_keys(node, "", keys, starts, offset, lines)
    return data, keys, None


def _yaml_keys(
    node: Any,
    prefix: str,
    keys: dict[str, Span],
    starts: list[int],
    offset: int,
    lines: LineIndex,
) -> None:
    import yaml

    def span(mark_start: Any, mark_end: Any) -> Span:
        # PyYAML marks count in the CRLF-free text: one \r less per line before the mark.
        start = offset + starts[mark_start.line] + mark_start.column
        end = offset + starts[mark_end.line] + mark_end.column
        return lines.span(start, end)

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            keys[name] = span(key_node.start_mark, key_node.end_mark)
            _yaml_keys(value_node, name, keys, starts, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}[{index}]"
            keys[name] = span(item.start_mark, item.end_mark)
            _yaml_keys(item, name, keys, starts, offset, lines)
