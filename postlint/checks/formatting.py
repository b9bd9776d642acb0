"""Formatting: Markdown that renders differently from what the writer meant.

Every rule here reads the parsed post: literal prose (``post.runs``, which never hold code,
link destinations, raw HTML, comments or front matter), the inline tree of each paragraph and
the block tree. What mistune leaves as literal text is what the reader sees as a stray marker,
so unmatched ``*``, backticks, brackets and quotes are found in the runs, not in the source.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from postlint import quotes
from postlint.checks.text import repairs
from postlint.model import Block, Finding, Fix, Heading, Inline, Post, Span, TextRun
from postlint.rule import Context, Family, Option, Rule

# Bare URLs are left in the runs as prose by the parser; their punctuation is not the writer's.
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"“”]+", re.I)
_DELIMS = re.compile(r"\*+|_+")
_BACKTICKS = re.compile(r"`+")
_BRACKETS = re.compile(r"[\[\]()]")
_SMILEY = re.compile(r"[:;=]['-]?[()\[\]]|[()\[\]]['-]?[:;=]")
_ENUMERATOR = re.compile(r"(?:^|(?<=[\s(\"“]))(?:[A-Za-z]|\d{1,3}|[ivxlc]{1,5}|[IVXLC]{1,5})\)")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|", re.M)
_INTERVAL = re.compile(r"[\[(]\s*[-+−]?(?:\d[\d.]*|∞)\s*,\s*[-+−]?(?:\d[\d.]*|∞)\s*[\])]")
_ITEM_MARKER = re.compile(r"[ \t]*(\d{1,9})([.)])")
_LETTER_ITEM = re.compile(r"(?:[A-Za-z]|[ivxIVX]{1,4})[.)][ \t]")
_NONSPACE = re.compile(r"[^\s*]*")
_IDENTIFIER = re.compile(r"[_/$\\=<>@#~|{}]|\w\.\w|^\.\w|[a-z][A-Z]")
_GNU_QUOTE = re.compile(r"`[^`'\s][^`'\n]{0,40}'")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _is_space(c: str) -> bool:
    return not c or c.isspace()


def _is_punct(c: str) -> bool:
    return bool(c) and unicodedata.category(c)[0] in "PS"


def _is_word(c: str) -> bool:
    return bool(c) and c.isalnum()


# ---------------------------------------------------------------------------------------------
# What every rule reads: the leaf blocks (paragraphs and headings) and their runs, once per post


@dataclass
class _Leaf:
    block: Block
    runs: list[TextRun] = field(default_factory=list)
    text: str = ""  # the runs joined, to test cheaply whether a character occurs at all
    emphasis: list[Inline] = field(default_factory=list)  # emphasis and strong nodes, nested too
    in_list: bool = False


@dataclass
class _Analysis:
    leaves: dict[int, _Leaf]
    order: list[int]  # leaf numbers in document order


_CACHE: list[tuple[Post, _Analysis]] = []


def _analysis(post: Post) -> _Analysis:
    """The post's leaves and runs, computed once per post and shared by the family's rules."""
    if _CACHE and _CACHE[0][0] is post:
        return _CACHE[0][1]
    leaves: dict[int, _Leaf] = {}
    stack = [(block, False) for block in reversed(post.blocks)]
    while stack:
        block, in_list = stack.pop()
        leaf = block.attrs.get("leaf")
        if leaf is not None:
            leaves[leaf] = _Leaf(block, in_list=in_list)
        elif block.children:
            inner = in_list or block.kind == "list"
            stack.extend((child, inner) for child in reversed(block.children))
    for run in post.runs:
        found = leaves.get(run.block)
        if found is not None:
            found.runs.append(run)
    for leaf in leaves.values():
        leaf.text = "".join(run.text for run in leaf.runs)
        if (
            "*" in post.text[leaf.block.span.start : leaf.block.span.end]
            or "_" in post.text[leaf.block.span.start : leaf.block.span.end]
        ):
            leaf.emphasis = [
                n for n in _walk(leaf.block.inlines) if n.kind in ("emphasis", "strong")
            ]
    analysis = _Analysis(leaves, sorted(leaves))
    _CACHE[:] = [(post, analysis)]
    return analysis


def _chars(
    post: Post, leaf: _Leaf, pattern: re.Pattern[str], hint: str
) -> Iterator[tuple[int, str]]:
    """File offset and text of each match of ``pattern`` in the leaf's prose, URLs excluded."""
    for run in leaf.runs:
        text = run.text
        if not any(c in text for c in hint):
            continue
        urls = [_url_range(m) for m in _URL.finditer(text)] if "/" in text or "www" in text else []
        for m in pattern.finditer(text):
            if urls and any(a <= m.start() < b for a, b in urls):
                continue
            yield run.span.start + m.start(), m.group()


def _url_range(m: re.Match[str]) -> tuple[int, int]:
    """Where a bare URL ends, as GitHub's autolinks do: not at trailing punctuation, nor at a
    closing parenthesis that it did not open (``(see https://example.com/)``)."""
    url = m.group()
    end = len(url)
    while end:
        c = url[end - 1]
        unopened = c == ")" and url.count("(", 0, end) < url.count(")", 0, end)
        if c in ".,:;!?'\"*_~" or unopened:
            end -= 1
        else:
            break
    return m.start(), m.start() + end


def _char_at(post: Post, offset: int) -> str:
    """The file character at ``offset``; outside the body (or before it) counts as a space."""
    if offset < post.body.start or offset >= len(post.text):
        return " "
    return post.text[offset]


def _walk(inlines: Iterable[Inline]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        if node.children:
            yield from _walk(node.children)


def _plain(node: Inline) -> str:
    parts: list[str] = []
    for child in _walk(node.children):
        if child.kind in ("text", "codespan"):
            parts.append(child.text)
        elif child.kind in ("softbreak", "linebreak"):
            parts.append(" ")
    return "".join(parts)


def _lines(span: Span) -> str:
    if span.end_line > span.line:
        return f"lines {span.line}–{span.end_line}"
    return f"line {span.line}"


# ---------------------------------------------------------------------------------------------
# unbalanced-emphasis


def _escaped(post: Post, leaf: _Leaf, chars: str) -> Iterator[tuple[int, str]]:
    """Offsets of backslash-escaped ``chars`` in the leaf's text (the runs leave them out)."""
    text = post.text
    for node in _walk(leaf.block.inlines):
        if node.kind == "text":
            start, end = node.span.start, node.span.end
            pos = text.find("\\", start, end)
            while pos >= 0:
                if pos + 1 < end and text[pos + 1] in chars:
                    yield pos + 1, text[pos + 1]
                pos = text.find("\\", pos + 2, end)


def _identifier(token: str) -> bool:
    """A file name, code name or pattern written as prose (``_index.md``, ``TCLTK_``)."""
    return bool(_IDENTIFIER.search(token))


def _token_after(post: Post, offset: int) -> str:
    m = _NONSPACE.match(post.text, offset)
    return m.group() if m else ""


def _token_before(post: Post, offset: int) -> str:
    start = post.text.rfind(" ", max(post.body.start, offset - 80), offset)
    line = post.text.rfind("\n", max(post.body.start, offset - 80), offset)
    return post.text[max(start, line) + 1 : offset]


def _ascii_word(fragment: str) -> bool:
    """A plain word fragment (``r`` of ``manage*r``), not the letters of mojibake (``Äú``)."""
    return fragment.isascii() and fragment.isalnum()


def _kind_of(marker: str) -> str:
    return {1: "italics", 2: "bold"}.get(len(marker), "bold italics")


def _word_after(post: Post, offset: int) -> str:
    m = _WORD.match(post.text, offset, min(len(post.text), offset + 60))
    return m.group() if m else ""


def _word_before(post: Post, offset: int) -> str:
    start = max(post.body.start, offset - 60)
    found = [m for m in _WORD.finditer(post.text, start, offset) if m.end() == offset]
    return found[-1].group() if found else ""


def _word_around(post: Post, start: int, end: int) -> str:
    """The whole word that the range [start, end) cuts through, markers left out."""
    return _word_before(post, start) + post.text[start:end].strip("*_") + _word_after(post, end)


class UnbalancedEmphasis(Rule):
    """
    ## What it does
    Flags `*`, `**`, `_` or `__` that the Markdown parser leaves as literal characters because
    they do not pair: an opener with no closer or a closer with no opener, a closing marker cut
    off from its word by punctuation (`*Steve Jobs-*type`, `**Note:**text`), `**` closed by `*`,
    and emphasis that closes or opens in the middle of a word (`*team manage*r`).

    Underscores inside words (`snake_case`), escaped markers (`\\*`), list bullets, markers
    with spaces on both sides (`2 * 3`) and markers inside code or URLs are left alone.

    ## Why is this bad?
    The reader sees the asterisks and underscores, and the words meant to stand out do not.

    ## Example
    ```markdown
    +++
    title = "Launch"
    +++
    We call it the **Steve Jobs-**style launch.
    ```

    Use instead:
    ```markdown
    +++
    title = "Launch"
    +++
    We call it the **Steve Jobs**-style launch.
    ```
    """

    code = "MK001"
    name = "unbalanced-emphasis"
    summary = "Emphasis markers that do not pair show as literal `*` or `_`"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        analysis = _analysis(post)
        found: list[Finding] = []
        stars: list[tuple[Finding, str]] = []  # lone `*`: a footnote mark or its note?
        for number in analysis.order:
            leaf = analysis.leaves[number]
            if leaf.emphasis:
                found.extend(self._inside_words(post, leaf))
            if "*" in leaf.text or "_" in leaf.text:
                for finding in self._literal(post, leaf):
                    role = _footnote_role(post, leaf, finding)
                    if role:
                        stars.append((finding, role))
                    else:
                        found.append(finding)
        # "costs 5%*" ... "*Prices as of March": an asterisk footnote, not emphasis
        if not {role for _, role in stars} >= {"mark", "note"}:
            found.extend(f for f, _ in stars)
        found.sort(key=lambda f: f.span.start)
        return found

    def _inside_words(self, post: Post, leaf: _Leaf) -> Iterator[Finding]:
        """Emphasis that mistune did pair, but whose marker stands inside a word."""
        text = post.text
        for node in leaf.emphasis:
            start, end = node.span.start, node.span.end
            n = 1 if node.kind == "emphasis" else 2
            inner = text[start + n : end - n]
            if _mixed(node):
                head, tail = node.children[0], node.children[-1]
                yield self.finding(
                    post.span(start, head.span.end),
                    f"`{text[start : head.span.end]}` and `{text[tail.span.start : end]}` mix "
                    "one and two asterisks, so they pair the wrong way and the text between "
                    "them turns italic; use the same number on both sides of each phrase.",
                )
                continue
            if inner[:1] in "*_" or inner[-1:] in "*_":
                continue  # nested: the innermost node reports
            if not inner.strip() or not any(c.isspace() for c in inner.strip()):
                continue  # one intraword word (un*frigging*believable) is deliberate
            s, e = start, end
            while s > post.body.start and text[s - 1] in "*_":
                s -= 1
            while e < len(text) and text[e] in "*_":
                e += 1
            opener, closer = text[s : start + n], text[end - n : e]
            before, after = _word_before(post, s), _word_after(post, e)
            open_in = _ascii_word(before) and _is_word(inner[:1])
            close_in = _ascii_word(after) and _is_word(inner[-1:])
            kind = _kind_of(closer)
            words = inner.split()
            if open_in:
                last = _word_before(post, end - n)
                where = f"in `{last}{closer}{after}`" if close_in else f"after `{last}`"
                yield self.finding(
                    post.span(s, start + n),
                    f"The `{opener}` in `{before}{opener}{_word_after(post, start + n)}` and the "
                    f"`{closer}` {where} pair up as {kind} around `{' '.join(words)}`; move "
                    f"them to the edges of the words, or escape them as `\\{opener[0]}` if "
                    "they are meant literally.",
                )
            elif close_in:
                word = _word_around(post, end - n, e)
                yield self.finding(
                    post.span(end - n, e),
                    f"This `{closer}` closes the {kind} inside the word `{word}`, so the end of "
                    f"the word is left out; move it to the end of `{word}`.",
                )

    def _literal(self, post: Post, leaf: _Leaf) -> Iterator[Finding]:
        """Markers left as text: pair them as the writer meant and say why the parser did not."""
        nodes = {}
        for node in leaf.emphasis:
            nodes[node.span.start] = node
            nodes[node.span.end] = node
        stacks: dict[str, list[tuple[int, str]]] = {"*": [], "_": []}
        closers: list[tuple[int, str]] = []
        for offset, marker in _chars(post, leaf, _DELIMS, "*_"):
            end = offset + len(marker)
            prev, nxt = _char_at(post, offset - 1), _char_at(post, end)
            left = not _is_space(nxt) and (not _is_punct(nxt) or _is_space(prev) or _is_punct(prev))
            right = not _is_space(prev) and (
                not _is_punct(prev) or _is_space(nxt) or _is_punct(nxt)
            )
            char = marker[0]
            if char == "_":
                opens = left and (not right or _is_punct(prev))
                closes = right and (not left or _is_punct(nxt))
            else:
                opens, closes = left, right
            if opens == closes:
                continue  # spaces on both sides (2 * 3), or inside a word (snake_case, 5*3)
            if char == "*" and opens and nxt in "./":
                continue  # a file pattern (*.md, */5)
            kind = _kind_of(marker)
            # a marker glued to emphasis that mistune did pair: ** closed by * (or the reverse)
            touching = nodes.get(end) if opens else nodes.get(offset)
            if touching is not None and post.text[touching.span.start] == char:
                n = 1 if touching.kind == "emphasis" else 2
                span = touching.span
                words = _plain(touching) or "the text"
                whole = marker + char * n if opens and span.start == end else char * n + marker
                if (opens and span.start == end) or (closes and span.end == offset):
                    yield self.finding(
                        post.span(offset, end),
                        f"The {_kind_of(whole)} around `{words}` opens with "
                        f"`{whole if opens else char * n}` but closes with "
                        f"`{char * n if opens else whole}`, so a literal `{marker}` shows; "
                        "use the same marker on both sides.",
                    )
                    continue
            if nxt in "*_" or prev in "*_":
                continue  # TCLTK_*, _*: a pattern, not emphasis
            if _identifier(_token_before(post, offset) + _token_after(post, end)):
                continue  # _index.md, _$folder$, _NormalizeURI: a name written as prose
            stack = stacks[char]
            if opens:
                if stack and _is_punct(prev) and not _is_punct(_char_at(post, offset - 2)):
                    # *Steve Jobs-*type: meant to close, but punctuation cuts it from its word
                    first, _ = stack.pop()
                    yield self.finding(
                        post.span(offset, end),
                        f"This `{marker}` is meant to close the {kind} that opens before "
                        f"`{_word_after(post, first + len(marker)) or 'the text'}`, but between "
                        f"`{prev}` and `{nxt}` it cannot close, so both markers show as "
                        f"literal `{marker}`; move it before the `{prev}` or put a space after it.",
                    )
                else:
                    stack.append((offset, marker))
            elif stack:
                stack.pop()  # pairs in the writer's eyes; mistune keeps both only in odd cases
            else:
                closers.append((offset, marker))
        # -Steve Jobs*: an opener cut from its word by punctuation, before a real closer
        pending = list(closers)
        while pending:
            offset, marker = pending.pop(0)
            end = offset + len(marker)
            nxt = _char_at(post, end)
            later = [c for c in pending if c[1][0] == marker[0]]
            if later and _is_punct(nxt) and not _is_punct(_char_at(post, end + 1)):
                pending.remove(later[0])
                yield self.finding(
                    post.span(offset, end),
                    f"This `{marker}` is meant to open the {_kind_of(marker)} that closes after "
                    f"`{_word_before(post, later[0][0]) or 'the text'}`, but between "
                    f"`{_char_at(post, offset - 1)}` and `{nxt}` it cannot open, so both markers "
                    f"show as literal `{marker}`; move it after the `{nxt}` or put a space "
                    "before it.",
                )
                continue
            if _censored(post, offset, marker):
                continue
            yield self.finding(
                post.span(offset, end),
                f"This `{marker}` closes {_kind_of(marker)} that never opens in this paragraph, "
                f"so it shows as a literal `{marker}`; add the opening `{marker}` or remove it.",
            )
        for char in "*_":
            for offset, marker in stacks[char]:
                yield self.finding(
                    post.span(offset, offset + len(marker)),
                    f"This `{marker}` opens {_kind_of(marker)} that never closes in this "
                    f"paragraph, so it shows as a literal `{marker}`; add the closing `{marker}` "
                    "or remove it.",
                )


def _mixed(node: Inline) -> bool:
    """``**bold* text *italics**``: mistune (like CommonMark) nests two italics in one."""
    kids = node.children
    return (
        node.kind == "emphasis"
        and len(kids) > 2
        and kids[0].kind == "emphasis"
        and kids[-1].kind == "emphasis"
        and kids[0].span.start == node.span.start + 1
        and kids[-1].span.end == node.span.end - 1
    )


def _footnote_role(post: Post, leaf: _Leaf, finding: Finding) -> str:
    """ "mark" for a lone `*` after a word, "note" for a lone `*` opening a paragraph."""
    start, end = finding.span.start, finding.span.end
    if end - start != 1 or post.text[start] != "*":
        return ""
    if start == leaf.block.span.start and "opens" in finding.message:
        return "note"
    if "closes" in finding.message and "never opens" in finding.message:
        return "mark"
    return ""


def _censored(post: Post, offset: int, marker: str) -> bool:
    """``s***`` or ``f**``: letters blanked out of a word, not emphasis."""
    return marker[0] == "*" and 1 <= len(_word_before(post, offset)) <= 2


# ---------------------------------------------------------------------------------------------
# unbalanced-code


class UnbalancedCode(Rule):
    """
    ## What it does
    Flags a backtick run with no matching run in its paragraph, which the Markdown parser leaves
    as a literal backtick, and a code fence that is never closed.

    ## Why is this bad?
    An unmatched backtick shows as a stray `` ` `` and the code is not formatted. An unclosed
    fence is worse: everything after it, to the end of the post, renders as one code block.

    ## Example
    ```markdown
    +++
    title = "Setup"
    +++
    Run `make install to build it.
    ```

    Use instead:
    ```markdown
    +++
    title = "Setup"
    +++
    Run `make install` to build it.
    ```
    """

    code = "MK002"
    name = "unbalanced-code"
    summary = "A backtick or code fence that is never closed"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        analysis = _analysis(post)
        for number in analysis.order:
            leaf = analysis.leaves[number]
            if "`" not in leaf.text:
                continue
            for offset, ticks in _chars(post, leaf, _BACKTICKS, "`"):
                if len(ticks) == 1 and _GNU_QUOTE.match(post.text, offset):
                    continue  # `quoted' in the old GNU style
                if len(ticks) == 1:
                    what, other = "backtick", "another backtick"
                else:
                    what, other = f"run of {len(ticks)} backticks", f"another {len(ticks)}"
                yield self.finding(
                    post.span(offset, offset + len(ticks)),
                    f"This {what} has no closing match in its paragraph, so it shows as typed "
                    f"and no code is formatted; close the code with {other}, or escape a "
                    "literal backtick with a backslash.",
                )
        yield from self._fences(post, post.blocks)

    def _fences(self, post: Post, blocks: tuple[Block, ...]) -> Iterator[Finding]:
        for block in blocks:
            if block.kind == "code_block" and block.attrs.get("closed") is False:
                line = post.line_text(block.span.line)
                fence = line.strip()
                marker = fence[: len(fence) - len(fence.lstrip(fence[:1]))] if fence else "```"
                start = block.span.start
                rest = block.span.end_line - block.span.line
                at_end = not post.text[block.span.end :].strip()
                where = (
                    "the rest of the post"
                    if at_end
                    else f"everything up to line {block.span.end_line}"
                )
                yield self.finding(
                    post.span(start, start + len(marker)),
                    f"This code fence is never closed, so {where} ({rest} "
                    f"line{'' if rest == 1 else 's'}) renders as "
                    f"code; add a closing {marker} line after the code.",
                )
            elif block.children:
                yield from self._fences(post, block.children)


# ---------------------------------------------------------------------------------------------
# unbalanced-brackets

_PAIRS = {")": "(", "]": "["}


class UnbalancedBrackets(Rule):
    """
    ## What it does
    Flags `(`, `)`, `[` and `]` in prose that do not pair within their paragraph. Link syntax,
    code, URLs, smileys (`:)`, `:-)`) and enumerations (`a)`, `1)`, `(a)`) are left alone.

    ## Why is this bad?
    A parenthesis that never closes leaves the reader waiting for the end of an aside; a stray
    bracket is often what is left of a link that did not parse.

    ## Example
    ```markdown
    +++
    title = "Rates"
    +++
    The bank raised rates (again, as expected.
    ```

    Use instead:
    ```markdown
    +++
    title = "Rates"
    +++
    The bank raised rates (again, as expected).
    ```
    """

    code = "MK003"
    name = "unbalanced-brackets"
    summary = "A parenthesis or square bracket that does not pair"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        analysis = _analysis(post)
        for number in analysis.order:
            leaf = analysis.leaves[number]
            text = leaf.text
            if "(" in text or ")" in text or "[" in text or "]" in text:
                yield from self._leaf(post, leaf)

    def _leaf(self, post: Post, leaf: _Leaf) -> Iterator[Finding]:
        stacks: dict[str, list[int]] = {"(": [], "[": []}
        stray: list[tuple[int, str]] = []
        skip: set[int] = set()
        for run in leaf.runs:
            text = run.text
            if ")" in text or "(" in text or "]" in text:
                for m in _SMILEY.finditer(text):
                    skip.update(run.span.start + i for i in range(m.start(), m.end()))
                if ")" in text:
                    skip.update(run.span.start + m.end() - 1 for m in _ENUMERATOR.finditer(text))
                if "," in text:
                    for m in _INTERVAL.finditer(text):
                        skip.update((run.span.start + m.start(), run.span.start + m.end() - 1))
        # escaped brackets (\[) show as brackets too: they pair, but are never stray themselves
        marks = sorted([*_chars(post, leaf, _BRACKETS, "()[]"), *_escaped(post, leaf, "[]()")])
        skip.update(o for o, _ in marks if post.text[o - 1] == "\\")
        for offset, char in marks:
            if char in stacks:
                stacks[char].append(offset)
            else:
                stack = stacks[_PAIRS[char]]
                if stack:
                    stack.pop()
                elif offset not in skip:
                    stray.append((offset, char))
        for opener, offsets in stacks.items():
            closer = ")" if opener == "(" else "]"
            stray.extend((o, opener) for o in offsets if o not in skip)
            del closer
        for offset, char in sorted(stray):
            if char in "([":
                closer = ")" if char == "(" else "]"
                message = (
                    f"This `{char}` is never closed in its paragraph; add the missing "
                    f"`{closer}` or remove it."
                )
            else:
                opener = _PAIRS[char]
                message = (
                    f"This `{char}` closes nothing: there is no `{opener}` before it in its "
                    f"paragraph; add the missing `{opener}` or remove it."
                )
            yield self.finding(post.span(offset, offset + 1), message)


# ---------------------------------------------------------------------------------------------
# unbalanced-quotes


class UnbalancedQuotes(Rule):
    """
    ## What it does
    Flags curly double quotes (“ ”) that do not pair within their paragraph, and quotes turned
    the wrong way (“Hello,“ he said). A low opening quote („) pairs with “ or ”, as German,
    Czech or Hebrew write them. Apostrophes and single quotes are left alone, and so is
    a quotation that runs over several paragraphs: by typographic convention each of its
    paragraphs opens with “ and only the last one closes. Quotes are never paired across
    paragraphs: a quotation goes on only into the very next paragraph beside it (in the same
    quote or list item), not into the next list item or past a code block.

    ## Why is this bad?
    The reader cannot tell where the quotation ends, or whose words they are reading.

    ## Example
    ```markdown
    +++
    title = "Interview"
    +++
    She told us, “We will ship in March.“ Then we stopped recording.
    ```

    Use instead:
    ```markdown
    +++
    title = "Interview"
    +++
    She told us, “We will ship in March.” Then we stopped recording.
    ```

    ## Fix safety
    A quote turned the wrong way is turned round; the fix is safe. A quote with no partner has
    no fix, because only the writer knows where the quotation ends.
    """

    code = "MK004"
    name = "unbalanced-quotes"
    summary = "Curly double quotes that do not pair"
    severity = "error"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        analysis = _analysis(post)
        order = analysis.order
        seen: dict[int, quotes.Leaf] | None = None
        damaged: list[tuple[int, int]] = []
        for i, number in enumerate(order):
            leaf = analysis.leaves[number]
            if "“" not in leaf.text and "”" not in leaf.text:
                continue
            if seen is None:  # what the reader sees: text inside bold, links and bare URLs too
                seen = {q.block.attrs["leaf"]: q for q in quotes.leaves(post)}
                damaged = [(r.start, r.end) for r in repairs(post)]
            yield from self._leaf(
                post,
                leaf,
                seen[number],
                damaged,
                analysis,
                order[i + 1] if i + 1 < len(order) else None,
            )

    def _leaf(
        self,
        post: Post,
        leaf: _Leaf,
        seen: quotes.Leaf,
        damaged: list[tuple[int, int]],
        analysis: _Analysis,
        following: int | None,
    ) -> Iterator[Finding]:
        stack: list[int] = []
        low: set[int] = set()  # quotations opened with „, which “ or ” close
        text = seen.text
        for i, quote in enumerate(text):
            offset = seen.offsets[i]
            if quote not in "„“”" or offset < 0 or any(a <= offset < b for a, b in damaged):
                continue  # a quote inside mojibake is the mojibake rule's
            prev = text[i - 1] if i > 0 else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if quote == "„":
                stack.append(offset)
                low.add(offset)
            elif quote == "“" and stack and stack[-1] in low:
                stack.pop()  # „German“, „české“
            elif quote == "“":
                if stack and not _is_space(prev) and (_is_space(nxt) or _is_punct(nxt)):
                    stack.pop()
                    yield self.finding(
                        post.span(offset, offset + 1),
                        "This quotation ends with an opening quote “; use a closing quote ” "
                        "instead.",
                        Fix((post.edit(offset, offset + 1, "”"),)),
                    )
                else:
                    stack.append(offset)
            elif stack:
                stack.pop()
            elif _is_space(prev) and not _is_space(nxt):
                yield self.finding(
                    post.span(offset, offset + 1),
                    "This quotation starts with a closing quote ”; use an opening quote “ instead.",
                    Fix((post.edit(offset, offset + 1, "“"),)),
                )
                stack.append(-1)  # the closing quote that follows pairs with it
            else:
                yield self.finding(
                    post.span(offset, offset + 1),
                    "This closing quote ” has no opening quote “ before it in its paragraph; "
                    "add the missing “ or remove it.",
                )
        stack = [o for o in stack if o >= 0]
        if (
            len(stack) == 1
            and following is not None
            and _continues(post, analysis.leaves[following], leaf)
        ):
            return  # a quotation over several paragraphs
        for offset in stack:
            opening = post.text[offset]
            closing = "“ or ”" if opening == "„" else "”"
            yield self.finding(
                post.span(offset, offset + 1),
                f"This opening quote {opening} is never closed in its paragraph; add the closing "
                f"quote {closing} where the quotation ends.",
            )


def _continues(post: Post, nxt: _Leaf, leaf: _Leaf) -> bool:
    """The very next block is a paragraph beside this one (in the same quote or list item, not
    after a code block or in the next item) that opens with “: the quotation goes on, by
    typographic convention. Quotes are never paired across paragraphs."""
    if nxt.block.kind != "paragraph" or leaf.block.kind != "paragraph" or not nxt.runs:
        return False
    if _next_sibling(post.blocks, leaf.block) is not nxt.block:
        return False
    return nxt.runs[0].text.lstrip().startswith("“")


def _next_sibling(blocks: Sequence[Block], target: Block) -> Block | None:
    for i, block in enumerate(blocks):
        if block is target:
            return blocks[i + 1] if i + 1 < len(blocks) else None
        if block.children and block.span.start <= target.span.start < block.span.end:
            return _next_sibling(block.children, target)
    return None


# ---------------------------------------------------------------------------------------------
# list-numbering


class ListNumbering(Rule):
    """
    ## What it does
    Flags a numbered list that starts again at 1 because an unindented block (a bullet list,
    an image, a code block, a quote, a lettered line) cut one list in two. Lists that restart
    after a heading or an ordinary paragraph are separate lists and are left alone, and so is
    a list that goes on counting after the block (`3.` after `1.` and `2.`): the page shows
    the numbers the writer meant. A list that goes on past a number (`4.` after `1.` and `2.`)
    is flagged too: the page shows the gap. Numbers out of order within one list are
    `list-number-sequence`'s advice, as the page numbers them right.

    ## Why is this bad?
    Markdown ends a list at the first line that is not indented under it, and the next list
    counts from its own first number: the reader sees 1, 1, 2 where the writer meant 1, 2, 3,
    or steps 1, 2 and 4 with no step 3.

    ## Example
    ```markdown
    +++
    title = "Questions"
    +++
    1. Who pays for it?
    - The buyers, mostly.
    - The taxpayers, a little.
    1. Who gains from it?
    ```

    Use instead:
    ```markdown
    +++
    title = "Questions"
    +++
    1. Who pays for it?
       - The buyers, mostly.
       - The taxpayers, a little.
    2. Who gains from it?
    ```
    """

    code = "MK005"
    name = "list-numbering"
    summary = "A numbered list cut in two by an unindented block starts again or skips a number"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for blocks, i in _ordered_lists(post.blocks):
            yield from self._restart(post, blocks, i)

    def _restart(self, post: Post, blocks: tuple[Block, ...], i: int) -> Iterator[Finding]:
        block = blocks[i]
        start = _start(block)
        breakers: list[Block] = []
        j = i - 1
        while j >= 0 and _breaks_list(post, blocks[j]):
            breakers.append(blocks[j])
            j -= 1
        if j < 0 or not breakers:
            return
        before = blocks[j]
        if before.kind != "list" or not before.attrs.get("ordered"):
            return
        if before.attrs.get("bullet") != block.attrs.get("bullet"):
            return
        last = _start(before) + len(before.children) - 1
        if start == last + 1:
            return  # it goes on counting (3. after 1. 2.): the numbers show right
        first = block.children[0] if block.children else None
        marker = _marker(post, first) if first is not None else None
        if marker is None:
            return
        _, s, e = marker
        breakers.reverse()
        what = " and ".join(_describe(post, b) for b in breakers)
        if start > last:
            yield self.finding(
                post.span(s, e),
                f"This list goes on at {start} after {what}, but the numbered list above "
                f"({_lines(before.span)}) ends at {last}, so the page skips "
                f"{_number_range(last + 1, start - 1)}; number this item {last + 1}.",
            )
            return
        item = before.children[-1]
        width = _content_indent(item)
        them, they = ("it", "it belongs") if len(breakers) == 1 else ("them", "they belong")
        yield self.finding(
            post.span(s, e),
            f"This list restarts at {start} because {what} ended the numbered list above "
            f"({_lines(before.span)}); indent {them} by {width} spaces so {they} to item "
            f"{last} and the numbering carries on.",
        )


def _number_range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first} to {last}"


class ListNumberSequence(Rule):
    """
    ## What it does
    Flags a numbered list whose items are numbered in the source otherwise than the page
    shows them (1, 2, 2, 4 or 1, 1, 2, 3 or 1, 3): Markdown takes the first number and counts
    on from it, whatever the other items say. A list numbered `1.` throughout is numbered so
    on purpose and is left alone.

    ## Why is this bad?
    The page is right, but the source is not: a writer who refers to "step 4" reads 4 in the
    source while the reader sees 3, and the next edit starts from the wrong numbers.

    ## Example
    ```markdown
    +++
    title = "Setup"
    +++
    1. Install the tool.
    2. Write the configuration.
    2. Run it.
    ```

    Use instead:
    ```markdown
    +++
    title = "Setup"
    +++
    1. Install the tool.
    2. Write the configuration.
    3. Run it.
    ```

    ## Fix safety
    The fix renumbers the items as the page shows them, so the page does not change. There is
    no fix when a new number is wider than the old one (`9.` to `10.`): the text under the
    item would no longer be indented enough to belong to it.
    """

    code = "MK009"
    name = "list-number-sequence"
    summary = "Numbered list items numbered otherwise than the page shows them"
    severity = "info"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for blocks, i in _ordered_lists(post.blocks):
            finding = self._sequence(post, blocks[i])
            if finding is not None:
                yield finding

    def _sequence(self, post: Post, block: Block) -> Finding | None:
        start = _start(block)
        markers = [_marker(post, item) for item in block.children]
        written = [m[0] for m in markers if m is not None]
        if len(written) < 2 or len(set(written)) == 1:
            return None  # one item, or every item numbered alike (1. 1. 1.) on purpose
        wrong = [
            (start + k, m) for k, m in enumerate(markers) if m is not None and m[0] != start + k
        ]
        if not wrong:
            return None
        edits = tuple(post.edit(s, e - 1, str(shown)) for shown, (_, s, e) in wrong)
        same_width = all(len(str(shown)) == e - 1 - s for shown, (_, s, e) in wrong)
        _, (_, s, e) = wrong[0]
        return self.finding(
            post.span(s, e),
            f"The source numbers this list {_numbers(written)} but the page shows "
            f"{_numbers([start + k for k in range(len(written))])} (Markdown counts on from the "
            "first number): renumber the items as the page shows them.",
            Fix(edits) if same_width else None,
        )


def _ordered_lists(blocks: tuple[Block, ...]) -> Iterator[tuple[tuple[Block, ...], int]]:
    """Every numbered list at any depth (in list items and quotes), with its siblings."""
    for i, block in enumerate(blocks):
        if block.kind == "list" and block.attrs.get("ordered"):
            yield blocks, i
        if block.children:
            for child in block.children:
                if child.kind == "list_item":
                    yield from _ordered_lists(child.children)
            if block.kind == "block_quote":
                yield from _ordered_lists(block.children)


def _start(block: Block) -> int:
    start = block.attrs.get("start")
    return 1 if start is None else int(start)


def _numbers(numbers: list[int]) -> str:
    """1, 2, 2, 4 (the first five and the last of a long list)."""
    if len(numbers) <= 6:
        return ", ".join(map(str, numbers))
    return ", ".join(map(str, numbers[:5])) + f", …, {numbers[-1]}"


def _marker(post: Post, item: Block) -> tuple[int, int, int] | None:
    m = _ITEM_MARKER.match(post.text, item.span.start)
    if not m:
        return None
    return int(m.group(1)), m.start(1), m.end(2)


def _content_indent(item: Block) -> int:
    for child in item.children:
        return max(2, child.span.column - item.span.column)
    return 3


def _breaks_list(post: Post, block: Block) -> bool:
    """Blocks that a writer puts under a list item and forgets to indent."""
    if block.kind == "list":
        return not block.attrs.get("ordered")
    if block.kind in ("code_block", "block_quote"):
        return True
    if block.kind == "paragraph":
        kinds = {node.kind for node in block.inlines if node.kind not in ("softbreak", "linebreak")}
        if kinds == {"image"}:
            return True
        return bool(_LETTER_ITEM.match(post.text, block.span.start))
    return False


def _describe(post: Post, block: Block) -> str:
    where = _lines(block.span)
    if block.kind == "list":
        return f"the unindented bullet list on {where}"
    if block.kind == "code_block":
        return f"the unindented code block on {where}"
    if block.kind == "block_quote":
        return f"the unindented quote on {where}"
    if block.inlines and all(n.kind == "image" for n in block.inlines):
        return f"the unindented image on {where}"
    return f"the lettered paragraph on {where}"


# ---------------------------------------------------------------------------------------------
# heading-increment


class HeadingIncrement(Rule):
    """
    ## What it does
    Flags a heading that is more than one level deeper than the heading before it (an h4 right
    after an h2). The first heading may be h2 or h3 (the template makes the post title the h1),
    but not deeper.

    Off by default: on real blogs the deeper level is nearly always a deliberate choice of a
    smaller heading, so this is outline advice for sites that want it
    (`extend-select = ["heading-increment"]`).

    ## Why is this bad?
    Screen readers and tables of contents use heading levels as an outline; a skipped level
    reads as a missing section.

    ## Example
    ```markdown
    +++
    title = "Notes"
    +++
    ## Markets

    #### Bonds
    ```

    Use instead:
    ```markdown
    +++
    title = "Notes"
    +++
    ## Markets

    ### Bonds
    ```
    """

    code = "MK006"
    name = "heading-increment"
    summary = "A heading level that skips one"
    severity = "info"
    default = False

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        previous = None
        for heading in post.headings:
            level = heading.level
            if previous is None:
                if level > 3:
                    yield self.finding(
                        heading.span,
                        f"The first heading is an h{level}, but the post title is the h1, so "
                        f"this skips a level; make it an h2 ({'#' * 2}).",
                    )
            elif level > previous.level + 1:
                yield self.finding(
                    heading.span,
                    f"This h{level} follows the h{previous.level} on line {previous.span.line}, "
                    f"skipping {_skipped(previous.level, level)}; make it an h{previous.level + 1} "
                    f"({'#' * (previous.level + 1)}).",
                )
            previous = heading


def _skipped(above: int, level: int) -> str:
    names = [f"h{n}" for n in range(above + 1, level)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


# ---------------------------------------------------------------------------------------------
# setext-heading

_SENTENCE_END = re.compile(r"[.,;:!?…\"'”’*_]$")


class SetextHeading(Rule):
    """
    ## What it does
    Flags a line of text directly above `---`, which Markdown turns into a heading, where a
    section break was meant. Posts written by several authors often separate the sections with
    `---`; without a blank line above it, the last line of the section becomes an h2.

    A deliberate underlined heading is left alone: a short title (one line, no sentence end) over
    a long line of dashes, or in a post that does not use `---` as a break, or that opens the
    post or a section (right after a break or a heading), or when the post underlines two or
    more such titles. What is flagged is the last line of a section: a sentence, or a short line
    that follows other text.

    ## Why is this bad?
    The paragraph shows as a large heading, gets an anchor and a table of contents entry, and
    the section break is gone.

    ## Example
    ```markdown
    +++
    title = "Weekly notes"
    +++
    That is all from me this week.
    ---

    **Meera**

    Here is my part.
    ```

    Use instead:
    ```markdown
    +++
    title = "Weekly notes"
    +++
    That is all from me this week.

    ---

    **Meera**

    Here is my part.
    ```

    ## Fix safety
    The fix inserts the blank line. It is unsafe because the writer might have meant a heading.
    """

    code = "MK007"
    name = "setext-heading"
    summary = "Text right above `---` becomes a heading instead of a section break"
    severity = "error"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        setext = [h for h in post.headings if h.style == "setext" and h.level == 2]
        if not setext:
            return
        breaks = _has_breaks(post.blocks)
        titles = [h for h in setext if _title_like(post, h)]
        opens, introduces = _section_starts(post)
        for heading in setext:
            underline = heading.span.end_line
            line = post.line_text(heading.text_span.line).strip()
            long_rule = len(post.line_text(underline).strip()) >= max(3, len(line) // 2)
            placed = heading.span.start in introduces and (
                heading.span.start in opens or len(titles) >= 2
            )
            question = line.rstrip("*_").endswith(("?", "!"))  # a question as a title
            deliberate = (heading in titles and (not breaks or placed or long_rule)) or (
                long_rule and question and heading.text_span.end_line == heading.text_span.line
            )
            if deliberate:
                continue
            line_start = post.lines.starts[underline - 1]
            newline = "\r\n" if post.crlf else "\n"
            yield self.finding(
                heading.span,
                f"The `---` on line {underline} turns the text above it into a heading instead "
                "of a section break; add a blank line before the `---`.",
                Fix((post.edit(line_start, line_start, newline),), safe=False),
            )


def _has_breaks(blocks: tuple[Block, ...]) -> bool:
    return any(b.kind == "thematic_break" for b in blocks)


def _title_like(post: Post, heading: Heading) -> bool:
    """One short line without a sentence end: what an underlined title looks like."""
    line = post.line_text(heading.text_span.line).strip().rstrip("*_")
    return (
        heading.text_span.end_line == heading.text_span.line
        and not _SENTENCE_END.search(line)
        and len(heading.text.split()) <= 10
    )


def _section_starts(post: Post) -> tuple[set[int], set[int]]:
    """Offsets of the top-level blocks that open the post or a section (the first block, or one
    right after a thematic break or a heading), and of those followed by content that is not an
    author line or another break (what a title introduces)."""
    bylines = {section.line_span.start for section in post.authors}
    blocks = [b for b in post.blocks if b.kind != "blank_line"]
    opens: set[int] = set()
    introduces: set[int] = set()
    for i, block in enumerate(blocks):
        if i == 0 or blocks[i - 1].kind in ("thematic_break", "heading"):
            opens.add(block.span.start)
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            after is not None
            and after.kind not in ("thematic_break", "heading")
            and after.span.start not in bylines
        ):
            introduces.add(block.span.start)
    return opens, introduces


# ---------------------------------------------------------------------------------------------
# stray-emphasis

# Bold on one of these alone is leftover: articles, prepositions and particles carry no stress
# a writer would mark. Pronouns, auxiliaries and conjunctions do carry contrastive stress
# ("it **does** work", "A **and** B"), so on their own they are left to the density check;
# a phrase made only of function words ("**to be**", "**they were**") is leftover either way.
_BARE_TEXT = """
a an the of to in on at by for from with about as into onto over under between through
during without within upon off out up down than until till since via per also
"""
_FUNCTION_TEXT = """
i me my mine you your yours he him his she her hers it its we us our ours they them their
theirs and or but so if because while although though whether when then is am are was were
be been being have has had having do does did will would can could shall should may might
"""
BARE_WORDS = frozenset(_BARE_TEXT.split())
FUNCTION_WORDS = BARE_WORDS | frozenset(_FUNCTION_TEXT.split())


@dataclass(frozen=True)
class _Candidate:
    node: Inline
    words: str
    marker: str
    intraword: bool
    listed: bool = False  # one of several bold labels in a row (a menu path, a credit list)


class StrayEmphasis(Rule):
    """
    ## What it does
    Flags bold left over from editing: bold on an article or preposition on its own (`**of**`,
    `**a**`), on a phrase made only of function words (`**to be**`, `**they were**`), on part
    of a word (`counter**party**`), and bold phrases scattered through running text: 4 or more
    in one paragraph by default, one of them on a function word or part of a word (bold that
    marks only terms and names is deliberate). Such a paragraph is reported once, with its
    bold phrases listed. When a section (between `---` breaks or headings) has such a
    paragraph and twice that many bold phrases in all, its lone bold words (one or two ordinary
    lowercase words in a paragraph) are flagged too.

    Left alone: a lead-in at the start of a paragraph (`**Note:**`), a paragraph that is all
    emphasis (an author line, a caption), bold in lists and tables, bold labels in a row
    (`Open **Settings** > **Accounts**`, `thanks to **@asha**, **@ravi** and **@dev**`),
    single-letter names (workspace **a** and **b**), bold inside a word of a script written
    without spaces (Chinese, Japanese, Thai) or after a one-letter prefix (Hebrew, Arabic), one
    letter or capitals marked inside a word (a stressed vowel, **L**et's **ENCR**ypt), a
    shouted function word (`**THE** event`), and italics, which mark titles, terms and spoken
    stress (`you *have* to ask`) far more often than leftovers. Pronouns, auxiliaries and
    conjunctions in bold on their own (`it **does** work`, `A **and** B`) are stress, and are
    only counted towards the scattered phrases.

    ## Why is this bad?
    Bold on words that carry no weight makes the reader look for a meaning that is not there;
    highlighting copied from notes reads as noise.

    ## Example
    ```markdown
    +++
    title = "Markets"
    +++
    Foreign funds were forced **to be** holders because of **a** lack of buyers.
    ```

    Use instead:
    ```markdown
    +++
    title = "Markets"
    +++
    Foreign funds were forced to be holders because of a lack of buyers.
    ```

    ## Options
    `stray-emphasis-threshold` (default 4): how many bold phrases scattered through one
    paragraph make it read as leftover highlighting.
    """

    code = "MK008"
    name = "stray-emphasis"
    summary = "Bold or italics left over from editing"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        threshold = int(ctx.options.get("stray-emphasis-threshold", 4))
        analysis = _analysis(post)
        found: dict[int, list[_Candidate]] = {}
        scattered: dict[int, int] = {}  # bold phrases in running text, lists left out
        for number in analysis.order:
            leaf = analysis.leaves[number]
            if leaf.block.kind == "paragraph" and leaf.emphasis and not _table(post, leaf.block):
                candidates = [c for c in _candidates(post, leaf.block) if not c.listed]
                if candidates:
                    found[number] = candidates
                    if not leaf.in_list:
                        scattered[number] = sum(len(c.marker) == 2 for c in candidates)
        if not found:
            return
        # a paragraph of scattered bold with at least one sign of leftover highlighting
        dense = {
            number
            for number, count in scattered.items()
            if count >= threshold and any(_sign_of_leftover(c) for c in found[number])
        }
        # a section with dense paragraphs: its lone bold words are leftover highlighting too
        sections = _sections(post) if dense else {}
        spread = {sections.get(number, -1) for number in dense}
        per_section: dict[int, int] = {}
        for number, count in scattered.items():
            section = sections.get(number, -1)
            per_section[section] = per_section.get(section, 0) + count
        for number, candidates in found.items():
            section = sections.get(number, -1)
            wide = number in scattered and section in spread
            wide = wide and per_section[section] >= 2 * threshold
            letters = sum(len(c.words) == 1 for c in candidates)
            # in a section of leftover highlighting, a paragraph's one or two bold ordinary
            # words are leftovers too; several, or labels and names, were meant
            lone = [c for c in candidates if c.words[:1].islower()]
            wide = wide and len(lone) <= 2
            flagged = [
                c
                for c in candidates
                if len(c.marker) == 2
                and not (len(c.words) == 1 and letters > 1)  # workspace **a** and **b**: names
                and (_leftover(c) or number in dense or (wide and c in lone))
            ]
            if len(flagged) > 1 and (number in dense or wide):
                yield self._paragraph(post, flagged, number in dense, per_section.get(section, 0))
                continue
            total = scattered.get(number, 0) if number in dense else per_section.get(section, 0)
            for c in flagged:
                yield self.finding(c.node.span, self._message(post, c, number in dense, total))

    def _paragraph(
        self, post: Post, flagged: list[_Candidate], dense: bool, in_section: int
    ) -> Finding:
        shown = ", ".join(f"`{c.words}`" for c in flagged[:6])
        if len(flagged) > 6:
            shown += f" and {len(flagged) - 6} more"
        where = "scattered through it" if dense else f"in a section with {in_section}"
        return self.finding(
            flagged[0].node.span,
            f"This paragraph has {len(flagged)} bold phrases {where} ({shown}): they read like "
            "highlighting left over from editing; remove the bold, or keep it only where it must "
            "stand out.",
        )

    def _message(self, post: Post, c: _Candidate, dense: bool, total: int) -> str:
        if _all_function_words(c.words):
            many = " " in c.words
            return (
                f"Bold on `{c.words}` looks left over from editing: "
                f"{'they are function words' if many else 'it is a function word'} "
                f"that carr{'y' if many else 'ies'} no weight; remove the `**`."
            )
        if c.intraword:
            word = _word_around(post, c.node.span.start, c.node.span.end)
            return (
                f"Bold on `{c.words}`, part of the word `{word}`, looks left over from "
                "editing; remove the `**`."
            )
        where = "paragraph" if dense else "section"
        return (
            f"`{c.marker}{c.words}{c.marker}` is one of {total} bold phrases scattered through "
            f"this {where}, which reads like leftover highlighting; remove the bold or keep it "
            "only where it must stand out."
        )


def _sign_of_leftover(c: _Candidate) -> bool:
    """Bold on function words (even pronouns and auxiliaries) or on part of a word: a paragraph
    with many bold phrases and one of these was highlighted at random."""
    words = _WORD.findall(c.words.lower())
    shouted = c.words.isupper() and len(c.words) > 1
    return len(c.marker) == 2 and (
        c.intraword or (not shouted and all(w in FUNCTION_WORDS for w in words))
    )


def _leftover(c: _Candidate) -> bool:
    """Bold that marks nothing: on function words alone, or on part of a word."""
    return len(c.marker) == 2 and (c.intraword or _all_function_words(c.words))


def _table(post: Post, block: Block) -> bool:
    """A pipe table, which mistune reads as a paragraph: bold in its cells is layout."""
    text = post.text[block.span.start : block.span.end]
    return "|" in text and _TABLE_RULE.search(text) is not None


def _sections(post: Post) -> dict[int, int]:
    """Leaf number -> section number; a thematic break or a heading starts a new section."""
    out: dict[int, int] = {}
    section = 0
    for top in post.blocks:
        if top.kind in ("thematic_break", "heading"):
            section += 1
        stack = [top]
        while stack:
            block = stack.pop()
            leaf = block.attrs.get("leaf")
            if leaf is not None:
                out[leaf] = section
            stack.extend(block.children)
    return out


def _all_function_words(words: str) -> bool:
    if words.isupper() and len(words) > 1:
        return False  # **THE** event: shouted, so meant
    found = _WORD.findall(words.lower())
    if len(found) == 1:
        return found[0] in BARE_WORDS
    return bool(found) and all(w in FUNCTION_WORDS for w in found)


# what may stand between two bold labels of one row: punctuation, arrows, and, or, then
_LABEL_SEPARATOR = re.compile(r"\s*(?:[,;/|&+>›→»·–—-]+\s*(?:and|or|then)?|and|or|then)\s*", re.I)


def _candidates(post: Post, block: Block) -> Iterator[_Candidate]:
    """Short bold or italic phrases in the middle of a paragraph's sentences."""
    inlines = [n for n in block.inlines if n.kind not in ("softbreak", "linebreak")]
    meaningful = [n for n in inlines if not (n.kind == "text" and not n.text.strip())]
    if len(meaningful) <= 1:
        return  # the paragraph is one emphasis (an author line, a caption) or has none
    listed = _labels_in_a_row(inlines)
    for i, node in enumerate(inlines):
        if node.kind not in ("emphasis", "strong"):
            continue
        if i == 0:
            continue  # a lead-in (**Note:**) or a label
        if any(child.kind not in ("text",) for child in node.children):
            continue
        words = _plain(node).strip()
        if not words or len(words.split()) > 4 or words.endswith(":"):
            continue
        n = 2 if node.kind == "strong" else 1
        marker = post.text[node.span.start : node.span.start + n]
        intraword = _joined_to_word(_char_at(post, node.span.start - 1)) or _joined_to_word(
            _char_at(post, node.span.end)
        )
        # one letter (a stressed vowel: ст**о**ит) or capitals (**L**et's **ENCR**ypt) are
        # marked inside a word on purpose
        intraword = intraword and len(words) > 1 and not words.isupper()
        yield _Candidate(node, words, marker, intraword, i in listed)


def _labels_in_a_row(inlines: list[Inline]) -> set[int]:
    """Indexes of emphasis nodes in a row of labels: three or more with only punctuation, `and`
    or `or` between them (`**@asha**, **@ravi** and **@dev**`), or two or more joined by a menu
    arrow (`**Settings** > **Accounts**`)."""
    marked = [i for i, n in enumerate(inlines) if n.kind in ("emphasis", "strong")]
    out: set[int] = set()
    row: list[int] = marked[:1]
    arrow = False
    for a, b in itertools.pairwise(marked):
        between = "".join(n.text for n in inlines[a + 1 : b] if n.kind == "text")
        joined = all(n.kind == "text" for n in inlines[a + 1 : b])
        if joined and _LABEL_SEPARATOR.fullmatch(between):
            row.append(b)
            arrow = arrow or any(c in between for c in ">›→»/")
            continue
        if len(row) >= 3 or (arrow and len(row) >= 2):
            out.update(row)
        row, arrow = [b], False
    if len(row) >= 3 or (arrow and len(row) >= 2):
        out.update(row)
    return out


def _joined_to_word(c: str) -> bool:
    """A letter or digit of a script that separates words with spaces: bold next to it splits
    a word. Chinese, Japanese, Korean, Thai and their neighbours write words without spaces,
    so bold there marks a word, not part of one."""
    if not _is_word(c):
        return False
    code = ord(c)
    return not (
        0x0590 <= code <= 0x06FF  # Hebrew, Arabic: one-letter prefixes join the next word
        or 0x0E00 <= code <= 0x0FFF  # Thai, Lao, Tibetan
        or 0x1000 <= code <= 0x109F  # Myanmar
        or 0x1780 <= code <= 0x17FF  # Khmer
        or 0x2E80 <= code <= 0xA4CF  # CJK radicals and ideographs, kana, bopomofo, Yi
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or code >= 0x20000  # CJK extensions
    )


def rules() -> Iterator[type[Rule]]:
    yield from (
        UnbalancedEmphasis,
        UnbalancedCode,
        UnbalancedBrackets,
        UnbalancedQuotes,
        ListNumbering,
        HeadingIncrement,
        SetextHeading,
        StrayEmphasis,
        ListNumberSequence,
    )


FAMILY = Family(
    name="formatting",
    prefix="MK",
    description="Formatting: Markdown that renders differently from what the writer meant.",
    rules=tuple(rules()),
    options=(
        Option(
            "stray-emphasis-threshold",
            4,
            "How many bold phrases scattered through one paragraph make stray-emphasis flag "
            "them (and, in a section with such a paragraph, its other bold words).",
            int,
            minimum=1,
        ),
    ),
)
