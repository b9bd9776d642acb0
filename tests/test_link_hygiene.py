# ruff: noqa: E501  (expected messages are kept on one line each, as the report prints them)
"""Offline link hygiene: malformed targets, bare URLs, tracking parameters, http, vague text,
links to the site's own address and undefined references."""

from __future__ import annotations

from pathlib import Path

from postlint import api
from postlint.checks.links import malformed_reason, strip_tracking
from postlint.config import Config
from postlint.model import Diagnostic
from tests.conftest import write_site

HYGIENE = (
    "link-malformed",
    "link-bare-url",
    "link-tracking-params",
    "link-insecure",
    "link-vague-text",
    "link-self-absolute",
    "link-reference-undefined",
)


def run(
    tmp_path: Path, body: str, config: str = "", site_config: str | None = None
) -> list[Diagnostic]:
    text = '+++\ntitle = "Post"\n+++\n' + body
    kwargs = {} if site_config is None else {"site_config": site_config}
    root = write_site(tmp_path / "site", {"content/post.md": text}, config, **kwargs)  # type: ignore[arg-type]
    cfg = Config(select=HYGIENE)
    if config:
        import tomli

        from postlint.config import parse_config

        cfg = parse_config(tomli.loads(config), api.catalogue().families).with_overrides(
            select=HYGIENE
        )
    return api.run_paths([root / "content"], cfg, jobs=1).diagnostics


def show(found: list[Diagnostic], text: str) -> list[tuple[str, int, int, str, str]]:
    body = '+++\ntitle = "Post"\n+++\n' + text
    return [(d.rule, d.line, d.column, body[d.start : d.end], d.message) for d in found]


def fixed(found: list[Diagnostic], body: str, rule: str) -> str:
    text = '+++\ntitle = "Post"\n+++\n' + body
    edits = sorted(
        (e for d in found if d.rule == rule and d.fix for e in d.fix), key=lambda e: -e.span.start
    )
    for edit in edits:
        text = text[: edit.span.start] + edit.replacement + text[edit.span.end :]
    return text.split("+++\n", 2)[2]


MALFORMED = """\
[a](ttps://acme.dev) [b](htp://acme.dev) [c](mail-to:me@acme.dev) [d](mailtome@acme.dev)
[e](github.com/acme/tool) [f]() [g](https//acme.dev) [h](me@acme.dev) [i](www.acme.dev/x)
[broken](https://acme.dev/my page) and [paren](https://en.wikipedia.org/wiki/Foo_(bar) here.
<a href="htp://acme.dev/raw">raw</a> and [ref][r1] and [j](#).

Fine: [ok](https://en.wikipedia.org/wiki/Foo_(bar)) [tel](tel:+123) [img](image.png)
[md](other.md) a[i](x) [ftp](ftp://files.acme.dev) [s](<my notes.pdf>) [q](?page=2)
[hx](hxxp://defanged.example) [sc]({{ get_url(path="x") }})

[r1]: ttps://acme.dev/ref
"""


def test_malformed_targets(tmp_path: Path) -> None:
    found = [d for d in run(tmp_path, MALFORMED) if d.rule == "link-malformed"]
    assert show(found, MALFORMED) == [
        (
            "link-malformed",
            4,
            5,
            "ttps://acme.dev",
            "This link starts with `ttps:`, a misspelling of `https:`.",
        ),
        (
            "link-malformed",
            4,
            26,
            "htp://acme.dev",
            "This link starts with `htp:`, a misspelling of `http:`.",
        ),
        (
            "link-malformed",
            4,
            46,
            "mail-to:me@acme.dev",
            "This link starts with `mail-to:`, a misspelling of `mailto:`.",
        ),
        (
            "link-malformed",
            4,
            71,
            "mailtome@acme.dev",
            "This link needs a colon after `mailto`: write `mailto:` before the address.",
        ),
        (
            "link-malformed",
            5,
            5,
            "github.com/acme/tool",
            "This link starts with the domain `github.com` but no `https://`, so it links to a page of this site; write `https://github.com/acme/tool`.",
        ),
        (
            "link-malformed",
            5,
            27,
            "[f]()",
            "This link has an empty target; write the address it should lead to.",
        ),
        (
            "link-malformed",
            5,
            37,
            "https//acme.dev",
            "This link lacks the colon after `https`: write `https://`.",
        ),
        (
            "link-malformed",
            5,
            58,
            "me@acme.dev",
            "This link is an e-mail address without `mailto:`; write `mailto:me@acme.dev`.",
        ),
        (
            "link-malformed",
            5,
            75,
            "www.acme.dev/x",
            "This link starts with the domain `www.acme.dev` but no `https://`, so it links to a page of this site; write `https://www.acme.dev/x`.",
        ),
        (
            "link-malformed",
            6,
            1,
            "[broken](https://acme.dev/my page)",
            "This link has a space in its address, so it is shown as text and not as a link; write the space as `%20` or put the address in `<...>`.",
        ),
        (
            "link-malformed",
            6,
            40,
            "[paren](https://en.wikipedia.org/wiki/Foo_(bar)",
            "This link has unbalanced parentheses, so it is shown as text and not as a link.",
        ),
        (
            "link-malformed",
            7,
            10,
            "htp://acme.dev/raw",
            "This link starts with `htp:`, a misspelling of `http:`.",
        ),
        (
            "link-malformed",
            7,
            60,
            "#",
            "This link points at `#`, which leads nowhere; write the address it should lead to.",
        ),
        (
            "link-malformed",
            13,
            7,
            "ttps://acme.dev/ref",
            "This definition starts with `ttps:`, a misspelling of `https:`.",
        ),
    ]
    assert all(d.severity == "error" for d in found)


def test_a_reference_image_does_not_hide_a_broken_link(tmp_path: Path) -> None:
    """`![logo][l]` has no `](` of its own: counting it as one left the broken link's `](`
    accounted for, and the scan was skipped."""
    body = "![logo][l] and [docs](https://acme.dev/my page).\n\n[l]: /logo.png\n"
    found = [d for d in run(tmp_path, body) if d.rule == "link-malformed"]
    assert show(found, body) == [
        (
            "link-malformed",
            4,
            16,
            "[docs](https://acme.dev/my page)",
            "This link has a space in its address, so it is shown as text and not as a link; "
            "write the space as `%20` or put the address in `<...>`.",
        )
    ]


def test_malformed_reason_unit_cases() -> None:
    assert (
        malformed_reason("http:/acme.dev", "inline")
        == "needs exactly two slashes after `http:`; write `http://`"
    )
    assert malformed_reason("https:///acme.dev", "inline") is not None
    assert (
        malformed_reason("https://acme.dev/a b", "html")
        == "contains a space; write it as `%20` or remove it"
    )
    assert (
        malformed_reason("https://acme.dev/a_(b", "autolink")
        == "has unbalanced parentheses; check where the address ends"
    )
    for fine in ("main.cc", "Makefile.in", "run.pl", "logo.ai", "Foo.app", "talk.page"):
        assert malformed_reason(fine, "inline") is None, fine  # files, not domains
    for fine in (
        "https://acme.dev",
        "mailto:me@acme.dev",
        "/posts/x/",
        "../x/",
        "x.md",
        "notes.py",
        "#part",
        "sftp://h/x",
        "javascript:void(0)",
    ):
        assert malformed_reason(fine, "inline") is None, fine


def test_email_autolink_is_a_mailto_link(tmp_path: Path) -> None:
    """`<desk@example.org>` is a CommonMark e-mail autolink, rendered as `mailto:` (issue 12);
    the same address as a link destination still lacks its `mailto:`."""
    body = "Write to <desk@example.org> or [the desk](desk@example.org).\n"
    found = [d for d in run(tmp_path, body) if d.rule == "link-malformed"]
    assert show(found, body) == [
        (
            "link-malformed",
            4,
            43,
            "desk@example.org",
            "This link is an e-mail address without `mailto:`; write `mailto:desk@example.org`.",
        )
    ]
    assert malformed_reason("desk@example.org", "autolink") is None


BARE = """\
The slides are at https://slides.acme.dev/talk. Or (https://acme.dev/a_(b)) and www.acme.dev,
not http://localhost:8080/x, https://example.com/y, `https://code.acme.dev` or <https://ok.acme.dev>.
Nor [a linked page](https://link.acme.dev) or <a href="https://raw.acme.dev">raw</a>.

```
https://in-code.acme.dev
```
"""


def test_bare_urls_and_their_fix(tmp_path: Path) -> None:
    found = run(tmp_path, BARE)
    bare = [d for d in found if d.rule == "link-bare-url"]
    assert [
        (d.line, d.column, BARE.split("\n")[d.line - 4][d.column - 1 : d.end_column - 1])
        for d in bare
    ] == [
        (4, 19, "https://slides.acme.dev/talk"),
        (4, 53, "https://acme.dev/a_(b)"),
        (4, 81, "www.acme.dev"),
    ]
    assert bare[0].message == (
        "`https://slides.acme.dev/talk` is plain text, not a link; put it in `<...>` or give it "
        "link text."
    )
    assert fixed(found, BARE, "link-bare-url").split("\n")[0] == (
        "The slides are at <https://slides.acme.dev/talk>. Or (<https://acme.dev/a_(b)>) and "
        "[www.acme.dev](https://www.acme.dev),"
    )


BARE_EDGES = """\
A [note https://a.acme.dev/n] and https://b.acme.dev/m] here.
See https://c.acme.dev/x(the docs) and https://d.acme.dev/f_ and https://e.acme.dev/g*.
At &lt;https://f.acme.dev/e&gt; with https://g.acme.dev/q?a=1&amp;b=2 or https://h.acme.dev/a\\_b.
Then https://i.acme.dev/a*b* and *https://j.acme.dev/k*, and https://k.acme.dev/w?x=1.
A {{ figure(src="https://cdn.acme.dev/a.png") }} call and {% note(url="https://l.acme.dev") %}.
"""


def test_bare_url_fix_links_what_gfm_would_or_nothing(tmp_path: Path) -> None:
    """The fix wraps the address GFM's extended autolinks take (trailing punctuation and an
    entity left out); where only the writer knows where the address ends, there is no fix;
    an address inside a shortcode call is not prose."""
    found = [d for d in run(tmp_path, BARE_EDGES) if d.rule == "link-bare-url"]
    lines = BARE_EDGES.split("\n")
    assert [
        (d.line, d.column, lines[d.line - 4][d.column - 1 : d.end_column - 1], d.fix is not None)
        for d in found
    ] == [
        (4, 9, "https://a.acme.dev/n", True),  # the `]` closes the bracket opened before it
        (4, 35, "https://b.acme.dev/m", False),  # a `]` that opens nowhere: the writer's call
        (5, 5, "https://c.acme.dev/x(the", False),  # a `(` the address never closes
        (5, 40, "https://d.acme.dev/f", False),  # `_`: the address's, or emphasis?
        (5, 66, "https://e.acme.dev/g", False),
        (6, 8, "https://f.acme.dev/e", True),  # `&gt;` is not part of it
        (6, 38, "https://g.acme.dev/q?a=1&amp;b=2", False),  # an autolink keeps `&amp;`
        (6, 74, "https://h.acme.dev/a\\_b", False),  # and the backslash
        (7, 6, "https://i.acme.dev/a", False),  # the address goes on in italics
        (7, 35, "https://j.acme.dev/k", True),
        (7, 62, "https://k.acme.dev/w?x=1", True),
    ]
    assert fixed(found, BARE_EDGES, "link-bare-url").split("\n")[:4] == [
        "A [note <https://a.acme.dev/n>] and https://b.acme.dev/m] here.",
        "See https://c.acme.dev/x(the docs) and https://d.acme.dev/f_ and https://e.acme.dev/g*.",
        "At &lt;<https://f.acme.dev/e>&gt; with https://g.acme.dev/q?a=1&amp;b=2 or "
        "https://h.acme.dev/a\\_b.",
        "Then https://i.acme.dev/a*b* and *<https://j.acme.dev/k>*, and "
        "<https://k.acme.dev/w?x=1>.",
    ]


def test_hugo_linkify_makes_bare_urls_links(tmp_path: Path) -> None:
    hugo = 'baseURL = "https://example.org/"\n'
    assert run(tmp_path / "on", BARE, site_config=hugo) == []
    off = hugo + "[markup.goldmark.extensions]\nlinkify = false\n"
    assert (
        len([d for d in run(tmp_path / "off", BARE, site_config=off) if d.rule == "link-bare-url"])
        == 3
    )


TRACKING = """\
[t1](https://acme.dev/notes?v=2&utm_source=newsletter&utm_medium=email#fixes)
[t2](https://youtu.be/abc?si=XYZ) <a href="https://acme.dev/?fbclid=1&amp;q=2">x</a> [t3][r2]
[t4](https://acme.dev/?utm_campaign=x) [ok](https://acme.dev/?si=1&page=2) [t5][r2]

[r2]: https://acme.dev/?gclid=abc&mc_cid=1&mc_eid=2&id=7
"""


def test_tracking_parameters_and_their_fix(tmp_path: Path) -> None:
    found = [d for d in run(tmp_path, TRACKING) if d.rule == "link-tracking-params"]
    assert [(d.line, d.column, d.message) for d in found] == [
        (
            4,
            6,
            "This link carries the tracking parameters `utm_source` and `utm_medium`; remove them.",
        ),
        (5, 6, "This link carries the tracking parameter `si`; remove it."),
        (5, 44, "This link carries the tracking parameter `fbclid`; remove it."),
        (6, 6, "This link carries the tracking parameter `utm_campaign`; remove it."),
        (
            8,
            7,
            "This link carries the tracking parameters `gclid`, `mc_cid` and `mc_eid`; remove them.",
        ),
    ]
    assert all(d.fix_safe for d in found)
    assert fixed(found, TRACKING, "link-tracking-params") == (
        "[t1](https://acme.dev/notes?v=2#fixes)\n"
        '[t2](https://youtu.be/abc) <a href="https://acme.dev/?q=2">x</a> [t3][r2]\n'
        "[t4](https://acme.dev/) [ok](https://acme.dev/?si=1&page=2) [t5][r2]\n\n"
        "[r2]: https://acme.dev/?id=7\n"
    )


TRACKING_HTML = """\
<a href="https://acme.dev/p?a=1&amp;utm_source=x&amp;b=2">p</a> and
<a href="https://acme.dev/q?a=1&#38;fbclid=z#top">q</a>, <a href="https://acme.dev/r?id=3&amp;x=4">r</a>.
"""


def test_tracking_parameters_in_html_keep_the_entity_form(tmp_path: Path) -> None:
    """In HTML `&` is written `&amp;` (or `&#38;`): a tracking parameter after one is found,
    and the fix keeps the entities of the parameters that stay."""
    found = [d for d in run(tmp_path, TRACKING_HTML) if d.rule == "link-tracking-params"]
    assert show(found, TRACKING_HTML) == [
        (
            "link-tracking-params",
            4,
            10,
            "https://acme.dev/p?a=1&amp;utm_source=x&amp;b=2",
            "This link carries the tracking parameter `utm_source`; remove it.",
        ),
        (
            "link-tracking-params",
            5,
            10,
            "https://acme.dev/q?a=1&#38;fbclid=z#top",
            "This link carries the tracking parameter `fbclid`; remove it.",
        ),
    ]
    assert fixed(found, TRACKING_HTML, "link-tracking-params") == (
        '<a href="https://acme.dev/p?a=1&amp;b=2">p</a> and\n'
        '<a href="https://acme.dev/q?a=1#top">q</a>, <a href="https://acme.dev/r?id=3&amp;x=4">r</a>.\n'
    )


def test_strip_tracking_keeps_order_and_fragment() -> None:
    assert strip_tracking("https://a.dev/?a=1&utm_x=2&b=3#f") == (
        "https://a.dev/?a=1&b=3#f",
        ["utm_x"],
    )
    assert strip_tracking("https://a.dev/#?utm_source=x") == ("https://a.dev/#?utm_source=x", [])
    assert strip_tracking("https://a.dev/?UTM_Source=x") == ("https://a.dev/", ["UTM_Source"])
    assert strip_tracking("https://a.dev/?utm_a=1&amp;b=2&c=3") == (
        "https://a.dev/?b=2&c=3",
        ["utm_a"],
    )
    assert strip_tracking("https://a.dev/?a=1&#x26;utm&#95;b=2&#x26;c=3") == (
        "https://a.dev/?a=1&#x26;c=3",
        ["utm_b"],
    )


INSECURE = """\
[i1](http://spec.acme.dev/v1) [i2](http://localhost:1313/) <http://old.acme.dev>
[i3](http://legacy.corp.dev/x) [i4](http://archive.org/web/) [ok](https://spec.acme.dev/)
"""


def test_insecure_links_with_allow_list(tmp_path: Path) -> None:
    config = '[links]\ninsecure-allow = ["corp.dev", "http://archive.org/web"]\n'
    found = [d for d in run(tmp_path, INSECURE, config) if d.rule == "link-insecure"]
    assert [(d.line, d.column, d.message) for d in found] == [
        (4, 6, "This link uses insecure `http://`; use `https://` if `spec.acme.dev` supports it."),
        (4, 61, "This link uses insecure `http://`; use `https://` if `old.acme.dev` supports it."),
    ]
    assert all(d.fix_safe is False for d in found)
    assert fixed(found, INSECURE, "link-insecure").split("\n")[0] == (
        "[i1](https://spec.acme.dev/v1) [i2](http://localhost:1313/) <https://old.acme.dev>"
    )
    everything = [d for d in run(tmp_path / "all", INSECURE) if d.rule == "link-insecure"]
    assert len(everything) == 4


VAGUE = """\
[here](https://acme.dev/a), [Click here!](https://acme.dev/b), [read more →](https://acme.dev/c),
<a href="https://acme.dev/d">this</a>, [the benchmark](https://acme.dev/e), [Here's how](https://acme.dev/f).
"""


def test_vague_link_text(tmp_path: Path) -> None:
    found = [d for d in run(tmp_path, VAGUE) if d.rule == "link-vague-text"]
    assert show(found, VAGUE) == [
        (
            "link-vague-text",
            4,
            1,
            "[here](https://acme.dev/a)",
            "The link text “here” does not say where the link leads; use words that describe the target.",
        ),
        (
            "link-vague-text",
            4,
            29,
            "[Click here!](https://acme.dev/b)",
            "The link text “Click here!” does not say where the link leads; use words that describe the target.",
        ),
        (
            "link-vague-text",
            4,
            64,
            "[read more →](https://acme.dev/c)",
            "The link text “read more →” does not say where the link leads; use words that describe the target.",
        ),
        (
            "link-vague-text",
            5,
            1,
            '<a href="https://acme.dev/d">this</a>',
            "The link text “this” does not say where the link leads; use words that describe the target.",
        ),
    ]


SELF = """\
[s1](https://example.org/about/#x) <https://www.example.org/> [s2](http://example.org/posts/?q=1)
[ok](https://example.org.evil.dev/) [ok2](https://sub.example.org/) [ok3](/about/)

[s3]: https://WWW.Example.org
"""


def test_self_absolute_links_and_their_fix(tmp_path: Path) -> None:
    found = [d for d in run(tmp_path, SELF) if d.rule == "link-self-absolute"]
    assert [(d.line, d.column, d.message) for d in found] == [
        (
            4,
            6,
            "This link spells out the site's own address; write the site-relative `/about/#x` so it works in previews and after a move.",
        ),
        (
            4,
            37,
            "This link spells out the site's own address; write the site-relative `/` so it works in previews and after a move.",
        ),
        (
            4,
            68,
            "This link spells out the site's own address; write the site-relative `/posts/?q=1` so it works in previews and after a move.",
        ),
        (
            7,
            7,
            "This link spells out the site's own address; write the site-relative `/` so it works in previews and after a move.",
        ),
    ]
    assert [d.fix_safe for d in found] == [False, None, False, False]
    # advice, not a defect: a theme's imported README must also work on GitHub (issue 12)
    assert {d.severity for d in found} == {"info"}
    assert fixed(found, SELF, "link-self-absolute") == (
        "[s1](/about/#x) <https://www.example.org/> [s2](/posts/?q=1)\n"
        "[ok](https://example.org.evil.dev/) [ok2](https://sub.example.org/) [ok3](/about/)\n\n"
        "[s3]: /\n"
    )


REFERENCES = """\
See [the docs][doc], [text][missing], [collapsed][] and [fine][docs].
Not links: [x] done, [ ] todo, [1] a citation, [^note] a footnote, \\[a][b] escaped, `[c][d]`.

[docs]: https://acme.dev/docs
[^note]: A note.
"""


def test_undefined_references(tmp_path: Path) -> None:
    found = [d for d in run(tmp_path, REFERENCES) if d.rule == "link-reference-undefined"]
    assert show(found, REFERENCES) == [
        (
            "link-reference-undefined",
            4,
            5,
            "[the docs][doc]",
            "No definition `[doc]: URL` exists for this reference link, so it shows as plain text; add the definition or fix the label (did you mean `[docs]`?).",
        ),
        (
            "link-reference-undefined",
            4,
            22,
            "[text][missing]",
            "No definition `[missing]: URL` exists for this reference link, so it shows as plain text; add the definition or fix the label.",
        ),
        (
            "link-reference-undefined",
            4,
            39,
            "[collapsed][]",
            "No definition `[collapsed]: URL` exists for this reference link, so it shows as plain text; add the definition or fix the label.",
        ),
    ]


def test_prose_and_code_are_left_alone(tmp_path: Path) -> None:
    body = (
        "Plain prose with no links at all, an [aside] in brackets and f(x) maths.\n\n"
        "```markdown\n[here](http://acme.dev/?utm_source=x) https://acme.dev [a][b]\n```\n\n"
        "    [here](ttps://indented.code)\n\n"
        "<!-- [here](http://comment.acme.dev) https://comment.acme.dev -->\n"
    )
    assert run(tmp_path, body) == []


def test_own_site_http_link_is_self_absolute_not_insecure(tmp_path: Path) -> None:
    config = 'base_url = "https://field-notes.dev"\n'
    body = "[old](http://field-notes.dev/about/) [other](http://other-notes.dev/)\n"
    found = run(tmp_path, body, site_config=config)
    assert [(d.rule, d.column) for d in found] == [
        ("link-self-absolute", 7),
        ("link-insecure", 46),
    ]


def test_self_absolute_fix_through_the_cli(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    config = 'base_url = "https://field-notes.dev"\n'
    body = (
        "Back to [the start](https://field-notes.dev/) and [the about page][about].\n\n"
        "[about]: http://www.field-notes.dev/about/#me\n"
    )
    root = write_site(
        tmp_path / "s",
        {"content/post.md": '+++\ntitle = "P"\n+++\n' + body},
        "",
        site_config=config,
    )
    safe = run_cli(
        "check", "content", "--no-cache", "--select", "link-self-absolute", "--fix", cwd=root
    )
    assert "link-self-absolute" in safe.stdout  # unsafe: not applied without --unsafe-fixes
    assert (root / "content/post.md").read_text().endswith(body)
    result = run_cli(
        "check",
        "content",
        "--no-cache",
        "--select",
        "link-self-absolute",
        "--fix",
        "--unsafe-fixes",
        cwd=root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "content/post.md").read_text() == (
        '+++\ntitle = "P"\n+++\n'
        "Back to [the start](/) and [the about page][about].\n\n"
        "[about]: /about/#me\n"
    )
