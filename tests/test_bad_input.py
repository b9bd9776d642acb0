"""A file that is not a good post becomes a diagnostic on it; the run goes on, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli

GOOD = '+++\ntitle = "Fine"\n+++\nA fine post.\n'


def check_json(root: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=root, timeout=300)
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    return result.returncode, document["diagnostics"], result.stderr


def found(diagnostics: list[dict[str, object]], path: str) -> list[tuple[object, ...]]:
    return [
        (d["rule"], d["line"], d["column"], d["end_line"], d["end_column"])
        for d in diagnostics
        if d["path"] == path
    ]


def test_every_kind_of_bad_file_in_one_run(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {
            "content/good.md": GOOD,
            "content/binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "content/latin1.md": '+++\ntitle = "Caf\xe9"\n+++\n'.encode("latin-1"),
            "content/empty.md": "",
            "content/unclosed.md": '+++\ntitle = "Open"\n\nNo closing delimiter.\n',
            "content/dangling.md": None,
        }
    )
    os.mkfifo(root / "content" / "fifo.md")
    code, diagnostics, stderr = check_json(root)
    assert code == 1
    assert found(diagnostics, "content/good.md") == []
    assert found(diagnostics, "content/binary.md") == [("file-binary", 1, 1, 1, 1)]
    assert found(diagnostics, "content/latin1.md") == [("file-encoding", 2, 13, 2, 14)]
    assert found(diagnostics, "content/empty.md") == [("file-empty", 1, 1, 1, 1)]
    assert found(diagnostics, "content/unclosed.md") == [("frontmatter-invalid", 1, 1, 1, 4)]
    assert found(diagnostics, "content/dangling.md") == [("file-unreadable", 1, 1, 1, 1)]
    assert stderr == "postlint: note: skipped content/fifo.md: not a regular file\n"


def test_crlf_and_bom_positions(site) -> None:  # type: ignore[no-untyped-def]
    text = '\ufeff+++\r\ntitle = "Fine"\r\ndraft = "no"\r\n+++\r\nBody.\r\n'
    root = site({"content/crlf.md": text})
    _, diagnostics, _ = check_json(root)
    assert found(diagnostics, "content/crlf.md") == [
        ("file-bom", 1, 1, 1, 1),
        ("frontmatter-field-type", 3, 1, 3, 6),
    ]


def _pathological(kind: str) -> str:
    body = {
        "huge": ("A sentence of ordinary prose about the harvest and the rain. " * 12 + "\n\n")
        * 14_000,
        "quotes": ">" * 20_000 + " deep\n",
        "lists": "- " * 20_000 + "item\n" + "1. " * 20_000 + "item\n",
        "indented-lists": "".join(" " * (2 * i) + "- item\n" for i in range(1_500)),
        "brackets": "[" * 50_000 + "\n",
        "asterisks": "*" * 50_000 + " text " + "_" * 50_000 + "\n",
        "parens": "(" * 50_000 + "\n\n" + "](" * 20_000 + "\n",
    }[kind]
    return GOOD + body


@pytest.mark.parametrize(
    "kind", ["huge", "quotes", "lists", "indented-lists", "brackets", "asterisks", "parens"]
)
def test_pathological_posts_finish(kind: str, site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/bad.md": _pathological(kind), "content/good.md": GOOD})
    if kind == "huge":
        assert (root / "content" / "bad.md").stat().st_size > 10_000_000
    code, diagnostics, _ = check_json(root, "--select", "FM")
    assert code in (0, 1)
    assert found(diagnostics, "content/good.md") == []


def test_lone_carriage_returns_end_lines(site) -> None:  # type: ignore[no-untyped-def]
    text = '+++\rtitle = "Old Mac"\r+++\rFirst line.\r\rSecond paragraph with `code.\r'
    root = site({"content/mac.md": text})
    _, diagnostics, _ = check_json(root, "--select", "FM,MK")
    assert found(diagnostics, "content/mac.md") == [("unbalanced-code", 6, 23, 6, 24)]
