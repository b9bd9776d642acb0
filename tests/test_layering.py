"""The layers drawn in DESIGN.md, read from the import statements of every module of the
package (at any depth: inside functions and ``TYPE_CHECKING`` blocks too), so they stay true."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "postlint"


def module_files() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = module_files()


def _target(name: str) -> str:
    """The module an import statement names: a module, else the package that holds it."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    """Every postlint module ``module`` imports."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {_target(name) for name in found if name.split(".")[0] == "postlint"} - {module}


GRAPH = {module: imports_of(module) for module in MODULES}


def _is(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_engine_imports_no_check() -> None:
    assert not [m for m in GRAPH["postlint.engine"] if _is(m, "postlint.checks")]


CHECK_MAY_NOT_IMPORT = (
    "postlint.parse",  # a check gets the parsed post, never parses
    "postlint.linkcheck",  # the link checker is a service of the run
    "postlint.services",
    "postlint.files",  # the engine alone reads the site's files
    "postlint.engine",
    "postlint.api",
    "postlint.cli",
    "postlint.server",  # the language server and the warm sites it keeps: a top layer
    "postlint.live",
    "postlint.report",
    "postlint.fix",
    "postlint.stats",
    "postlint.init",
)


def test_checks_get_everything_through_the_model_the_index_and_the_services() -> None:
    wrong = {
        (module, imported)
        for module, imported_modules in GRAPH.items()
        if _is(module, "postlint.checks")
        for imported in imported_modules
        if imported == "postlint" or _is(imported, *CHECK_MAY_NOT_IMPORT)
    }
    assert wrong == set()


def test_reporters_take_diagnostics_and_rule_metadata_only() -> None:
    allowed = ("postlint.model", "postlint.rule", "postlint.version", "postlint.report")
    wrong = {
        (module, imported)
        for module, imported_modules in GRAPH.items()
        if _is(module, "postlint.report")
        for imported in imported_modules
        if not _is(imported, *allowed)
    }
    assert wrong == set()


def test_the_language_server_is_a_top_layer_like_the_command_line() -> None:
    """Nothing but the command line starts the server (its protocol library is an optional
    extra), and nothing but the server uses its warm sites; the engine knows neither."""
    importers = {
        layer: {module for module, imported in GRAPH.items() if layer in imported}
        for layer in ("postlint.server", "postlint.live")
    }
    assert importers == {"postlint.server": {"postlint.cli"}, "postlint.live": {"postlint.server"}}


def test_the_model_and_the_version_import_nothing_of_postlint() -> None:
    assert GRAPH["postlint.model"] == set()
    assert GRAPH["postlint.version"] == set()


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                yield from visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                yield sorted(component)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def test_no_two_modules_import_each_other_even_in_a_circle() -> None:
    assert list(_cycles(GRAPH)) == []


def test_the_cycle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert list(_cycles(graph)) == [["a", "b", "c"]]


# Reading files: only postlint.files opens the site's files. Checks that read a file the
# configuration names (a word list, a tag vocabulary) are listed here with that reason.
READS_CONFIGURED_FILES = {
    "postlint.checks.spelling": "word lists named in [spelling]",
    "postlint.checks.tags": "the vocabulary file named in [tags]",
}
_FILE_CALLS = {"open", "read_text", "read_bytes", "walk", "scandir", "iterdir", "listdir", "glob"}


@pytest.mark.parametrize("module", [m for m in MODULES if _is(m, "postlint.checks")])
def test_checks_open_no_files(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
    }
    opened = calls & _FILE_CALLS
    if module in READS_CONFIGURED_FILES:
        assert opened, f"{module} no longer reads files: drop it from the list"
    else:
        assert opened == set(), f"{module} reads files itself: ask the site index"


@pytest.mark.parametrize("module", [m for m in MODULES if _is(m, "postlint.checks")])
def test_no_check_writes_to_the_terminal(module: str) -> None:
    """Long work reports through the run's notes (``ctx.services.notes``); only the command
    line prints."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    written = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        )
        or (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr", "warn"))
    ]
    assert written == []
