"""postlint: lint blog posts written in Markdown with front matter.

The public API: ``lint_text`` and ``lint_paths`` return ``Diagnostic`` objects; ``Rule`` and
``Family`` are what a check plugin subclasses and registers.
"""

from postlint.api import lint_paths, lint_text
from postlint.config import Config, ConfigError, load_config
from postlint.model import Diagnostic, Edit, Finding, Fix, Post, Span
from postlint.rule import Context, Family, Option, Rule, Site
from postlint.version import __version__

Check = Rule

__all__ = [
    "Check",
    "Config",
    "ConfigError",
    "Context",
    "Diagnostic",
    "Edit",
    "Family",
    "Finding",
    "Fix",
    "Option",
    "Post",
    "Rule",
    "Site",
    "Span",
    "__version__",
    "lint_paths",
    "lint_text",
    "load_config",
]
