"""Exact spans for every node kind the Markdown parser reports."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest

from postlint.markdown import Body, parse_body
from postlint.model import Block, Inline, LineIndex, Span


def parse(text: str, body_start: int = 0) -> Body:
    return parse_body(text, body_start, LineIndex(text))


def lc(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def at(text: str, span: Span) -> str:
    return text[span.start : span.end]


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        yield from walk(block.children)


def inlines(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in nodes:
        yield node
        yield from inlines(node.children)


def all_spans(body: Body) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    for block in walk(body.blocks):
        out.append(("block:" + block.kind, block.span))
        out.extend(("inline:" + node.kind, node.span) for node in inlines(block.inlines))
    for h in body.headings:
        out += [("heading", h.span), ("heading.text", h.text_span)]
    for link in body.links:
        out.append(("link", link.span))
        if link.url_span:
            out.append(("link.url", link.url_span))
    for d in body.definitions:
        out += [("def", d.span), ("def.url", d.url_span)]
    for image in body.images:
        out += [("image", image.span), ("image.src", image.src_span)]
        if image.alt_span:
            out.append(("image.alt", image.alt_span))
    out.extend(("undefined", u.span) for u in body.undefined_references)
    out.extend(("suppression", s.span) for s in body.suppressions)
    out.extend(("run", r.span) for r in body.runs)
    return out


def assert_runs_exact(text: str, body: Body) -> None:
    for run in body.runs:
        assert at(text, run.span) == run.text, run
        assert "\n" not in run.text and "\r" not in run.text


BLOCKS = """\
# Title *one*

Para with **strong** and `code`.
Next line\\
hard break

Setext heading
--------------

***

```python
print(1)
```

    indented code

<div class="note">
html block
</div>

<!-- a comment -->

[ref]: https://example.com/r "Ref title"
"""


def test_block_kinds_and_spans() -> None:
    text = BLOCKS
    body = parse(text)
    got = [(b.kind, lc(b.span), at(text, b.span)) for b in body.blocks]
    assert got == [
        ("heading", (1, 1, 1, 14), "# Title *one*"),
        ("paragraph", (3, 1, 5, 11), "Para with **strong** and `code`.\nNext line\\\nhard break"),
        ("heading", (7, 1, 8, 15), "Setext heading\n--------------"),
        ("thematic_break", (10, 1, 10, 4), "***"),
        ("code_block", (12, 1, 14, 4), "```python\nprint(1)\n```"),
        ("code_block", (16, 1, 16, 18), "    indented code"),
        ("html_block", (18, 1, 20, 7), '<div class="note">\nhtml block\n</div>'),
        ("html_comment", (22, 1, 22, 19), "<!-- a comment -->"),
        ("reference_definition", (24, 1, 24, 41), '[ref]: https://example.com/r "Ref title"'),
    ]
    h1, _, h2, _, fenced, indented, *_ = body.blocks
    assert h1.attrs["level"] == 1 and h1.attrs["style"] == "atx"
    assert h1.attrs["anchor"] == "title-one"
    assert h2.attrs["level"] == 2 and h2.attrs["style"] == "setext"
    assert fenced.attrs["style"] == "fenced" and fenced.attrs["info"] == "python"
    assert fenced.attrs["closed"] is True
    assert indented.attrs["style"] == "indented"
    # leaf numbering: heading 0, paragraph 1, setext heading 2
    assert [b.attrs.get("leaf") for b in body.blocks[:3]] == [0, 1, 2]


def test_unclosed_fence() -> None:
    text = "Text\n\n~~~~ sh\nrm -rf\n~~~\n"
    code = parse(text).blocks[1]
    assert code.kind == "code_block" and code.attrs["closed"] is False
    assert code.attrs["info"] == "sh"
    assert lc(code.span) == (3, 1, 5, 4)


def test_inline_kinds_and_spans() -> None:
    text = BLOCKS
    para = parse(text).blocks[1]
    got = [(n.kind, lc(n.span), at(text, n.span)) for n in inlines(para.inlines)]
    assert got == [
        ("text", (3, 1, 3, 11), "Para with "),
        ("strong", (3, 11, 3, 21), "**strong**"),
        ("text", (3, 13, 3, 19), "strong"),
        ("text", (3, 21, 3, 26), " and "),
        ("codespan", (3, 26, 3, 32), "`code`"),
        ("text", (3, 32, 3, 33), "."),
        ("softbreak", (3, 33, 4, 1), "\n"),
        ("text", (4, 1, 4, 10), "Next line"),
        ("linebreak", (4, 10, 5, 1), "\\\n"),
        ("text", (5, 1, 5, 11), "hard break"),
    ]
    assert para.inlines[3].text == "code"


def test_emphasis_link_image_html_inlines() -> None:
    text = 'A *b* [c](/d "T") ![e](/f.png) <span>g</span>  \nh'
    para = parse(text).blocks[0]
    kinds = [(n.kind, at(text, n.span)) for n in para.inlines]
    assert kinds == [
        ("text", "A "),
        ("emphasis", "*b*"),
        ("text", " "),
        ("link", '[c](/d "T")'),
        ("text", " "),
        ("image", "![e](/f.png)"),
        ("text", " "),
        ("html", "<span>"),
        ("text", "g"),
        ("html", "</span>"),
        ("linebreak", "  \n"),
        ("text", "h"),
    ]


def test_headings_anchor_and_explicit_id() -> None:
    text = "## Intro {#start}\n\n## Intro\n\n### Intro ###\n\nSub *title*\n===\n"
    body = parse(text)
    got = [(h.level, h.text, h.anchor, h.style, h.explicit_id) for h in body.headings]
    assert got == [
        (2, "Intro", "start", "atx", "start"),
        (2, "Intro", "intro-1", "atx", None),
        (3, "Intro", "intro-2", "atx", None),
        (1, "Sub title", "sub-title", "setext", None),
    ]
    first, _, third, setext = body.headings
    assert lc(first.span) == (1, 1, 1, 18)
    assert lc(first.text_span) == (1, 4, 1, 9) and at(text, first.text_span) == "Intro"
    assert at(text, third.text_span) == "Intro" and lc(third.span) == (5, 1, 5, 14)
    assert lc(setext.span) == (7, 1, 8, 4) and at(text, setext.text_span) == "Sub *title*"


def test_links_of_every_kind() -> None:
    text = (
        "See [the docs](https://a.example/x_(y) 'T'), [ref text][Ref], [Ref][],\n"
        '<https://auto.example/z> and <a href="/html">html <b>link</b></a>.\n'
        "\n"
        "<p><a href='/block'>Block</a></p>\n"
        "\n"
        '[ref]: <https://r.example/> "Title"\n'
    )
    body = parse(text)
    links = body.links
    assert [(lk.kind, lk.url, lk.text) for lk in links] == [
        ("inline", "https://a.example/x_(y)", "the docs"),
        ("reference", "https://r.example/", "ref text"),
        ("reference", "https://r.example/", "Ref"),
        ("autolink", "https://auto.example/z", "https://auto.example/z"),
        ("html", "/html", "html link"),
        ("html", "/block", "Block"),
    ]
    inline, ref, collapsed, auto, html, block = links
    assert lc(inline.span) == (1, 5, 1, 44) and at(text, inline.span) == (
        "[the docs](https://a.example/x_(y) 'T')"
    )
    assert at(text, inline.url_span) == "https://a.example/x_(y)"  # type: ignore[arg-type]
    assert inline.title == "T"
    assert at(text, ref.span) == "[ref text][Ref]" and ref.label == "Ref"
    assert ref.url_span is not None and lc(ref.url_span) == (6, 9, 6, 27)
    assert ref.title == "Title"
    assert at(text, collapsed.span) == "[Ref][]"
    assert at(text, auto.span) == "<https://auto.example/z>"
    assert lc(auto.url_span) == (2, 2, 2, 24)  # type: ignore[arg-type]
    assert at(text, html.span) == '<a href="/html">html <b>link</b></a>'
    assert lc(html.url_span) == (2, 39, 2, 44)  # type: ignore[arg-type]
    assert at(text, block.span) == "<a href='/block'>Block</a>"
    assert lc(block.url_span) == (4, 13, 4, 19)  # type: ignore[arg-type]
    (definition,) = body.definitions
    assert definition.label == "ref" and definition.url == "https://r.example/"
    assert definition.title == "Title"
    assert lc(definition.span) == (6, 1, 6, 36)
    assert at(text, definition.url_span) == "https://r.example/"


RAW_HTML = """\
<p><a title="x>y" href = '/q?a=1&amp;b=2'>Tom &amp; <b>Jerry</b></a></p>

<!-- <a href="/old/">x</a> <img src="/old.png"> -->

<picture>
<source srcset="/a.webp 1x, /b,c.webp 2x" type="image/webp">
<img SRC=/i.png alt="A &quot;B&quot;" srcset="/i@2x.png 2x">
</picture>

<video poster="/p.jpg" src="/v.mp4"><source src="/v.webm"></video>

Inline <iframe src="https://y.example/embed/x?si=abc"></iframe> <embed src=/e.swf>,
<!-- <a href="/gone/">y</a> --> <a href="/in">the *text*</a>. (an HTML block: no Markdown)

<script>document.write('<a href="/js/">');</script>
"""


def test_raw_html_links_with_exact_url_spans() -> None:
    text = RAW_HTML
    body = parse(text)
    got = [
        (lk.element, lk.url, lk.text, lc(lk.url_span), at(text, lk.span))  # type: ignore[arg-type]
        for lk in body.links
    ]
    assert got == [
        (
            "a",
            "/q?a=1&amp;b=2",  # as written: the span is what an edit replaces
            "Tom & Jerry",
            (1, 27, 1, 41),
            "<a title=\"x>y\" href = '/q?a=1&amp;b=2'>Tom &amp; <b>Jerry</b></a>",
        ),
        ("video", "/v.mp4", "", (10, 29, 10, 35), '<video poster="/p.jpg" src="/v.mp4">'),
        ("source", "/v.webm", "", (10, 50, 10, 57), '<source src="/v.webm">'),
        (
            "iframe",
            "https://y.example/embed/x?si=abc",
            "",
            (12, 21, 12, 53),
            '<iframe src="https://y.example/embed/x?si=abc">',
        ),
        ("embed", "/e.swf", "", (12, 76, 12, 82), "<embed src=/e.swf>"),
        ("a", "/in", "the *text*", (13, 42, 13, 45), '<a href="/in">the *text*</a>'),
    ]
    assert all(lk.kind == "html" for lk in body.links)
    assert body.links[0].title == "x>y"
    for lk in body.links:
        assert at(text, lk.url_span) == lk.url  # type: ignore[arg-type]
    # nothing from the comments or the script
    assert not any(lk.url in ("/old/", "/gone/", "/js/") for lk in body.links)


def test_raw_html_images_one_per_url() -> None:
    text = RAW_HTML
    body = parse(text)
    got = [(i.attribute, i.src, i.alt, lc(i.src_span), at(text, i.span)[:7]) for i in body.images]
    assert got == [
        ("srcset", "/a.webp", "", (6, 17, 6, 24), "<source"),
        ("srcset", "/b,c.webp", "", (6, 29, 6, 38), "<source"),
        ("src", "/i.png", 'A "B"', (7, 10, 7, 16), "<img SR"),
        ("srcset", "/i@2x.png", "", (7, 47, 7, 56), "<img SR"),
        ("poster", "/p.jpg", "", (10, 16, 10, 22), "<video "),
    ]
    for image in body.images:
        assert at(text, image.src_span) == image.src
        assert image.kind == "html"
    img = body.images[2]
    assert img.alt_span is not None and at(text, img.alt_span) == "A &quot;B&quot;"
    assert all(i.alt_span is None for i in body.images if i.attribute != "src")
    crlf = parse(text.replace("\n", "\r\n"))
    assert [lc(i.src_span) for i in crlf.images] == [lc(i.src_span) for i in body.images]
    assert [lc(lk.span) for lk in crlf.links] == [lc(lk.span) for lk in body.links]


def test_raw_html_tag_across_lines() -> None:
    text = "<figure>\n<img\n  alt=\"Two\nlines\"\n  src='/a b.png'>\n</figure>\n"
    for variant in (text, text.replace("\n", "\r\n")):
        (image,) = parse(variant).images
        assert (image.src, image.alt) == ("/a b.png", "Two\nlines")
        assert lc(image.src_span) == (5, 8, 5, 16) and lc(image.span) == (2, 1, 5, 18)
        assert at(variant, image.alt_span).split() == ["Two", "lines"]  # type: ignore[arg-type]


FOOTNOTES = """\
Claim[^1] and a second[^Note] with one missing[^gone].

[^1]: Reuters.
[^note]: Its first paragraph
goes on in a lazy line.

\tThe second *paragraph*, indented.

> Quoted[^q].
>
> [^q]: Defined inside the quote.

[^unused]:
    Text that starts on the next line.

Back to prose: `[^code]` and \\[^escaped].
"""


def test_footnotes_are_blocks_and_references_not_links() -> None:
    text = FOOTNOTES
    body = parse(text)
    assert [(f.label, lc(f.span), at(text, f.label_span)) for f in body.footnotes] == [
        ("1", (3, 1, 3, 15), "[^1]"),
        ("note", (4, 1, 7, 35), "[^note]"),
        ("q", (11, 3, 11, 34), "[^q]"),
        ("unused", (13, 1, 14, 39), "[^unused]"),
    ]
    assert [(r.label, lc(r.span)) for r in body.footnote_references] == [
        ("1", (1, 6, 1, 10)),
        ("Note", (1, 23, 1, 30)),
        ("gone", (1, 47, 1, 54)),
        ("q", (9, 9, 9, 13)),
    ]
    assert not body.links and not body.definitions and not body.undefined_references
    note = body.blocks[2]
    assert note.kind == "footnote" and note.attrs["label"] == "note"
    assert [(b.kind, at(text, b.span)) for b in note.children] == [
        ("paragraph", "Its first paragraph\ngoes on in a lazy line."),
        ("paragraph", "The second *paragraph*, indented."),
    ]
    quote = body.blocks[3]
    assert [b.kind for b in quote.children] == ["paragraph", "footnote"]
    # the notes are prose; the marks are not
    runs = [r.text for r in body.runs]
    assert "Reuters." in runs and "goes on in a lazy line." in runs
    assert "Text that starts on the next line." in runs
    assert not any("[^" in r for r in runs[:4])
    assert_runs_exact(text, body)
    mark = body.blocks[0].inlines[1]
    assert mark.kind == "footnote_ref" and mark.text == "1" and at(text, mark.span) == "[^1]"
    _same_positions(body, parse(text.replace("\n", "\r\n")))
    _same_positions(body, parse("\ufeff" + text), shift=1)


def test_footnote_definition_ends_where_its_indentation_does() -> None:
    text = "[^a]: One.\n\nNot indented: a paragraph of the post.\n\n[^b]: Two.\n- a list item\n"
    body = parse(text)
    assert [b.kind for b in body.blocks] == ["footnote", "paragraph", "footnote", "list"]
    assert [lc(f.span) for f in body.footnotes] == [(1, 1, 1, 11), (5, 1, 5, 11)]


def test_footnote_mark_after_an_exclamation_mark_is_no_image() -> None:
    text = "Not supported![^a] and ![alt](/i.png).\n\n[^a]: Note.\n"
    body = parse(text)
    assert [(r.label, lc(r.span)) for r in body.footnote_references] == [("a", (1, 15, 1, 19))]
    assert [i.src for i in body.images] == ["/i.png"]
    assert body.runs[0].text == "Not supported!"


TABLE = """\
Prices, as a paragraph line before the table:
| Model | Score \\| note | Cost |
|:------|:-----:|-----:|
| **Big** | the the | `a\\|b` |
| short |
A row without pipes
| one | two | three | dropped |

> | q |
> |---|
> | quoted cell |

Not | a table
---
"""


def test_pipe_tables_have_a_leaf_per_cell() -> None:
    text = TABLE
    body = parse(text)
    assert [b.kind for b in body.blocks] == ["paragraph", "table", "block_quote", "heading"]
    table = body.blocks[1]
    assert lc(table.span) == (2, 1, 7, 32) and table.attrs["align"] == ("left", "center", "right")
    rows = [[(at(text, c.span), lc(c.span)) for c in row.children] for row in table.children]
    assert rows == [
        [("Model", (2, 3, 2, 8)), ("Score \\| note", (2, 11, 2, 24)), ("Cost", (2, 27, 2, 31))],
        [("**Big**", (4, 3, 4, 10)), ("the the", (4, 13, 4, 20)), ("`a\\|b`", (4, 23, 4, 29))],
        [("short", (5, 3, 5, 8))],
        [("A row without pipes", (6, 1, 6, 20))],
        [("one", (7, 3, 7, 6)), ("two", (7, 9, 7, 12)), ("three", (7, 15, 7, 20))],
    ]
    assert [row.attrs["head"] for row in table.children] == [True, False, False, False, False]
    assert lc(table.children[1].span) == (4, 1, 4, 31)
    cells = [c for row in table.children for c in row.children]
    assert all(c.kind == "table_cell" for c in cells)
    assert [c.attrs["leaf"] for c in cells] == list(range(1, 12))
    # each cell is its own prose: runs never cross a pipe
    assert [(r.text, r.block) for r in body.runs if r.block in (2, 4, 5)] == [
        ("Score ", 2),
        (" note", 2),
        ("Big", 4),
        ("the the", 5),
    ]
    quoted = body.blocks[2].children[0]
    assert quoted.kind == "table" and at(text, quoted.children[1].children[0].span) == "quoted cell"
    assert body.blocks[3].attrs["style"] == "setext"  # one cell over `---`: a heading
    assert_runs_exact(text, body)
    _same_positions(body, parse(text.replace("\n", "\r\n")))


def test_undefined_references() -> None:
    text = "[a][missing] [Missing Too][] [b][known] `[c][code]` \\[d][esc] [e][]\n\n[known]: /k\n"
    body = parse(text)
    got = [(u.label, lc(u.span), at(text, u.span)) for u in body.undefined_references]
    assert got == [
        ("missing", (1, 1, 1, 13), "[a][missing]"),
        ("Missing Too", (1, 14, 1, 29), "[Missing Too][]"),
        ("e", (1, 63, 1, 68), "[e][]"),
    ]


def test_images_markdown_html_and_shortcodes() -> None:
    text = (
        '![Alt *text*](/img/a.png "Cap") and <img alt="B" src="/b.png">\n'
        "\n"
        '{{ image(src="/c.png", alt="C") }}\n'
        "\n"
        '{{< figure src=\'d.png\' alt="D" >}} `{{ image(src="/code.png") }}`\n'
        "\n"
        '<figure><img src="/e.png"></figure>\n'
    )
    body = parse(text)
    got = [(i.kind, i.src, i.alt, at(text, i.span)) for i in body.images]
    assert got == [
        ("markdown", "/img/a.png", "Alt text", '![Alt *text*](/img/a.png "Cap")'),
        ("html", "/b.png", "B", '<img alt="B" src="/b.png">'),
        ("shortcode", "/c.png", "C", '{{ image(src="/c.png", alt="C") }}'),
        ("shortcode", "d.png", "D", "{{< figure src='d.png' alt=\"D\" >}}"),
        ("html", "/e.png", "", '<img src="/e.png">'),
    ]
    md, html, zola, hugo, block = body.images
    assert lc(md.src_span) == (1, 15, 1, 25) and md.title == "Cap"
    assert md.alt_span is not None and at(text, md.alt_span) == "Alt *text*"
    assert lc(html.src_span) == (1, 55, 1, 61) and at(text, html.alt_span) == "B"  # type: ignore[arg-type]
    assert lc(zola.span) == (3, 1, 3, 35) and lc(zola.src_span) == (3, 15, 3, 21)
    assert lc(hugo.src_span) == (5, 17, 5, 22) and at(text, hugo.alt_span) == "D"  # type: ignore[arg-type]
    assert lc(block.src_span) == (7, 19, 7, 25) and block.alt_span is None
    # shortcodes are markup, not prose
    assert not any("{{" in r.text or "image(" in r.text for r in body.runs)


def test_suppressions() -> None:
    text = (
        "<!-- postlint-disable spelling, link-check -->\n"
        "\n"
        "Text <!-- postlint-disable-next-line readability --> more\n"
        "\n"
        "<!-- postlint-enable -->\n"
        "<!-- not a postlint-disable comment -->\n"
    )
    body = parse(text)
    got = [(s.action, s.rules, lc(s.span)) for s in body.suppressions]
    assert got == [
        ("disable", ("spelling", "link-check"), (1, 1, 1, 47)),
        ("disable-next-line", ("readability",), (3, 6, 3, 53)),
        ("enable", (), (5, 1, 5, 25)),
    ]
    kinds = [b.kind for b in body.blocks]
    assert kinds[0] == "html_comment"


def test_runs_split_at_escapes_entities_code_and_urls() -> None:
    text = "Fish \\*and\\* chips &amp; peas `code` [link text](http://u.example) end\nnext"
    body = parse(text)
    assert [(r.text, lc(r.span), r.block) for r in body.runs] == [
        ("Fish ", (1, 1, 1, 6), 0),
        ("and", (1, 8, 1, 11), 0),
        (" chips ", (1, 13, 1, 20), 0),
        (" peas ", (1, 25, 1, 31), 0),
        (" ", (1, 37, 1, 38), 0),
        ("link text", (1, 39, 1, 48), 0),
        (" end", (1, 67, 1, 71), 0),
        ("next", (2, 1, 2, 5), 0),
    ]
    assert_runs_exact(text, body)


def test_bare_urls_are_not_prose() -> None:
    text = "Read https://a.example/x_(y). Or (see www.b.example/p), then stop.\n"
    body = parse(text)
    assert [(r.text, lc(r.span)) for r in body.runs] == [
        ("Read ", (1, 1, 1, 6)),
        (". Or (see ", (1, 29, 1, 39)),
        ("), then stop.", (1, 54, 1, 67)),
    ]


def test_runs_share_leaf_numbering() -> None:
    text = "# Head\n\n> quoted *para*\n\n- item\n\n```\ncode\n```\n\nlast"
    body = parse(text)
    assert [(r.text, r.block) for r in body.runs] == [
        ("Head", 0),
        ("quoted ", 1),
        ("para", 1),
        ("item", 2),
        ("last", 3),
    ]


def test_nested_quotes_lists_and_lazy_lines() -> None:
    text = "> one\n> > two\n> lazy?\nlazy\n\n- a\n  - b\n\n    more b\n- c\n"
    body = parse(text)
    quote, lst = body.blocks
    assert lc(quote.span) == (1, 1, 4, 5)
    inner = quote.children[1]
    assert inner.kind == "block_quote" and lc(inner.span) == (2, 3, 4, 5)
    para = inner.children[0]
    assert lc(para.span) == (2, 5, 4, 5)
    assert [at(text, n.span) for n in para.inlines] == ["two", "\n> ", "lazy?", "\n", "lazy"]
    assert lst.kind == "list" and lst.attrs["ordered"] is False and lst.attrs["bullet"] == "-"
    first, last = lst.children
    assert lc(first.span) == (6, 1, 9, 11) and lc(last.span) == (10, 1, 10, 4)
    sub = first.children[1]
    assert sub.kind == "list" and lc(sub.children[0].span) == (7, 3, 9, 11)
    assert [lc(p.span) for p in sub.children[0].children] == [(7, 5, 7, 6), (9, 5, 9, 11)]
    assert_runs_exact(text, body)


def test_ordered_lists_number_items() -> None:
    text = "3) three\n4) four\n\n1. one\n1. two\n"
    first, second = parse(text).blocks
    assert first.attrs["ordered"] is True and first.attrs["start"] == 3
    assert first.attrs["bullet"] == ")"
    assert [i.attrs["number"] for i in first.children] == [3, 4]
    assert [lc(i.span) for i in first.children] == [(1, 1, 1, 9), (2, 1, 2, 8)]
    assert [i.attrs["number"] for i in second.children] == [1, 2]


def test_tabs_in_quotes_and_lists() -> None:
    text = ">\tquoted\ttab\n\n-\titem *x*\n\t- sub\n"
    body = parse(text)
    assert [(r.text, lc(r.span)) for r in body.runs] == [
        ("quoted\ttab", (1, 3, 1, 13)),
        ("item ", (3, 3, 3, 8)),
        ("x", (3, 9, 3, 10)),
        ("sub", (4, 4, 4, 7)),
    ]


def test_front_matter_offsets() -> None:
    front = '+++\ntitle = "x"\n+++\n'
    text = front + "Hello *you*\n"
    body = parse(text, len(front))
    (para,) = body.blocks
    assert lc(para.span) == (4, 1, 4, 12)
    assert [r.text for r in body.runs] == ["Hello ", "you"]


SAMPLE = """\
# Title

Intro with *em*, **strong**, `code`, [link](/x) and ![img](/i.png).
Second line &mdash; with \\_escapes\\_.

> Quote line
> > nested [ref][r]

- item one
- item two
  continued

1. first
2. second

<p><a href="/h">h</a></p>

<!-- postlint-disable-next-line spelling -->

{{ image(src="/s.png", alt="S") }}

[r]: /ref
"""


def _same_positions(a: Body, b: Body, shift: int = 0) -> None:
    left, right = all_spans(a), all_spans(b)
    assert [k for k, _ in left] == [k for k, _ in right]
    for (kind, x), (_, y) in zip(left, right, strict=True):
        assert lc(x) == lc(y), kind
        if shift:
            assert y.start == x.start + shift, kind


def test_crlf_variant_keeps_lines_and_columns() -> None:
    lf = parse(SAMPLE)
    crlf_text = SAMPLE.replace("\n", "\r\n")
    crlf = parse(crlf_text)
    _same_positions(lf, crlf)
    assert_runs_exact(crlf_text, crlf)
    # a span never swallows the CR of its line end
    for _, span in all_spans(crlf):
        assert not crlf_text[span.start : span.end].endswith("\r")


def test_bom_variant_shifts_offsets_not_columns() -> None:
    lf = parse(SAMPLE)
    bom_text = "\ufeff" + SAMPLE
    bom = parse(bom_text)
    _same_positions(lf, bom, shift=1)
    assert_runs_exact(bom_text, bom)
    crlf_bom = "\ufeff" + SAMPLE.replace("\n", "\r\n")
    _same_positions(lf, parse(crlf_bom))


def test_bom_before_front_matter() -> None:
    front = "\ufeff---\ntitle: x\n---\n"
    text = front + "Body *text*\r\n"
    body = parse(text, len(front))
    runs = [(r.text, lc(r.span)) for r in body.runs]
    assert runs == [("Body ", (4, 1, 4, 6)), ("text", (4, 7, 4, 11))]


def test_every_block_has_inlines_when_it_has_text() -> None:
    body = parse(SAMPLE)
    for block in walk(body.blocks):
        if block.kind in ("paragraph", "heading"):
            assert block.inlines, block


def generated_post(rng: random.Random, paragraphs: int) -> str:
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"]
    parts = []
    for i in range(paragraphs):
        sentence = " ".join(rng.choice(words) for _ in range(12))
        r = rng.random()
        if r < 0.2:
            sentence = f"*{sentence}* and **bold** \\* &amp; `code`"
        elif r < 0.4:
            sentence = f"- {sentence}\n  - nested [link](/l/{i}) text\n- second"
        elif r < 0.5:
            sentence = f"> {sentence}\n> > deeper ![alt](/a.png)\nlazy"
        elif r < 0.6:
            sentence = f"## Heading {i}\n\n{sentence}  \nbroken"
        elif r < 0.7:
            sentence = f"1. {sentence}\n\n   > quote in item\n\n2. [ref][r]"
        parts.append(sentence)
    parts.append("[r]: /ref")
    return "\n\n".join(parts) + "\n"


def test_runs_map_on_generated_post() -> None:
    text = generated_post(random.Random(7), 400)
    for variant in (text, text.replace("\n", "\r\n"), "\ufeff" + text):
        body = parse(variant)
        assert len(body.runs) > 1000
        assert_runs_exact(variant, body)
    _same_positions(parse(text), parse(text.replace("\n", "\r\n")))


# ---------------------------------------------------------------------------------------------
# Pathological inputs: each must finish (bounds are generous sanity limits, not benchmarks)

PATHOLOGICAL = {
    "nested quotes": ">" * 20_000 + " deep\n",
    "nested lists": "- " * 20_000 + "x\n",
    "nested lists by indent": "".join("  " * i + "- x\n" for i in range(500)),
    "mixed containers": "> - " * 10_000 + "x\n",
    "unmatched brackets": "[" * 50_000 + "\n",
    "unmatched stars": "*" * 50_000 + "\n",
    "spaced stars": "*a " * 50_000 + "\n",
    "unmatched backticks": "`" * 50_000 + "\n",
    "angle brackets": "<" * 50_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_finishes(name: str) -> None:
    text = PATHOLOGICAL[name]
    started = time.perf_counter()
    body = parse(text)
    assert time.perf_counter() - started < 60
    assert body.blocks
    assert_runs_exact(text, body)


def test_ten_megabyte_post() -> None:
    chunk = generated_post(random.Random(3), 60)
    text = chunk * (10_000_000 // len(chunk) + 1)
    started = time.perf_counter()
    body = parse(text)
    assert time.perf_counter() - started < 300
    assert len(body.runs) > 10_000
    assert at(text, body.runs[-1].span) == body.runs[-1].text


ATOMS = (
    "a",
    "b c",
    " ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](/u)",
    "][x]",
    "[x]: /d\n",
    "\\",
    "\\*",
    "&amp;",
    "&#35;",
    "<a href='/x'>",
    "</a>",
    "<img src=x>",
    "<!-- postlint-disable -->",
    "> ",
    "- ",
    "1. ",
    "  ",
    "\t",
    "#",
    "## ",
    "---\n",
    "```\n",
    "~~~",
    "<div>\n",
    "http://x.y",
    "<http://x.y>",
    '{{ image(src="/a") }}',
    "{#id}",
    "=\n",
    "    ",
    "é",
    '"',
    "[^1]",
    "[^1]: ",
    "[^x]:\n    note\n",
    "| a | b |\n",
    "|---|:-:|\n",
    "|",
)


def test_random_markdown_soup() -> None:
    """Random fragments: no crash, exact runs, same lines and columns in every variant."""
    rng = random.Random(11)
    for _ in range(300):
        text = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 50)))
        body = parse(text)
        assert_runs_exact(text, body)
        for _, span in all_spans(body):
            assert 0 <= span.start <= span.end <= len(text)
        _same_positions(body, parse(text.replace("\n", "\r\n")))
        _same_positions(body, parse("\ufeff" + text), shift=1)
        for block in walk(body.blocks):
            if block.kind in ("paragraph", "heading") and at(text, block.span).strip("# \t\n"):
                assert block.inlines, (text, block)
