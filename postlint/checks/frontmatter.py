"""Front matter and files: what the site generator needs before it can build the page at all."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any

from postlint.index import route
from postlint.model import Finding, Fix, Post, Span
from postlint.rule import Context, Example, Family, Option, Rule

GOOD_POST = '+++\ntitle = "Hello"\n+++\nHello.\n'

ZOLA_PAGE_KEYS = frozenset(
    [
        "title",
        "description",
        "date",
        "updated",
        "weight",
        "draft",
        "render",
        "slug",
        "path",
        "aliases",
        "authors",
        "in_search_index",
        "template",
        "taxonomies",
        "extra",
    ]
)
ZOLA_SECTION_KEYS = frozenset(
    [
        "title",
        "description",
        "draft",
        "sort_by",
        "weight",
        "template",
        "page_template",
        "paginate_by",
        "paginate_path",
        "paginate_reversed",
        "insert_anchor_links",
        "in_search_index",
        "render",
        "redirect_to",
        "transparent",
        "aliases",
        "generate_feed",
        "generate_feeds",
        "extra",
    ]
)
HUGO_KEYS = frozenset(
    [
        "aliases",
        "audio",
        "build",
        "cascade",
        "date",
        "description",
        "draft",
        "expiryDate",
        "headless",
        "images",
        "isCJKLanguage",
        "keywords",
        "lastmod",
        "layout",
        "linkTitle",
        "markup",
        "menu",
        "menus",
        "outputs",
        "params",
        "publishDate",
        "resources",
        "sitemap",
        "slug",
        "summary",
        "title",
        "translationKey",
        "type",
        "url",
        "videos",
        "weight",
        "tags",
        "categories",
        "series",
        "author",
        "authors",
        "toc",
    ]
)
COMMON_EXTRA_KEYS = ("author", "authors", "image", "cover", "toc", "comments", "math", "summary")


def _is_date_like(value: Any) -> bool:
    return isinstance(value, (dt.date, dt.datetime, str))


def parse_date(value: Any) -> dt.date | None:
    """A front matter date as a date, or None when it does not parse."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        for candidate in (text, text.replace(" ", "T", 1)):
            try:
                return dt.datetime.fromisoformat(candidate).date()
            except ValueError:
                continue
    return None


class FrontMatterMissing(Rule):
    """
    ## What it does
    Flags a post that has no front matter block.

    ## Why is this bad?
    Zola refuses to build a page without front matter, and Hugo publishes it with no title.

    ## Example
    ```markdown
    # My post
    ```

    Use instead:
    ```markdown
    +++
    title = "My post"
    +++
    ```
    """

    code = "FM001"
    name = "frontmatter-missing"
    summary = "The post has no front matter"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        if post.front_matter is None and post.text.strip("\ufeff \t\r\n"):
            first = post.text.find("\n")
            end = len(post.text) if first < 0 else first
            yield self.finding(
                post.span(0, end),
                "This post has no front matter: start it with a `+++` block holding at least "
                "its title.",
            )


class FrontMatterInvalid(Rule):
    """
    ## What it does
    Flags front matter that does not parse, at the line the parser names.

    ## Why is this bad?
    The site generator stops the build (Zola) or drops every field (Hugo).

    ## Example
    ```markdown
    +++
    title = "Unclosed
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Closed"
    +++
    ```
    """

    code = "FM002"
    name = "frontmatter-invalid"
    summary = "The front matter does not parse"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        fm = post.front_matter
        if fm is not None and fm.error is not None:
            yield self.finding(fm.error.span, fm.error.message)


class FrontMatterLeadingLines(Rule):
    """
    ## What it does
    Flags blank lines before the opening front matter delimiter.

    Zola skips whitespace before the front matter, so nothing is reported on a Zola site.

    ## Why is this bad?
    Some generators only recognise front matter on the very first line; others accept it. The
    post renders differently depending on the tool.

    ## Example
    ```markdown

    +++
    title = "Hello"
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Hello"
    +++
    ```
    """

    code = "FM003"
    name = "frontmatter-leading-lines"
    summary = "Blank lines before the front matter"
    severity = "warning"
    fixable = True

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad, good = super().examples()
        hugo = {"hugo.toml": 'baseURL = "https://example.org/"\n'}  # Zola would accept it
        return Example({**bad.files, **hugo}), Example({**good.files, **hugo})

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        fm = post.front_matter
        if ctx.site.generator == "zola":
            return  # Zola's front matter pattern starts with `^[[:space:]]*`
        if fm is not None and fm.leading_junk is not None:
            junk = fm.leading_junk
            yield self.finding(
                junk,
                "Blank lines come before the front matter: it should start on the first line.",
                Fix((post.edit(junk.start, junk.end, ""),)),
            )


class FieldMissing(Rule):
    """
    ## What it does
    Flags a required front matter field that is missing (by default `title`).

    ## Why is this bad?
    Listings, feeds and the page's `<title>` come out empty.

    ## Options
    `required` in `[frontmatter]`: the fields every post must have. A Zola page whose file name
    starts with a date (`2024-05-01-name.md`) has its `date` from the name.

    ## Example
    ```markdown
    +++
    date = 2024-05-01
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Spring notes"
    date = 2024-05-01
    +++
    ```
    """

    code = "FM004"
    name = "frontmatter-field-missing"
    summary = "A required front matter field is missing"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        fm = post.front_matter
        if fm is None or fm.error is not None or _is_section(post):
            return
        for field in ctx.options["required"]:
            if _lookup(fm.data, field) is not None:
                continue
            if field == "date" and ctx.site.generator == "zola" and _date_in_name(post.path):
                continue
            yield self.finding(
                _opening_line(post),
                f"The front matter has no `{field}`, which this site requires.",
            )


class FieldType(Rule):
    """
    ## What it does
    Flags front matter fields whose value has the wrong type: a date that is not a date, tags
    that are not a list of strings, `draft` that is not `true` or `false`.

    ## Why is this bad?
    Zola refuses to build; Hugo silently ignores the field, so the post is misdated or untagged.

    ## Example
    ```markdown
    +++
    title = "Hello"
    draft = "yes"
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Hello"
    draft = true
    +++
    ```
    """

    code = "FM005"
    name = "frontmatter-field-type"
    summary = "A front matter field has the wrong type"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        fm = post.front_matter
        if fm is None or fm.error is not None:
            return
        data = fm.data
        for key in ("date", "updated", "lastmod", "publishDate", "expiryDate"):
            if key in data and not _is_date_like(data[key]):
                yield self.finding(
                    fm.key_span(key),
                    f"`{key}` should be a date such as 2024-05-01, not {_describe(data[key])}.",
                )
        for key in ("title", "description", "slug", "path"):
            if key in data and not isinstance(data[key], str):
                yield self.finding(
                    fm.key_span(key), f"`{key}` should be a string, not {_describe(data[key])}."
                )
        for key in ("draft",):
            if key in data and not isinstance(data[key], bool):
                yield self.finding(
                    fm.key_span(key),
                    f"`{key}` should be true or false, not {_describe(data[key])}.",
                )
        for key in ("weight",):
            if key in data and (isinstance(data[key], bool) or not isinstance(data[key], int)):
                yield self.finding(
                    fm.key_span(key),
                    f"`{key}` should be a whole number, not {_describe(data[key])}.",
                )
        taxonomies = data.get("taxonomies")
        if "taxonomies" in data and not isinstance(taxonomies, dict):
            yield self.finding(fm.key_span("taxonomies"), "`taxonomies` should be a table.")
        lists = [
            ("aliases", data.get("aliases")),
            ("tags", data.get("tags")),
            ("categories", data.get("categories")),
        ]
        if isinstance(taxonomies, dict):
            lists += [(f"taxonomies.{name}", value) for name, value in taxonomies.items()]
        for key, value in lists:
            if value is None:
                continue
            if not isinstance(value, list):
                yield self.finding(
                    fm.key_span(key),
                    f'`{key}` should be a list of strings such as ["News"], '
                    f"not {_describe(value)}.",
                )
                continue
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    yield self.finding(
                        fm.key_span(f"{key}[{index}]"),
                        f"Every entry of `{key}` should be a string, not {_describe(item)}.",
                    )


class FieldUnknown(Rule):
    """
    ## What it does
    Flags front matter keys the site generator rejects or that are misspelled: a key close to a
    known one (`descriotion`), a table in the wrong case (`[Extra]`), and any unknown key on a
    Zola section (`_index.md`), which Zola refuses to build. An unknown key on a Zola page that
    is not a misspelling is `frontmatter-field-ignored`'s.

    ## Why is this bad?
    Zola refuses unknown keys on sections; a misspelled key silently does nothing: the
    description, date or template the writer set never reaches the page.

    ## Options
    `extra-keys` in `[frontmatter]`: more top-level keys your theme reads.

    ## Example
    ```markdown
    +++
    title = "Hello"
    descriotion = "A greeting"
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Hello"
    description = "A greeting"
    +++
    ```
    """

    code = "FM006"
    name = "frontmatter-field-unknown"
    summary = "A front matter key the generator does not know"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for span, message, ignored in _unknown_keys(post, ctx):
            if not ignored:
                yield self.finding(span, message)


class FieldIgnored(Rule):
    """
    ## What it does
    Flags a key on a Zola page that Zola does not know and ignores (`author`, `image`,
    `summary`): it is not an error, since the page builds, but no template sees the value.
    Misspelled keys and unknown keys on sections are `frontmatter-field-unknown`'s.

    ## Why is this bad?
    The writer set a field that does nothing: themes read custom fields from `[extra]`.

    ## Options
    `extra-keys` in `[frontmatter]`: more top-level keys your theme reads.

    ## Example
    ```markdown
    +++
    title = "Hello"
    cover = "/images/cover.png"
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Hello"

    [extra]
    cover = "/images/cover.png"
    +++
    ```
    """

    code = "FM008"
    name = "frontmatter-field-ignored"
    summary = "A front matter key Zola ignores on a page"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        for span, message, ignored in _unknown_keys(post, ctx):
            if ignored:
                yield self.finding(span, message)


def _unknown_keys(post: Post, ctx: Context) -> list[tuple[Span, str, bool]]:
    """Each unknown key: its span, the message, and whether the generator simply ignores it
    (an unknown key on a Zola page) rather than refusing it or it being a misspelling."""
    fm = post.front_matter
    if fm is None or fm.error is not None:
        return []
    generator = ctx.site.generator
    hugo = generator == "hugo" or (generator == "plain" and fm.format == "yaml")
    section = _is_section(post)
    zola = ZOLA_SECTION_KEYS if section else ZOLA_PAGE_KEYS
    known = (HUGO_KEYS if hugo else zola) | frozenset(ctx.options["extra-keys"])
    extra = fm.data.get("extra")
    extra_keys = set(extra) if isinstance(extra, dict) else set()
    found = []
    for key in fm.data:
        if key in known:
            continue
        misspelt = _misspelt(key, known)
        if misspelt and not (not hugo and not section and key in COMMON_EXTRA_KEYS):
            found.append((fm.key_span(key), misspelt, False))
        elif hugo:
            continue  # Hugo keeps unknown keys for templates (.Params)
        elif section:
            found.append((fm.key_span(key), _refused(key, extra_keys), False))
        else:
            found.append((fm.key_span(key), _ignored(key, known), True))
    return found


def _misspelt(key: str, known: frozenset[str]) -> str:
    folded = {k.lower(): k for k in known}
    if key.lower() in folded:
        right = folded[key.lower()]
        return f"`{key}` is written `{right}`: keys are case-sensitive."
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    if close:
        return f"Unknown front matter key `{key}`: did you mean `{close[0]}`?"
    return ""


def _refused(key: str, extra_keys: set[str]) -> str:
    if key in extra_keys or key in COMMON_EXTRA_KEYS:
        return f"`{key}` is not a Zola field: move it under `[extra]`, where themes read it."
    return (
        f"Unknown front matter key `{key}`: Zola refuses it on a section; custom fields go "
        "under `[extra]`."
    )


def _ignored(key: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    also = f" (or did you mean `{close[0]}`?)" if close else ""
    return (
        f"Zola ignores `{key}` on a page, so no template sees it: move it under `[extra]`, "
        f"where themes read custom fields{also}."
    )


class FrontMatterDate(Rule):
    """
    ## What it does
    Flags a date string that does not parse, and a date in the future on a post that is not
    marked as a draft.

    ## Why is this bad?
    An unparseable date stops the build or sorts the post wrongly; a future date usually means
    a typo in the year, and the post is hidden until then.

    ## Options
    `allow-future` in `[frontmatter]` (default false).

    ## Example
    ```markdown
    +++
    title = "Hello"
    date = "2024-13-01"
    +++
    ```

    Use instead:
    ```markdown
    +++
    title = "Hello"
    date = 2024-12-01
    +++
    ```
    """

    code = "FM007"
    name = "frontmatter-date"
    summary = "An unparseable or future date"
    severity = "error"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        fm = post.front_matter
        if fm is None or fm.error is not None:
            return
        for key in ("date", "updated", "lastmod", "publishDate"):
            value = fm.data.get(key)
            if value is None or not _is_date_like(value):
                continue
            date = parse_date(value)
            if date is None:
                yield self.finding(
                    fm.key_span(key),
                    f'`{key}` is "{value}", which is not a date: write it as YYYY-MM-DD.',
                )
            elif (
                key == "date"
                and not ctx.options["allow-future"]
                and date > dt.date.today()
                and fm.data.get("draft") is not True
            ):
                yield self.finding(
                    fm.key_span(key),
                    f"`date` is {date.isoformat()}, in the future, but the post is not a draft: "
                    "check the year, or set `draft = true`.",
                )


class FileBom(Rule):
    """
    ## What it does
    Flags a UTF-8 byte order mark at the start of the file.

    ## Why is this bad?
    Generators that look for `+++` on the first byte miss the front matter, and the invisible
    character can end up in the page.

    ## Example
    A file that starts with the bytes `EF BB BF` before `+++`.

    Use instead: the same file saved as UTF-8 without a BOM (`postlint check --fix` removes it).
    """

    code = "FM101"
    name = "file-bom"
    summary = "The file starts with a UTF-8 byte order mark"
    severity = "warning"
    fixable = True

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        if post.bom:
            span = post.span(0, 1)
            yield self.finding(
                span,
                "The file starts with an invisible byte order mark (BOM): save it as UTF-8 "
                "without BOM.",
                Fix((post.edit(0, 1, ""),)),
            )

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad = Example({"content/post.md": "\ufeff" + GOOD_POST})
        return bad, Example({"content/post.md": GOOD_POST})


class FileEncoding(Rule):
    """
    ## What it does
    Flags a file that is not valid UTF-8, at the first byte that does not decode.

    ## Why is this bad?
    The generator refuses the file or shows replacement characters on the page.

    ## Example
    A post saved as Windows-1252, where `é` is the single byte `E9`.

    Use instead: the same post saved as UTF-8.
    """

    code = "FM102"
    name = "file-encoding"
    summary = "The file is not valid UTF-8"
    severity = "error"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad = Example({"content/post.md": GOOD_POST.replace("Hello.", "Caf\xe9.").encode("cp1252")})
        return bad, Example({"content/post.md": GOOD_POST.replace("Hello.", "Café.").encode()})


class FileBinary(Rule):
    """
    ## What it does
    Flags a binary file where a Markdown post was expected.

    ## Why is this bad?
    An image or document saved with a `.md` name breaks the build.

    ## Example
    `content/posts/photo.md` that is really a PNG.

    Use instead: `static/images/photo.png`, referenced from a post.
    """

    code = "FM103"
    name = "file-binary"
    summary = "A binary file with a Markdown name"
    severity = "error"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        bad = Example({"content/photo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
        return bad, Example({"content/post.md": GOOD_POST})


class FileUnreadable(Rule):
    """
    ## What it does
    Flags a file that cannot be read: a dangling symbolic link, or no permission.

    ## Why is this bad?
    The generator fails on it too, usually with a less helpful message.

    ## Example
    `content/posts/old.md` linking to a file that was deleted.

    Use instead: remove the link, or restore its target.
    """

    code = "FM104"
    name = "file-unreadable"
    summary = "The file cannot be read"
    severity = "error"

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        return Example({"content/old.md": None}), Example({"content/post.md": GOOD_POST})


class FileEmpty(Rule):
    """
    ## What it does
    Flags an empty post (nothing but white space).

    ## Why is this bad?
    It is usually a mistake: an unsaved draft or a failed copy, published as a blank page.

    ## Example
    A zero-byte `content/posts/draft.md`.

    Use instead: a post with front matter and content, or no file at all.
    """

    code = "FM105"
    name = "file-empty"
    summary = "The post is empty"
    severity = "warning"

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        if not post.text.strip("\ufeff \t\r\n"):
            yield self.finding(post.span(0, 0), "This post is empty.")

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        return Example({"content/draft.md": ""}), Example({"content/post.md": GOOD_POST})


class FileName(Rule):
    """
    ## What it does
    Flags a post whose URL, as the generator builds it from the file name, keeps characters
    that break or mangle it: `?`, `#`, `%`, quotes, apostrophes and spaces. Zola slugifies file
    names by default (`[slugify] paths = "on"`) and Hugo removes most of these characters, so a
    file name like `what's next?.md` is reported only where the URL really keeps them (Zola with
    `paths = "safe"` or `"off"`, a `#` on Hugo, a folder of plain Markdown).

    ## Why is this bad?
    `?` and `#` cut the URL short, `%` starts an escape, and spaces and quotes become `%20` and
    `%27` in links people share.

    ## Example
    `content/posts/what's new?.md` on a site whose generator keeps file names as they are

    Use instead:
    `content/posts/whats-new.md`
    """

    code = "FM106"
    name = "file-name"
    summary = "A file name that puts characters into the page's URL that break it"
    severity = "warning"

    BAD = re.compile(r"[?#%\"'’‘“” ]")

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        name = PurePath(post.path).name
        if not self.BAD.search(name):
            return
        url = _route(post, ctx)
        bad = sorted(set(self.BAD.findall(url if url is not None else name)))
        if bad:
            shown = ", ".join("a space" if c == " " else f"`{c}`" for c in bad)
            where = f"the page's URL, `{url}`," if url is not None else "the page's URL"
            yield self.finding(
                post.span(0, 0),
                f"The file name `{name}` puts {shown} into {where} which break or mangle it: "
                "rename it with letters, digits and hyphens, or set `slug` in the front matter.",
            )

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        config = 'base_url = "https://example.org"\n[slugify]\npaths = "off"\n'
        bad = Example({"content/what's new?.md": GOOD_POST, "config.toml": config})
        return bad, Example({"content/whats-new.md": GOOD_POST, "config.toml": config})


def _route(post: Post, ctx: Context) -> str | None:
    """The URL path the generator gives the post, or None outside the content folder."""
    site = ctx.site
    try:
        rel = Path(post.path).resolve().relative_to(site.content_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return None
    try:
        return route(site, rel, post.meta)[0].url  # the index's one computation of a page's URL
    except ValueError:
        return None


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f'the text "{value}"'
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _is_section(post: Post) -> bool:
    return PurePath(post.path).name == "_index.md"


def _date_in_name(path: str) -> bool:
    parts = PurePath(path).parts
    names = [PurePath(path).stem, parts[-2] if len(parts) > 1 else ""]
    return any(re.match(r"\d{4}-\d{2}-\d{2}[-_]", name) for name in names)


def _opening_line(post: Post) -> Span:
    fm = post.front_matter
    start = fm.span.start if fm else 0
    return post.span(start, start + 3)


def rules() -> Iterator[type[Rule]]:
    yield from (
        FrontMatterMissing,
        FrontMatterInvalid,
        FrontMatterLeadingLines,
        FieldMissing,
        FieldType,
        FieldUnknown,
        FrontMatterDate,
        FieldIgnored,
        FileBom,
        FileEncoding,
        FileBinary,
        FileUnreadable,
        FileEmpty,
        FileName,
    )


FAMILY = Family(
    name="frontmatter",
    prefix="FM",
    description="Front matter and files: what the generator needs to build the page.",
    rules=tuple(rules()),
    options=(
        Option("required", ("title",), "Fields every page must have.", list),
        Option("extra-keys", (), "More top-level keys your theme reads.", list),
        Option("allow-future", False, "Accept dates in the future on posts that are not drafts."),
    ),
)
