"""Author sections: forms, spans, the name heuristic and rosters."""

from __future__ import annotations

from postlint.authors import find_author_sections, looks_like_name
from postlint.markdown import parse_body
from postlint.model import AuthorForm, AuthorSection, LineIndex, Span


def sections(text: str, roster: tuple[str, ...] = (), body_start: int = 0) -> list[AuthorSection]:
    lines = LineIndex(text)
    body = parse_body(text, body_start, lines)
    return list(find_author_sections(text, body.blocks, lines, roster))


def lc(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def at(text: str, span: Span) -> str:
    return text[span.start : span.end]


BOLD_POST = """\
**Asha Rao**

Opening thoughts with **bold** words.

**Big Tech**

A bold lead-in that looks like a name, in the middle of a section.

**Stray thoughts:**

1. A list after a lead-in.

---

**Bilal**

Second section.

**Note**

Thanks for reading!
"""


def test_bold_lines_and_sign_offs() -> None:
    text = BOLD_POST
    found = sections(text)
    assert [(s.author, s.title) for s in found] == [("Asha Rao", ""), ("Bilal", "")]
    asha, bilal = found
    assert asha.form == AuthorForm("bold", 0, "", False)
    assert lc(asha.line_span) == (1, 1, 1, 13) and at(text, asha.line_span) == "**Asha Rao**"
    assert lc(asha.name_span) == (1, 3, 1, 11) and at(text, asha.name_span) == "Asha Rao"
    # the section runs to the last block before the next author line: the thematic break
    assert lc(asha.span) == (1, 1, 13, 4)
    assert lc(bilal.name_span) == (15, 3, 15, 8)
    # "**Note**" and the sign-off stay inside the last section
    assert lc(bilal.span) == (15, 1, 21, 20)


HEADING_POST = """\
## Bilal—On tariffs

Text.

---

## Chen — Chips and more

Text.

---

## Dara - Rates

### **Emeka** — Bonds

### *Farah—Housing*

## Background

Ordinary section heading, not an author.

---

## Goran

Last.
"""


def test_heading_forms() -> None:
    text = HEADING_POST
    found = sections(text)
    got = [(s.author, s.title, s.form) for s in found]
    assert got == [
        ("Bilal", "On tariffs", AuthorForm("heading", 2, "—", False)),
        ("Chen", "Chips and more", AuthorForm("heading", 2, " — ", False)),
        ("Dara", "Rates", AuthorForm("heading", 2, " - ", False)),
        ("Emeka", "Bonds", AuthorForm("heading", 3, " — ", True)),
        ("Farah", "Housing", AuthorForm("heading", 3, "—", True)),
        ("Goran", "", AuthorForm("heading", 2, "", False)),
    ]
    bilal, chen, dara, emeka, farah, goran = found
    assert lc(bilal.name_span) == (1, 4, 1, 9)
    assert lc(chen.line_span) == (7, 1, 7, 25) and lc(chen.name_span) == (7, 4, 7, 8)
    assert lc(dara.span) == (13, 1, 13, 16)
    assert lc(emeka.name_span) == (15, 7, 15, 12) and lc(emeka.span) == (15, 1, 15, 22)
    assert lc(farah.name_span) == (17, 6, 17, 11)
    # "## Background" is no author: Farah's section runs on to the break before Goran
    assert lc(farah.span) == (17, 1, 23, 4)
    assert lc(goran.span) == (25, 1, 27, 6)


def test_plain_heading_needs_a_break_or_the_start() -> None:
    text = "Intro.\n\n## China Rising\n\nText.\n\n---\n\n## Hana\n\nText.\n"
    assert [s.author for s in sections(text)] == ["Hana"]


def test_roster_is_exact() -> None:
    text = "## China Rising\n\nText.\n\n**pranav**\n\nMore.\n\n**Note**\n\n## Krishna — Title\n"
    found = sections(text, roster=("Pranav", "Krishna"))
    assert [(s.author, s.title) for s in found] == [("pranav", ""), ("Krishna", "Title")]
    assert lc(found[0].span) == (5, 1, 9, 9)


def test_crlf_and_front_matter() -> None:
    front = '+++\r\ntitle = "x"\r\n+++\r\n'
    text = front + "**Asha**\r\n\r\nText.\r\n\r\n---\r\n\r\n**Bilal**\r\n\r\nMore.\r\n"
    found = sections(text, body_start=len(front))
    assert [s.author for s in found] == ["Asha", "Bilal"]
    assert lc(found[0].name_span) == (4, 3, 4, 7)
    assert lc(found[0].span) == (4, 1, 8, 4)
    assert lc(found[1].span) == (10, 1, 12, 6)


def test_colon_and_multi_line_bold_are_not_authors() -> None:
    text = "**Pranav:**\n\nText.\n\n**Two\nlines**\n\nText.\n"
    assert sections(text) == []


def test_looks_like_name() -> None:
    assert looks_like_name("Pranav")
    assert looks_like_name("Asha Rao")
    assert looks_like_name("Ludwig van Beethoven")
    assert looks_like_name("J. R. Tolkien")
    assert not looks_like_name("Note")
    assert not looks_like_name("Stray thoughts")
    assert not looks_like_name("Thanks for reading!")
    assert not looks_like_name("The Big Picture")
    assert not looks_like_name("One Two Three Four")
    assert not looks_like_name("Pranav:")
    assert not looks_like_name("lowercase")
