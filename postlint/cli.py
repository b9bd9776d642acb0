"""The command line: parse arguments, call the API, print a report, exit with a documented code.

Exit codes: 0 nothing at or above ``fail-on``; 1 findings at or above it; 2 a usage,
configuration or internal error, said in one line on stderr (``--debug`` adds the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from postlint import baseline, fix, gitdiff, init, stats
from postlint.config import ConfigError, severity_at_least
from postlint.engine import Linter, RunResult, UsageError
from postlint.model import Diagnostic
from postlint.registry import Catalogue, RegistryError
from postlint.report import FORMATS, render
from postlint.rule import Rule
from postlint.services import Note, Notes
from postlint.version import __version__

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
        "--diff",
        nargs="?",
        const="",
        metavar="REF",
        help="only report findings on lines changed since the git ref REF (and in files added "
        "since); without REF, with --fix: print the fixes as a unified diff and write nothing",
    )
    check.add_argument(
        "--fix", action="store_true", help="apply safe fixes, then report what is left"
    )
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, also apply fixes that change words the writer chose",
    )
    check.add_argument(
        "--staged", action="store_true", help="only report findings on lines staged in git"
    )
    check.add_argument(
        "--baseline", type=Path, metavar="FILE", help="hide the findings recorded in FILE"
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
        help="where to keep the cache (default: .postlint-cache in the site)",
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
        description="Record today's findings in a baseline file, so that `postlint check "
        "--baseline FILE` reports only new ones. Entries survive lines moving.",
    )
    add_run_options(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path(".postlint-baseline.json"),
        metavar="FILE",
        help="where to write it (default: .postlint-baseline.json)",
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


def add_rules(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    rules = commands.add_parser(
        "rules", parents=[common], help="list every rule", description="List every rule."
    )
    rules.add_argument("--format", default="text", choices=("text", "json"))
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


def selection_overrides(args: argparse.Namespace, catalogue: Catalogue) -> dict[str, object]:
    select, extend, ignore = _split(args.select), _split(args.extend_select), _split(args.ignore)
    for option, values in (("--select", select), ("--extend-select", extend), ("--ignore", ignore)):
        unknown = catalogue.unknown_selectors(values or ())
        if unknown:
            raise CliError(f"{option}: {catalogue.unknown_message(unknown[0])}")
    return {"select": select, "extend_select": extend, "ignore": ignore, "fail_on": args.fail_on}


def lint(args: argparse.Namespace) -> tuple[Linter, RunResult]:
    """Run the checks the arguments ask for (shared by ``check`` and ``baseline``)."""
    from postlint import api
    from postlint.engine import collect_files
    from postlint.site import default_paths, detect_site

    paths = args.paths or default_paths()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise CliError(f"{path}: no such file or directory")
    if args.jobs is not None and args.jobs < 1:
        raise CliError("--jobs must be at least 1")
    config, catalogue = api.load(paths[0], args.config)
    overrides = selection_overrides(args, catalogue)
    links = {"external": True} if args.external else {}
    if args.verbose:
        links["verbose"] = True
    if links:
        tables = config.tables
        overrides["tables"] = {**tables, "links": {**tables.get("links", {}), **links}}
    # the catalogue loaded with the configuration (api.make_linter would load it again)
    notes = Notes(show=Terminal())
    linter = Linter(config.with_overrides(**overrides), catalogue, detect_site(paths[0]), notes)
    files = collect_files(paths, linter.site, linter.config.exclude)
    cache_dir = None if args.no_cache else (args.cache_dir or linter.site.root / ".postlint-cache")
    result = linter.run(files, jobs=args.jobs, cache_dir=cache_dir)
    return linter, result


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
    extra = [_output_format(value) for value in args.output_format]
    linter, result = lint(args)
    show_diff = args.diff == ""
    if args.fix or args.unsafe_fixes or show_diff:
        applied = _fix(linter, result, unsafe=args.unsafe_fixes, show_diff=show_diff)
        if show_diff:
            return EXIT_FINDINGS if applied else EXIT_OK
        if applied:
            linter, result = lint(args)
        done = f"Applied {applied} fix{'es' if applied != 1 else ''}."
        print(done, file=sys.stdout if args.format == "text" and not args.output else sys.stderr)
    diagnostics = result.diagnostics
    if diff_ref is not None or args.staged:
        changed = gitdiff.changed_lines(Path.cwd(), diff_ref, args.staged)
        diagnostics = [d for d in diagnostics if changed.touches(d)]
    if args.baseline:
        diagnostics = baseline.hide(diagnostics, baseline.load(args.baseline))
    colour = args.output is None and not args.no_color and _colour_terminal()
    rules = linter.catalogue.rules
    root = Path.cwd()
    report = render(args.format, diagnostics, rules, result.files, root, colour)
    if args.output:
        _write(args.output, report)
    else:
        sys.stdout.write(report)
    for fmt, path in extra:
        _write(path, render(fmt, diagnostics, rules, result.files, root))
    return _exit_code(linter, result, diagnostics)


def _fix(linter: Linter, result: RunResult, unsafe: bool, show_diff: bool) -> int:
    """Apply the fixes of the files that have any (or print them as a diff); returns the count."""
    wanted = fix.applicable(result.diagnostics, unsafe)
    paths = sorted({d.path for d in wanted})
    results = fix.apply_fixes(
        [Path(p) for p in paths], linter, unsafe=unsafe, write=not show_diff, site=result.site
    )
    for outcome in results:
        for warning in outcome.dropped_warnings:
            print(f"postlint: warning: {warning}", file=sys.stderr)
        if show_diff and outcome.changed:
            sys.stdout.write(fix.unified_diff(outcome.path, outcome.original, outcome.fixed))
    return sum(outcome.applied for outcome in results)


def _exit_code(linter: Linter, result: RunResult, diagnostics: Sequence[Diagnostic]) -> int:
    for error in result.errors:
        print(f"postlint: {error}", file=sys.stderr)
    if result.errors:
        return EXIT_ERROR
    fail_on = linter.config.fail_on
    failed = any(severity_at_least(d.severity, fail_on) for d in diagnostics)
    return EXIT_FINDINGS if failed else EXIT_OK


def _diff_ref(args: argparse.Namespace) -> str | None:
    """``--diff REF`` limits findings to changed lines; a bare ``--diff`` shows fixes as a diff.

    A value that is an existing path and no commit was meant as a path: ``--diff content/``.
    """
    value = args.diff
    if value is None or value == "":
        return None
    if Path(value).exists() and not gitdiff.is_revision(value, Path.cwd()):
        args.paths.append(Path(value))
        args.diff = ""
        return None
    return str(value)


def run_baseline(args: argparse.Namespace) -> int:
    _, result = lint(args)
    count = baseline.write(args.output, result.diagnostics)
    print(f"Wrote {count} finding{'s' if count != 1 else ''} to {args.output}.")
    return EXIT_OK


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


def rule_catalogue(catalogue: Catalogue) -> dict[str, object]:
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
                    "url": rule.url(),
                }
            )
    return {"version": 1, "rules": entries}


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def run_rules(args: argparse.Namespace) -> int:
    from postlint import api

    catalogue = api.load(Path.cwd())[1]  # with the packs the configuration names
    if args.format == "json":
        sys.stdout.write(json.dumps(rule_catalogue(catalogue), indent=2, ensure_ascii=False) + "\n")
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
    sys.stdout.write(describe_rule(rule, catalogue))
    return EXIT_OK


def describe_rule(rule: type[Rule], catalogue: Catalogue) -> str:
    family = catalogue.family_of(rule)
    head = f"# {rule.name} ({rule.code})\n\n{rule.summary}.\n\n"
    facts = f"Severity: {rule.severity}. Fixable: {'yes' if rule.fixable else 'no'}. "
    facts += f"On by default: {'yes' if rule.default else 'no'}. Family: [{family.name}].\n\n"
    options = ""
    if family.options:
        options = f"\n\n## Options of [{family.name}]\n" + "\n".join(
            f"- `{o.name}` (default {json.dumps(_jsonable(o.default))}): {o.doc}"
            for o in family.options
        )
    return head + facts + textwrap.dedent(rule.docs()) + options + "\n"


COMMANDS: list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser], argparse.ArgumentParser], None]
] = [
    add_check,
    add_rules,
    add_baseline,
    stats.register,
    init.register,
]
