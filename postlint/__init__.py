"""postlint: lint blog posts written in Markdown with front matter."""

__version__ = "0.1.0"
