"""What a check is: a small class with metadata and up to three hooks, grouped into families.

The engine knows nothing about particular checks. It finds families through the entry-point
group ``postlint.checks`` (built-ins register there exactly as plugins do), validates each
family's configuration table against the options it declares, and calls the hooks.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from postlint.index import PostSummary, Site, SiteInfo
from postlint.model import Finding, Fix, Post, Severity, Span
from postlint.services import Services

__all__ = [
    "DOC_SECTIONS",
    "Context",
    "Example",
    "Family",
    "Option",
    "PostSummary",
    "Rule",
    "Site",
    "SiteInfo",
    "speaks",
]

# The rule pages in the repository (docs/rules/, made by `postlint rules --docs docs/rules`);
# the `docs-url` setting points diagnostics at a site's own copy instead.
DOCS_URL = "https://github.com/postlint/postlint/blob/main/docs/rules/"
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example")
_MARKDOWN_BLOCK = re.compile(r"^(`{3,})markdown[ \t]*\n(.*?)^\1[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Example:
    """A small site for a rule's example: paths (from the site root) to contents.

    The generic example test writes it into a Zola site (``config.toml`` with ``base_url``) and
    checks ``content/``. A value of None stands for a symbolic link to a missing file.
    """

    files: Mapping[str, str | bytes | None]
    config: str = ""  # postlint.toml, when the example needs options


@dataclass(frozen=True)
class Option:
    """A configuration key of a family table, with its type, default and meaning."""

    name: str  # kebab-case, as written in postlint.toml
    default: Any
    doc: str
    type: Any = None  # bool, int, float, str, list (of str), dict, or a tuple of allowed strings
    minimum: float | None = None  # numbers: the smallest value that makes sense
    # checks a value of the right type when the configuration is loaded: returns the value to
    # use (it may normalise it) or raises ValueError with what is wrong ("... is not a status")
    validate: Callable[[Any], Any] | None = None
    path: bool = False  # str or list: files, relative to the configuration file that names them
    # False: it changes how results are shown or where they are kept, never what they are (the
    # result cache's key leaves it out, so `--verbose` reuses the cache)
    verdict: bool = True

    @property
    def kind(self) -> Any:
        return self.type if self.type is not None else type(self.default)


@dataclass(frozen=True)
class Context:
    """What a check may use: its family's options, the site, the whole configuration and the
    run's services."""

    options: Mapping[str, Any]
    site: SiteInfo
    config: Any  # postlint.config.Config
    services: Services = field(default_factory=Services)  # the run's notes and link checker


class Rule:
    """A check. Subclasses set the metadata and override the hooks they need.

    The docstring is the rule's documentation, with the sections *What it does*,
    *Why is this bad?* and *Example* (a bad and a good example), printed by ``postlint rule``.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    fixable: ClassVar[bool] = False
    default: ClassVar[bool] = True  # selected unless the configuration says otherwise
    site_wide: ClassVar[bool] = False  # reports from check_site; the engine always runs it
    aliases: ClassVar[tuple[str, ...]] = ()  # more selectors that pick the rule (a pack's name)
    digest: ClassVar[str] = ""  # changes when the rule's definition does (for the result cache)
    # the languages whose pages it judges ("en" covers "en-gb"); () for pages in any language
    languages: ClassVar[tuple[str, ...]] = ()

    def check(self, post: Post, ctx: Context) -> Iterable[Finding]:
        """Findings about one post."""
        return ()

    def active(self, ctx: Context) -> bool:
        """False when the options switch the rule off (external link checks without
        ``external``): a suppression of it then cannot be judged unused."""
        return True

    def judges(self, language: str | None, ctx: Context) -> bool:
        """Whether the rule judges a page written in ``language`` (the site index's; None when
        not known). The engine runs it on no other page: a rule about English prose (a word
        list, a syllable count, English punctuation) has nothing right to say about French."""
        return speaks(language, self.languages)

    def collect(self, post: Post, ctx: Context) -> Any:
        """Facts about one post for ``check_site`` (picklable; None collects nothing)."""
        return None

    def check_site(self, site: Site, ctx: Context) -> Iterable[tuple[str, Finding]]:
        """Findings that need the whole site, as (post path, finding) pairs."""
        return ()

    # helpers for subclasses
    def finding(self, span: Span, message: str, fix: Fix | None = None) -> Finding:
        return Finding(self.name, span, message, fix)

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def examples(cls) -> tuple[Example, Example]:
        """The failing and the passing example: by default the docstring's first two
        ``markdown`` blocks, each as ``content/post.md``. Override for examples that are not
        one post (file names, bytes, several posts)."""
        blocks = [m.group(2) for m in _MARKDOWN_BLOCK.finditer(cls.docs())]
        if len(blocks) < 2:
            raise ValueError(f"{cls.name}: the docs need a bad and a good ```markdown example")
        return Example({"content/post.md": blocks[0]}), Example({"content/post.md": blocks[1]})

    @classmethod
    def url(cls, base: str | None = None) -> str:
        """The rule's page: ``base`` (the `docs-url` setting, default the repository's
        docs/rules/) followed by ``NAME.md``, or with ``{name}`` replaced when it has one."""
        base = base or DOCS_URL
        if "{name}" in base:
            return base.replace("{name}", cls.name)
        return f"{base.rstrip('/')}/{cls.name}.md"

    @classmethod
    def has_hook(cls, hook: str) -> bool:
        return getattr(cls, hook) is not getattr(Rule, hook)


def speaks(language: str | None, languages: tuple[str, ...]) -> bool:
    """Whether a page in ``language`` is in one of ``languages``, by the primary language subtag
    (``en`` covers ``en``, ``en-GB`` and ``en_us``). A page whose language is not known is:
    without a word from the generator or the post, postlint reads it as it always has."""
    if language is None or not languages:
        return True
    primary = re.split("[-_]", language, maxsplit=1)[0].lower()
    return any(primary == re.split("[-_]", lang, maxsplit=1)[0].lower() for lang in languages)


@dataclass(frozen=True)
class Family:
    """A family of checks: its configuration table, its code prefix, its rules and options."""

    name: str  # the configuration table: [links]
    prefix: str  # code prefix: "LNK"
    description: str
    rules: tuple[type[Rule], ...]
    options: tuple[Option, ...] = ()

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}
