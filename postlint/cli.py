"""The command line: parse arguments, call the API, print a report, exit with a documented code.

Exit codes: 0 nothing at or above ``fail-on``; 1 findings at or above it; 2 a usage,
configuration or internal error, said in one line on stderr (``--debug`` adds the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postlint import baseline, docs, fix, gitdiff, init, stats
from postlint.config import Config, ConfigError, severity_at_least
from postlint.engine import Linter, RunResult, UsageError
from postlint.model import Diagnostic
from postlint.registry import Catalogue, RegistryError
from postlint.report import FORMATS, render
from postlint.rule import Rule
from postlint.services import Note, Notes
from postlint.version import __version__

if TYPE_CHECKING:
    from postlint.project import Project

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class CliError(Exception):
    """A usage error with a message for the person at the terminal."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.handler(args))
    except (
        CliError,
        ConfigError,
        UsageError,
        RegistryError,
        gitdiff.GitError,
        baseline.BaselineError,
    ) as exc:
        print(f"postlint: error: {exc}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("postlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        print(
            f"postlint: internal error: {type(exc).__name__}: {exc} (run with --debug for the "
            "traceback, and please report it)",
            file=sys.stderr,
        )
        if args.debug:
            traceback.print_exc()
        return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser = argparse.ArgumentParser(
        prog="postlint",
        description="Lint blog posts written in Markdown with front matter.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"postlint {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in COMMANDS:
        register(commands, common)
    return parser


def add_check(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    check = commands.add_parser(
        "check",
        parents=[common],
        help="check posts (the default content folder when no path is given)",
        description="Check posts and print what is wrong, with exact positions.",
        epilog="exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; "
        "2 a usage, configuration or internal error (one line on stderr).",
    )
    add_run_options(check)
    check.add_argument(
        "--format", default="text", choices=FORMATS, help="report format (default: text)"
    )
    check.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write the report to FILE, not stdout"
    )
    check.add_argument(
        "--output-format",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write a report in FORMAT to FILE (repeatable), e.g. sarif=postlint.sarif",
    )
    check.add_argument("--no-color", action="store_true", help="never colour the text report")
    check.add_argument(
        "--github-annotations",
        type=_count,
        default=10,
        metavar="N",
        help="with the github format: at most N annotations of each severity, errors first "
        "(default 10, what GitHub shows per step; 0 for no limit)",
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings each rule has (text or json), instead of the findings",
    )
    check.add_argument(
        "--diff",
        nargs="?",
        const=True,
        metavar="REF",
        help="only report (and with --fix, only fix) findings on lines changed since the git "
        "ref REF, and in files added since",
    )
    check.add_argument(
        "--staged",
        action="store_true",
        help="only report (and with --fix, only fix) findings on lines staged in git",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="apply safe fixes to the findings reported, then report what is left",
    )
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, also apply fixes that change words the writer chose",
    )
    check.add_argument(
        "--dry-run",
        action="store_true",
        help="with --fix: print the fixes as a unified diff and write nothing",
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="hide the findings recorded in FILE (default: the configuration's `baseline`)",
    )
    check.set_defaults(handler=run_check)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that lints takes."""
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    add_selection_options(parser)
    parser.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="ignore and do not write the result cache"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where to keep the result and link caches (default: .postlint-cache in the site)",
    )
    parser.add_argument(
        "--external",
        action="store_true",
        help="also check external links over the network (sets [links] external = true)",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="with --external: print per-host counts and the slowest hosts on stderr",
    )


def add_baseline(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = commands.add_parser(
        "baseline",
        parents=[common],
        help="record the current findings so `check --baseline` hides them",
        description='Record today\'s findings in a baseline file; with `baseline = "FILE"` '
        "in the configuration (or `check --baseline FILE`) every run then reports only new "
        "ones. Entries survive lines moving.",
    )
    add_run_options(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="where to write it (default: the configuration's `baseline`, else "
        ".postlint-baseline.json)",
    )
    parser.set_defaults(handler=run_baseline)


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: found from the path upward)",
    )
    parser.add_argument(
        "--select",
        metavar="RULES",
        help="comma-separated codes, prefixes or names to run instead of the configured ones",
    )
    parser.add_argument(
        "--extend-select", metavar="RULES", help="comma-separated rules to run in addition"
    )
    parser.add_argument("--ignore", metavar="RULES", help="comma-separated rules not to run")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        help="lowest severity that fails the run (default: error)",
    )
    parser.add_argument(
        "--min-severity",
        choices=("error", "warning", "info"),
        help="lowest severity to report, in every format (default: info, or `min-severity`)",
    )


def add_rules(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    rules = commands.add_parser(
        "rules", parents=[common], help="list every rule", description="List every rule."
    )
    rules.add_argument("--format", default="text", choices=("text", "json"))
    rules.add_argument(
        "--docs",
        type=Path,
        metavar="DIR",
        help="write a Markdown page per rule and an index (README.md) into DIR "
        "(the repository's: docs/rules)",
    )
    rules.set_defaults(handler=run_rules)
    rule = commands.add_parser(
        "rule",
        parents=[common],
        help="show a rule's documentation",
        description="Show a rule's documentation.",
    )
    rule.add_argument("rule", metavar="NAME_OR_CODE")
    rule.set_defaults(handler=run_rule)


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def selection_overrides(
    args: argparse.Namespace, catalogue: Catalogue | None = None
) -> dict[str, object]:
    """``--select`` and the like, their rules checked against ``catalogue`` when given."""
    select, extend, ignore = _split(args.select), _split(args.extend_select), _split(args.ignore)
    if catalogue is not None:
        named = (("--select", select), ("--extend-select", extend), ("--ignore", ignore))
        for option, values in named:
            unknown = catalogue.unknown_selectors(values or ())
            if unknown:
                raise CliError(f"{option}: {catalogue.unknown_message(unknown[0])}")
    return {
        "select": select,
        "extend_select": extend,
        "ignore": ignore,
        "fail_on": args.fail_on,
        "min_severity": getattr(args, "min_severity", None),
    }


def adjustment(args: argparse.Namespace) -> Callable[[Config], Config]:
    """What the command line changes in every configuration of the run (``--select``,
    ``--external`` ...)."""
    overrides = selection_overrides(args)
    links: dict[str, object] = {"external": True} if args.external else {}
    if args.verbose:
        links["verbose"] = True
    if args.cache_dir is not None:  # the link cache moves with the result cache
        links["cache-dir"] = str(args.cache_dir.absolute())

    def adjust(config: Config) -> Config:
        if links:
            tables = config.tables
            tables = {**tables, "links": {**tables.get("links", {}), **links}}
            return config.with_overrides(**overrides, tables=tables)
        return config.with_overrides(**overrides)

    return adjust


def lint(args: argparse.Namespace) -> tuple[Project, RunResult]:
    """Run the checks the arguments ask for (shared by ``check`` and ``baseline``): each file
    with its own configuration, all against the one site."""
    from postlint.engine import display_path
    from postlint.project import Project
    from postlint.site import default_paths

    paths = args.paths or default_paths()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise CliError(f"{path}: no such file or directory")
    if args.jobs is not None and args.jobs < 1:
        raise CliError("--jobs must be at least 1")
    notes = Notes(show=Terminal())
    project = Project(paths[0], args.config, adjustment(args), notes)
    # --select and the like name rules of the site's configuration (its packs included)
    selection_overrides(args, project.primary.catalogue)
    mdx = _mdx_files(paths, project)
    paths = [path for path in paths if path.is_dir() or path.suffix.lower() != ".mdx"]
    site = project.site
    cache_dir = None if args.no_cache else (args.cache_dir or site.root / ".postlint-cache")
    # a first run: no configuration, and no cache yet (this run makes one)
    configured = project.primary.config.path is not None
    args.first_run = not configured and cache_dir is not None and not cache_dir.exists()
    result = project.check(paths, jobs=args.jobs, cache_dir=cache_dir)
    if mdx:
        shown = ", ".join(display_path(path) for path in mdx[:3]) + (
            ", ..." if len(mdx) > 3 else ""
        )
        note = (
            f"skipped {len(mdx)} MDX file{'s' if len(mdx) != 1 else ''} ({shown}): "
            "postlint checks Markdown (.md, .markdown), not MDX"
        )
        notes.note(note)
        result.notes.append(note)
    return project, result


def _mdx_files(paths: Sequence[Path], project: Project) -> list[Path]:
    """The MDX files among ``paths``: JSX in Markdown is not Markdown, so they are skipped, but
    never without a word."""
    from postlint.files import files_named

    found = []
    for path in paths:
        if path.is_dir():
            found += files_named(path, (".mdx",), project.excluded)
        elif path.suffix.lower() == ".mdx" and not project.excluded(path):
            found.append(path)
    return found


class Terminal:
    """The notes channel on stderr: notes and ``--verbose`` details as lines as they come, and
    progress redrawn in place, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.drawn = False

    def __call__(self, note: Note) -> None:
        if note.kind == "progress":
            if sys.stderr.isatty():
                sys.stderr.write(f"\rpostlint: {note.text}\x1b[K")
                sys.stderr.flush()
                self.drawn = True
            return
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.drawn = False
        if note.kind != "done":
            prefix = "note: " if note.kind == "note" else ""
            print(f"postlint: {prefix}{note.text}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    diff_ref = _diff_ref(args)
    fixing = args.fix or args.unsafe_fixes
    if args.dry_run and not fixing:
        raise CliError("--dry-run goes with --fix: `postlint check --fix --dry-run` shows fixes")
    extra = [_output_format(value) for value in args.output_format]
    project, result = lint(args)
    reported = _reported(args, project, diff_ref)
    if fixing:
        applied = _fix(project, result, reported, unsafe=args.unsafe_fixes, dry_run=args.dry_run)
        if args.dry_run:
            return EXIT_FINDINGS if applied else EXIT_OK
        if applied:
            project, result = lint(args)
            reported = _reported(args, project, diff_ref)
        done = f"Applied {applied} fix{'es' if applied != 1 else ''}."
        print(done, file=sys.stdout if args.format == "text" and not args.output else sys.stderr)
    diagnostics = reported(result.diagnostics, {})
    colour = args.output is None and not args.no_color and _colour_terminal()
    rules = project.rules()
    root = Path.cwd()
    limit = args.github_annotations
    if args.statistics:
        report = statistics(args.format, diagnostics, rules)
    else:
        report = render(args.format, diagnostics, rules, result.files, root, colour, limit)
    if args.output:
        _write(args.output, report)
    else:
        sys.stdout.write(report)
        if args.first_run and args.format == "text" and diagnostics and not args.statistics:
            sys.stdout.write(FIRST_RUN_TIP)
    for fmt, path in extra:
        _write(path, render(fmt, diagnostics, rules, result.files, root, annotations=limit))
    return _exit_code(project, result, diagnostics)


FIRST_RUN_TIP = (
    "Tune this for your site: `postlint init` writes a postlint.toml (with the style rules "
    "that are off, to turn on), and `postlint check --statistics` counts the findings per "
    "rule.\n"
)


def statistics(fmt: str, diagnostics: Sequence[Diagnostic], rules: Sequence[type[Rule]]) -> str:
    """How many findings each rule has, most first, with its code, name and severity; how many
    of them a fix can repair (``--fix``, or ``--fix --unsafe-fixes``)."""
    if fmt not in ("text", "json"):
        raise CliError(f"--statistics prints text or json, not {fmt}")
    known = {rule.name: rule for rule in rules}
    counts: dict[str, list[int]] = {}
    severity: dict[str, str] = {}
    for d in diagnostics:
        row = counts.setdefault(d.rule, [0, 0])
        row[0] += 1
        row[1] += d.fix is not None
        severity.setdefault(d.rule, d.severity)  # as configured: [severity] may change it
    order = sorted(counts, key=lambda name: (-counts[name][0], known[name].code))
    if fmt == "json":
        entries = [
            {
                "code": known[name].code,
                "name": name,
                "severity": severity[name],
                "count": counts[name][0],
                "fixable": counts[name][1],
            }
            for name in order
        ]
        return json.dumps({"version": 1, "statistics": entries}, indent=2) + "\n"
    if not order:
        return "No findings.\n"
    width = max(len(str(counts[name][0])) for name in order)
    code_width = max(len(known[name].code) for name in order)
    name_width = max(len(name) for name in order)
    lines = []
    for name in order:
        count, fixable = counts[name]
        mark = f"  {fixable} fixable" if fixable else ""
        lines.append(
            f"{count:>{width}}  {known[name].code:<{code_width}}  {name:<{name_width}}  "
            f"{severity[name]:<7}{mark}".rstrip()
        )
    total = sum(row[0] for row in counts.values())
    lines.append(f"{total:>{width}}  in all")
    return "\n".join(lines) + "\n"


Reported = Callable[[Sequence[Diagnostic], Mapping[str, str]], list[Diagnostic]]


def _reported(args: argparse.Namespace, project: Project, diff_ref: str | None) -> Reported:
    """What the run reports, and so what ``--fix`` fixes: findings at or above their file's
    ``min-severity`` that its baseline does not record, on the lines changed since ``--diff REF``
    or staged (``--staged``) when asked. It takes the texts of files being fixed, whose findings
    are fingerprinted against the text in memory."""
    known: dict[Path, Counter[tuple[str, str, str]]] = {}
    changed = None
    if diff_ref is not None or args.staged:
        changed = gitdiff.changed_lines(Path.cwd(), diff_ref, args.staged)

    def reported(diagnostics: Sequence[Diagnostic], texts: Mapping[str, str]) -> list[Diagnostic]:
        # below min-severity: neither reported, fixed nor failing the run
        kept = [
            d
            for d in diagnostics
            if severity_at_least(d.severity, project.config(d.path).min_severity)
        ]
        by_baseline: dict[Path | None, list[Diagnostic]] = {}
        for d in kept:
            by_baseline.setdefault(_baseline_file(args, project.config(d.path)), []).append(d)
        kept = []
        for path, found in by_baseline.items():
            if path is not None and path not in known:
                known[path] = baseline.load(path)
            if path is not None and known[path]:
                found = baseline.hide(found, known[path], texts, root=path.parent)
            kept += found
        kept.sort(key=Diagnostic.sort_key)
        return [d for d in kept if changed.touches(d)] if changed else kept

    return reported


def _baseline_file(args: argparse.Namespace, config: Config) -> Path | None:
    """``--baseline FILE``, else the configuration's ``baseline`` (relative to its folder)."""
    if getattr(args, "baseline", None) is not None:
        return Path(args.baseline)
    return config.root / config.baseline if config.baseline else None


def _fix(
    project: Project, result: RunResult, reported: Reported, unsafe: bool, dry_run: bool
) -> int:
    """Fix the findings the run reports (or print the fixes as a diff); returns the count. Each
    file is fixed by the linter of its own configuration."""
    wanted = fix.applicable(reported(result.diagnostics, {}), unsafe)
    groups: dict[int, tuple[Linter, list[Path]]] = {}
    for path in sorted({d.path for d in wanted}):
        linter = project.linter(path)
        groups.setdefault(id(linter), (linter, []))[1].append(Path(path))
    results = [
        outcome
        for linter, paths in groups.values()
        for outcome in fix.apply_fixes(
            paths,
            linter,
            unsafe=unsafe,
            write=not dry_run,
            site=result.site,
            only=lambda path, text, found: reported(found, {path: text}),
        )
    ]
    results.sort(key=lambda outcome: str(outcome.path))
    for outcome in results:
        for warning in outcome.dropped_warnings:
            print(f"postlint: warning: {warning}", file=sys.stderr)
        if dry_run and outcome.changed:
            sys.stdout.write(fix.unified_diff(outcome.path, outcome.original, outcome.fixed))
    return sum(outcome.applied for outcome in results)


def _exit_code(project: Project, result: RunResult, diagnostics: Sequence[Diagnostic]) -> int:
    for error in result.errors:
        print(f"postlint: {error}", file=sys.stderr)
    if result.errors:
        return EXIT_ERROR
    failed = any(severity_at_least(d.severity, project.config(d.path).fail_on) for d in diagnostics)
    return EXIT_FINDINGS if failed else EXIT_OK


def _diff_ref(args: argparse.Namespace) -> str | None:
    """``--diff REF``; anything that could be misread fails loudly. A bare ``--diff`` (which once
    printed fixes) and an empty ref (``--diff $BASE`` with the variable unset) would otherwise
    report on every line or none, and a path (``--diff content/``) was meant for ``--dry-run``."""
    value = args.diff
    if value is None:
        return None
    if value is True:
        raise CliError(
            "--diff needs a git ref (`--diff origin/main`); "
            "to print the fixes as a diff, use `--fix --dry-run`"
        )
    if not value.strip():
        raise CliError("--diff got an empty git ref (is the variable meant to hold it unset?)")
    if args.staged:
        raise CliError("--diff and --staged cannot be combined: use one or the other")
    if Path(value).exists() and not gitdiff.is_revision(value, Path.cwd()):
        raise CliError(
            f"--diff takes a git ref, and `{value}` is a path; "
            f"to print the fixes as a diff, use `--fix --dry-run {value}`"
        )
    return str(value)


def run_baseline(args: argparse.Namespace) -> int:
    """Write each file's findings to its configuration's baseline (``--output``: all to one
    file; a configuration without one: ``.postlint-baseline.json``); every baseline of a
    configuration that judged a checked file is rewritten, emptied when its files are clean."""
    project, result = lint(args)
    default = Path(".postlint-baseline.json")

    def target(path: str | Path) -> Path:
        return args.output or _baseline_file(args, project.config(path)) or default

    targets: dict[Path, list[Diagnostic]] = {target(f): [] for f in project.checked}
    for diagnostic in result.diagnostics:
        targets.setdefault(target(diagnostic.path), []).append(diagnostic)
    for path, found in (targets or {target(Path.cwd()): []}).items():
        count = baseline.write(path, found, root=path.parent)
        print(f"Wrote {count} finding{'s' if count != 1 else ''} to {path}.")
    return EXIT_OK


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more (got {value!r})")
    return int(value)


def _output_format(value: str) -> tuple[str, Path]:
    fmt, sep, file = value.partition("=")
    if not sep or fmt not in FORMATS or not file:
        raise CliError(
            f"--output-format takes FORMAT=FILE with FORMAT one of {', '.join(FORMATS)} "
            f"(got {value!r})"
        )
    return fmt, Path(file)


def _write(path: Path, content: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: cannot write the report: {exc.strerror}") from None


def _colour_terminal() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def rule_catalogue(catalogue: Catalogue, docs_url: str | None = None) -> dict[str, object]:
    """The catalogue as data (``postlint rules --format json``)."""
    entries = []
    for family in catalogue.families:
        for rule in family.rules:
            entries.append(
                {
                    "code": rule.code,
                    "name": rule.name,
                    "family": family.name,
                    "summary": rule.summary,
                    "severity": rule.severity,
                    "fixable": rule.fixable,
                    "default": rule.default,
                    "options": [
                        {
                            "name": o.name,
                            "default": _jsonable(o.default),
                            "doc": o.doc,
                            "table": family.name,
                        }
                        for o in family.options
                    ],
                    "docs": rule.docs(),
                    "url": rule.url(docs_url),
                }
            )
    return {"version": 1, "rules": entries}


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def run_rules(args: argparse.Namespace) -> int:
    from postlint import api

    config, catalogue = api.load(Path.cwd())  # with the packs the configuration names
    if args.docs is not None:
        count, removed = docs.write(args.docs, catalogue)
        gone = f"; removed {', '.join(removed)}" if removed else ""
        print(f"Wrote {count} rule pages and {docs.INDEX} in {args.docs}{gone}.")
        return EXIT_OK
    if args.format == "json":
        data = rule_catalogue(catalogue, config.docs_url)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    rows = [
        (
            r.code,
            r.name,
            r.severity,
            "yes" if r.fixable else "",
            "" if r.default else "off",
            r.summary,
        )
        for r in catalogue.rules
    ]
    header = ("CODE", "NAME", "SEVERITY", "FIX", "DEFAULT", "SUMMARY")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        sys.stdout.write(
            "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False))
            + "  "
            + row[5]
            + "\n"
        )
    return EXIT_OK


def run_rule(args: argparse.Namespace) -> int:
    from postlint import api

    catalogue = api.load(Path.cwd())[1]  # with the packs the configuration names
    rule = catalogue.find(args.rule)
    if rule is None:
        import difflib

        names = [r.name for r in catalogue.rules]
        close = difflib.get_close_matches(args.rule, names, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise CliError(f"no rule is called or coded `{args.rule}`{hint}")
    sys.stdout.write(docs.describe_rule(rule, catalogue))
    return EXIT_OK


def add_server(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    server = commands.add_parser(
        "server",
        parents=[common],
        help="run the language server for editors (LSP over stdio)",
        description="Run the language server for editors, over stdin and stdout: diagnostics "
        "as you type, fixes and rule documentation (README: Editors).",
    )
    server.set_defaults(handler=run_server)


def run_server(args: argparse.Namespace) -> int:
    try:
        from postlint import server
    except ModuleNotFoundError as exc:  # an optional extra: pip install 'postlint[server]'
        missing = (exc.name or "").split(".")[0]
        if missing not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        raise CliError(
            f"the language server needs {missing}: pip install 'postlint[server]'"
        ) from None
    return server.serve()


COMMANDS: list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser], argparse.ArgumentParser], None]
] = [
    add_check,
    add_rules,
    add_baseline,
    stats.register,
    init.register,
    add_server,
]
