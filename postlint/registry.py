"""Which rules exist, and which of them a configuration selects.

Built-in families register through the entry-point group ``postlint.checks`` exactly as
third-party ones do, so the engine never imports a particular check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points

from postlint.rule import Family, Rule

ENTRY_POINT_GROUP = "postlint.checks"


class RegistryError(Exception):
    """A plugin that cannot be loaded, or two rules that claim the same code or name."""


def load_families() -> list[Family]:
    """Every family registered under ``postlint.checks``, in a stable order."""
    families: list[Family] = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            family = entry.load()
        except Exception as exc:  # a broken plugin must not look like a postlint crash
            raise RegistryError(f"cannot load check plugin `{entry.value}`: {exc}") from None
        if not isinstance(family, Family):
            raise RegistryError(f"check plugin `{entry.value}` is not a postlint.rule.Family")
        families.append(family)
    check_unique(families)
    return families


def check_unique(families: Sequence[Family]) -> None:
    seen: dict[str, str] = {}
    for family in families:
        for rule in family.rules:
            for key in (rule.code, rule.name):
                if key in seen and seen[key] != family.name:
                    raise RegistryError(
                        f"`{key}` is claimed by both the {seen[key]} and {family.name} families"
                    )
                seen[key] = family.name


@dataclass(frozen=True)
class Catalogue:
    """All known rules, with lookup by code, code prefix or name."""

    families: tuple[Family, ...]

    @property
    def rules(self) -> tuple[type[Rule], ...]:
        return tuple(rule for family in self.families for rule in family.rules)

    def family_of(self, rule: type[Rule]) -> Family:
        return next(family for family in self.families if rule in family.rules)

    def find(self, name_or_code: str) -> type[Rule] | None:
        key = name_or_code.strip()
        for rule in self.rules:
            if key in (rule.name, rule.code) or key.upper() == rule.code:
                return rule
        return None

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]:
        return [s for s in selectors if not any(matches(s, rule) for rule in self.rules)]

    def select(
        self,
        select: Sequence[str] | None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
    ) -> tuple[type[Rule], ...]:
        """The rules to run: ``select`` (or the defaults) and ``extend_select``, less ``ignore``."""
        chosen = []
        for rule in self.rules:
            base = any(matches(s, rule) for s in select) if select is not None else rule.default
            if (base or any(matches(s, rule) for s in extend_select)) and not any(
                matches(s, rule) for s in ignore
            ):
                chosen.append(rule)
        return tuple(chosen)


def matches(selector: str, rule: type[Rule]) -> bool:
    """A selector is ``ALL``, a rule name, a code, a code prefix (``FM``, ``FM00``) or one of the
    rule's aliases (a rule pack's name selects the pack's rules)."""
    selector = selector.strip()
    if selector.upper() == "ALL" or selector == rule.name or selector in rule.aliases:
        return True
    return bool(selector) and rule.code.startswith(selector.upper()) and selector[0].isalpha()
