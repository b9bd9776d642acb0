"""Where each key of a TOML document is written: tomli parses values but keeps no positions.

Front matter diagnostics point at the field they are about, and configuration errors name the
line of the bad key, so both use this small scanner. It reads only the structure (tables, keys,
array elements); values are left to tomli.
"""

from __future__ import annotations

import re

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = " \t"


def key_offsets(text: str) -> dict[str, tuple[int, int]]:
    """Map dotted key paths to the (start, end) offsets of the key in ``text``.

    Array elements get an entry ``key[i]`` spanning the element's literal, so a diagnostic about
    one tag can point at that tag. Tables map to their header's key.
    """
    scanner = _Scanner(text)
    scanner.document()
    return scanner.keys


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.key_end = 0
        self.keys: dict[str, tuple[int, int]] = {}
        self.table: list[str] = []
        self.array_counts: dict[str, int] = {}

    def document(self) -> None:
        text = self.text
        while self.pos < len(text):
            self.skip_space(newlines=True)
            if self.pos >= len(text):
                break
            char = text[self.pos]
            if char == "#":
                self.skip_line()
            elif char == "[":
                self.header()
            else:
                start = self.pos
                self.key_value(self.table)
                if self.pos == start:  # not a key: give up on this line rather than loop
                    self.skip_line()

    def header(self) -> None:
        text = self.text
        array = text.startswith("[[", self.pos)
        self.pos += 2 if array else 1
        self.skip_space()
        start = self.pos
        parts = self.key_parts()
        end = self.key_end
        self.skip_space()
        self.pos += 2 if array else 1
        name = ".".join(parts)
        if array:
            index = self.array_counts.get(name, 0)
            self.array_counts[name] = index + 1
            parts = [*parts[:-1], f"{parts[-1]}[{index}]"] if parts else parts
            self.keys.setdefault(name, (start, end))
        self.table = parts
        self.keys[".".join(parts)] = (start, end)
        self.skip_line()

    def key_value(self, prefix: list[str]) -> None:
        start = self.pos
        parts = self.key_parts()
        if not parts:
            return
        end = self.key_end
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] != "=":
            return
        self.pos += 1
        self.skip_space()
        path = [*prefix, *parts]
        dotted = ".".join(path)
        for depth in range(len(prefix) + 1, len(path)):
            self.keys.setdefault(".".join(path[:depth]), (start, end))
        self.keys[dotted] = (start, end)
        self.value(dotted)

    def key_parts(self) -> list[str]:
        parts: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in "\"'":
                value_start = self.pos
                self.string()
                parts.append(text[value_start + 1 : self.pos - 1])
            else:
                match = _BARE_KEY.match(text, self.pos)
                if not match:
                    break
                parts.append(match.group())
                self.pos = match.end()
            self.key_end = self.pos
            self.skip_space()
            if self.pos < len(text) and text[self.pos] == ".":
                self.pos += 1
                self.skip_space()
            else:
                break
        return parts

    def value(self, dotted: str) -> None:
        text = self.text
        if self.pos >= len(text):
            return
        char = text[self.pos]
        if char in "\"'":
            self.string()
        elif char == "[":
            self.array(dotted)
        elif char == "{":
            self.inline_table(dotted)
        else:
            while self.pos < len(text) and text[self.pos] not in ",]}\n#":
                self.pos += 1

    def array(self, dotted: str) -> None:
        text = self.text
        self.pos += 1
        index = 0
        while self.pos < len(text):
            self.skip_space(newlines=True, comments=True)
            if self.pos >= len(text):
                return
            if text[self.pos] == "]":
                self.pos += 1
                return
            start = self.pos
            self.value(f"{dotted}[{index}]")
            self.keys[f"{dotted}[{index}]"] = (start, self.pos)
            index += 1
            self.skip_space(newlines=True, comments=True)
            if (self.pos < len(text) and text[self.pos] == ",") or self.pos == start:
                self.pos += 1

    def inline_table(self, dotted: str) -> None:
        text = self.text
        self.pos += 1
        prefix = dotted.split(".")
        while self.pos < len(text):
            self.skip_space(newlines=True)
            if self.pos >= len(text) or text[self.pos] == "}":
                self.pos += 1
                return
            start = self.pos
            self.key_value(prefix)
            self.skip_space(newlines=True)
            if (self.pos < len(text) and text[self.pos] == ",") or self.pos == start:
                self.pos += 1

    def string(self) -> None:
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            end = text.find(quote * 3, self.pos + 3)
            self.pos = len(text) if end < 0 else end + 3
            while self.pos < len(text) and text[self.pos] == quote:
                self.pos += 1
            return
        pos = self.pos + 1
        while pos < len(text) and text[pos] not in (quote, "\n"):
            pos += 2 if quote == '"' and text[pos] == "\\" else 1
        self.pos = min(pos + 1, len(text))

    def skip_space(self, newlines: bool = False, comments: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _WS or (newlines and char in "\r\n"):
                self.pos += 1
            elif comments and char == "#":
                self.skip_line()
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1
