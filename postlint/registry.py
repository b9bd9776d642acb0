"""Which rules exist, and which of them a configuration selects.

Built-in families register through the entry-point group ``postlint.checks`` exactly as
third-party ones do, so the engine never imports a particular check.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import entry_points

from postlint.model import Severity
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
    """All known rules, with lookup by code, code prefix, name or family name."""

    families: tuple[Family, ...]

    @property
    def rules(self) -> tuple[type[Rule], ...]:
        return tuple(rule for family in self.families for rule in family.rules)

    @cached_property
    def _families_by_rule(self) -> dict[type[Rule], Family]:
        return {rule: family for family in self.families for rule in family.rules}

    def family_of(self, rule: type[Rule]) -> Family:
        return self._families_by_rule[rule]

    def find(self, name_or_code: str) -> type[Rule] | None:
        key = name_or_code.strip()
        for rule in self.rules:
            if key in (rule.name, rule.code) or key.upper() == rule.code:
                return rule
        return None

    def matches(self, selector: str, rule: type[Rule]) -> bool:
        """``matches`` plus family names: ``links`` selects every rule of the ``[links]``
        table. A family named like one of its rules (``spelling``) selects the whole family."""
        return matches(selector, rule) or selector.strip() == self._families_by_rule[rule].name

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]:
        return [s for s in selectors if not any(self.matches(s, rule) for rule in self.rules)]

    def nearest(self, selector: str) -> str | None:
        """The known rule name, code or family name closest to a mistyped selector."""
        known = [name for rule in self.rules for name in (rule.name, rule.code, *rule.aliases)]
        known.extend(family.name for family in self.families)
        close = difflib.get_close_matches(selector.strip(), known, n=1, cutoff=0.6)
        if not close and selector.strip().upper() != selector.strip():
            codes = [rule.code for rule in self.rules]
            close = difflib.get_close_matches(selector.strip().upper(), codes, n=1, cutoff=0.6)
        return close[0] if close else None

    def unknown_message(self, selector: str) -> str:
        hint = self.did_you_mean(selector) or " (see `postlint rules`)"
        return f"no rule is called or coded `{selector}`{hint}"

    def did_you_mean(self, selector: str) -> str:
        """`` (did you mean `spelling`?)`` for a mistyped selector, else ``""``."""
        near = self.nearest(selector)
        return f" (did you mean `{near}`?)" if near else ""

    def select(
        self,
        select: Sequence[str] | None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
    ) -> tuple[type[Rule], ...]:
        """The rules to run: ``select`` (or the defaults) and ``extend_select``, less ``ignore``."""
        chosen = []
        for rule in self.rules:
            base = (
                any(self.matches(s, rule) for s in select) if select is not None else rule.default
            )
            if (base or any(self.matches(s, rule) for s in extend_select)) and not any(
                self.matches(s, rule) for s in ignore
            ):
                chosen.append(rule)
        return tuple(chosen)

    def severities(
        self, rules: Iterable[type[Rule]], overrides: Mapping[str, Severity]
    ) -> dict[str, Severity]:
        """Each rule's severity: its own, or the ``[severity]`` entry of the most specific
        selector that matches it (a name or code over a code prefix over a family over ALL)."""
        result: dict[str, Severity] = {}
        for rule in rules:
            ranked = [
                (self._specificity(selector, rule), severity)
                for selector, severity in overrides.items()
                if self.matches(selector, rule)
            ]
            result[rule.name] = max(ranked)[1] if ranked else rule.severity
        return result

    def _specificity(self, selector: str, rule: type[Rule]) -> int:
        key = selector.strip()
        if key in (rule.name, rule.code) or key.upper() == rule.code:
            return 1000
        if key.upper() == "ALL":
            return 0
        if key in rule.aliases or key == self._families_by_rule[rule].name:
            return 1
        return 10 + len(key)  # a code prefix: the longer, the more specific


def matches(selector: str, rule: type[Rule]) -> bool:
    """A selector is ``ALL``, a rule name, a code, a code prefix (``FM``, ``FM00``) or one of the
    rule's aliases (a rule pack's name selects the pack's rules)."""
    selector = selector.strip()
    if selector.upper() == "ALL" or selector == rule.name or selector in rule.aliases:
        return True
    return bool(selector) and rule.code.startswith(selector.upper()) and selector[0].isalpha()
