"""TEMPORARY stub replaced by the slugs branch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageRoute:
    url: str
    aliases: tuple[str, ...]
    date_from_name: str | None
    is_section: bool
    bundle_dir: str | None


def page_url(
    rel_path: str, front_matter: Mapping[str, Any], generator: str, slug_mode: str = "on"
) -> PageRoute:
    stem = rel_path.rsplit(".", 1)[0]
    return PageRoute("/" + stem + "/", (), None, False, None)
