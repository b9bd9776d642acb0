"""Configuration discovery and strict validation with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config, ConfigError, find_config, load_config
from tests.conftest import run_cli

FAMILIES = api.catalogue().families


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_from_the_checked_path_upward(tmp_path: Path) -> None:
    config = write(tmp_path / "postlint.toml", 'ignore = ["file-bom"]\n')
    nested = tmp_path / "content" / "posts"
    nested.mkdir(parents=True)
    assert find_config(nested) == config
    assert find_config(nested / "a.md") == config


def test_dot_file_and_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None  # a pyproject without [tool.postlint] is not ours
    write(tmp_path / "pyproject.toml", "[tool.postlint]\nfail-on = 'warning'\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    assert load_config(tmp_path / "pyproject.toml", FAMILIES).fail_on == "warning"
    write(tmp_path / ".postlint.toml", "fail-on = 'info'\n")
    assert find_config(tmp_path) == tmp_path / ".postlint.toml"


def test_values_and_family_options(tmp_path: Path) -> None:
    path = write(
        tmp_path / "postlint.toml",
        'select = ["FM"]\nextend-select = ["file-bom"]\nignore = ["FM006"]\n'
        '[per-file-ignores]\n"content/archive/*" = ["frontmatter-date"]\n'
        '[frontmatter]\nrequired = ["title", "date"]\nallow-future = true\n',
    )
    config = load_config(path, FAMILIES)
    assert config.select == ("FM",) and config.extend_select == ("file-bom",)
    assert config.ignore == ("FM006",)
    assert config.per_file_ignores == {"content/archive/*": ("frontmatter-date",)}
    family = next(f for f in FAMILIES if f.name == "frontmatter")
    assert config.options(family)["required"] == ("title", "date")
    assert config.options(family)["allow-future"] is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["FM"]\n', ":1: unknown key `selct` (did you mean `select`?)."),
        (
            '\n[frontmatter]\nrequird = ["title"]\n',
            ":3: unknown key `requird` in [frontmatter] (did you mean `required`?).",
        ),
        (
            "[frontmatter]\nallow-future = 'yes'\n",
            ":2: `frontmatter.allow-future` must be true or false (got 'yes').",
        ),
        (
            "[frontmatter]\nrequired = 'title'\n",
            ":2: `frontmatter.required` must be a list of strings (got 'title').",
        ),
        (
            "fail-on = 'fatal'\n",
            ":1: `fail-on` must be one of error, warning, info, never (got 'fatal').",
        ),
        ("frontmatter = 3\n", ":1: `frontmatter` must be a table ([frontmatter])."),
    ],
)
def test_errors_name_file_line_and_nearest_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "postlint.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(path, FAMILIES)
    assert str(error.value) == f"{path}{message}"


def test_broken_toml_and_non_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "postlint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(path, FAMILIES)
    path.write_bytes(b"select = ['\xff']\n")
    with pytest.raises(ConfigError, match="cannot read the configuration"):
        load_config(path, FAMILIES)


def test_fingerprint_changes_with_options() -> None:
    assert Config().fingerprint() == Config().fingerprint()
    assert Config().fingerprint() != Config(ignore=("file-bom",)).fingerprint()


# -- unknown rules (issue 15) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'select = ["spellin"]\n',
            ":1: unknown rule `spellin` in `select` (did you mean `spelling`?).",
        ),
        (
            'ignore = [\n  "spelling",\n  "link-brokn",\n]\n',
            ":3: unknown rule `link-brokn` in `ignore` (did you mean `link-broken`?).",
        ),
        (
            'extend-select = ["profanty"]\n',
            ":1: unknown rule `profanty` in `extend-select` (did you mean `profanity`?).",
        ),
        (
            'extend-ignore = ["tag-mising"]\n',
            ":1: unknown rule `tag-mising` in `extend-ignore` (did you mean `tag-missing`?).",
        ),
        (
            '[per-file-ignores]\n"content/*.md" = ["FM001", "readablity"]\n',
            ":2: unknown rule `readablity` in `per-file-ignores` for `content/*.md` "
            "(did you mean `readability`?).",
        ),
        (
            '[severity]\nspellin = "info"\n',
            ":2: unknown rule `spellin` in [severity] (did you mean `spelling`?).",
        ),
        (
            '[severity]\nspelling = "minor"\n',
            ":2: `severity.spelling` must be error, warning or info (got 'minor').",
        ),
    ],
)
def test_an_unknown_rule_is_an_error_naming_file_line_and_nearest_rule(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path / "postlint.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(path, FAMILIES)
    assert str(error.value) == f"{path}{message}"


def test_cli_unknown_rule_in_the_file_is_exit_2_not_all_clear(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {"content/a.md": '+++\ntitle = "A"\n+++\nTeh end.\n'}, config='select = ["spellin"]\n'
    )
    result = run_cli("check", "--no-cache", cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "postlint: error: postlint.toml:1: unknown rule `spellin` in `select` "
        "(did you mean `spelling`?).\n"
    )


# -- a site configuration that cannot be read (issue 15) -------------------------------------


@pytest.mark.parametrize("command", [["check", "--no-cache"], ["stats"], ["init"]])
def test_a_broken_site_config_is_exit_2_with_file_and_line(site, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    broken = 'base_url = "https://example.org"\ntitle = "Unclosed\n'
    root = site({"content/a.md": GOOD_LINKED}, site_config=broken)
    result = run_cli(*command, cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "postlint: error: config.toml:2: the site configuration is not valid TOML: "
        "illegal character '\\n' (column 18).\n"
    )
    assert not (root / "postlint.toml").exists()  # init wrote nothing


def test_a_site_config_that_is_not_utf8_is_exit_2(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": GOOD_LINKED}, site_config=None)
    (root / "hugo.toml").write_bytes(b'baseURL = "https://example.org"\ntitle = "Caf\xe9"\n')
    result = run_cli("check", "--no-cache", "content", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        "postlint: error: hugo.toml: cannot read the site configuration: it is not UTF-8 text\n"
    )


def test_a_readable_site_config_still_judges_internal_links(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/a.md": GOOD_LINKED})
    result = run_cli("check", "--no-cache", "--select", "link-internal-broken", cwd=root)
    assert result.returncode == 1 and "LNK001" in result.stdout


GOOD_LINKED = '+++\ntitle = "A"\n+++\nSee [the other post](@/missing.md).\n'


# -- option values validated when loaded (issue 15) ------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[links]\nconcurrency = 0", "`links.concurrency` must be at least 1 (got 0)."),
        (
            "[links]\nper-host-concurrency = -2",
            "`links.per-host-concurrency` must be at least 1 (got -2).",
        ),
        ("[links]\ntimeout = 0", "`links.timeout`: must be more than 0 (got 0.0)."),
        ("[links]\ndeadline = -1.5", "`links.deadline`: must be more than 0 (got -1.5)."),
        ("[links]\nretries = -1", "`links.retries` must be at least 0 (got -1)."),
        ("[links]\nmax-retry-wait = -1", "`links.max-retry-wait` must be at least 0 (got -1.0)."),
        ("[links]\ncache-ttl = -60", "`links.cache-ttl` must be at least 0 (got -60.0)."),
        ("[links]\nconcurrency = true", "`links.concurrency` must be a number (got True)."),
        (
            '[links]\nexclude = ["("]',
            "`links.exclude`: `(` is not a regular expression: missing ), unterminated subpattern "
            "at position 0.",
        ),
        (
            '[links]\nexclude = "example.org"',
            "`links.exclude` must be a list of strings (got 'example.org').",
        ),
        (
            "[links]\naccept = [403, 99]",
            "`links.accept`: 99 is not an HTTP status; write numbers such as 403.",
        ),
        (
            '[links]\naccept = ["forbidden"]',
            "`links.accept`: 'forbidden' is not an HTTP status; write numbers such as 403.",
        ),
        (
            '[links]\nheaders = { "example.org" = "token" }',
            "`links.headers`: `example.org` must be a table of header values, as "
            '{ Cookie = "a=1" }.',
        ),
        (
            "[formatting]\nstray-emphasis-threshold = 0",
            "`formatting.stray-emphasis-threshold` must be at least 1 (got 0).",
        ),
        ("[readability]\nmin-words = 0", "`readability.min-words` must be at least 1 (got 0)."),
        (
            "[readability]\nmax-sentence-words = 0",
            "`readability.max-sentence-words` must be at least 1 (got 0).",
        ),
        (
            '[readability]\nmetric = "fog"',
            "`readability.metric` must be one of 'flesch-reading-ease', 'flesch-kincaid-grade' "
            "(got 'fog').",
        ),
        ("[spelling]\nsite-min-posts = 0", "`spelling.site-min-posts` must be at least 1 (got 0)."),
        ('[tags]\ncase = "camel"', None),
        (
            '[authors]\nroster = "Ann Lee"',
            "`authors.roster` must be a list of strings (got 'Ann Lee').",
        ),
    ],
)
def test_option_values_are_checked_when_loaded(
    tmp_path: Path, table: str, message: str | None
) -> None:
    path = write(tmp_path / "postlint.toml", f"# house style\n{table}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path, FAMILIES)
    text = str(error.value)
    assert text.startswith(f"{path}:3: ")
    if message is not None:
        assert text == f"{path}:3: {message}"


def test_spelling_language_is_checked_when_loaded(tmp_path: Path) -> None:
    path = write(tmp_path / "postlint.toml", '[spelling]\nlanguage = "klingon"\n')
    with pytest.raises(
        ConfigError,
        match=r"postlint.toml:2: `spelling.language`: there is no "
        r"dictionary for `klingon` \(there is: .*\ben\b",
    ):
        load_config(path, FAMILIES)


def test_every_option_refuses_a_value_of_the_wrong_type(tmp_path: Path) -> None:
    """No option of any family reaches a rule unchecked: a wrong type is refused at load."""
    wrong = {bool: '"yes"', int: '"many"', float: '"soon"', str: "3", list: '"one"', dict: "3"}
    checked = 0
    for family in FAMILIES:
        for option in family.options:
            kind = option.kind
            value = '"no-such-choice"' if isinstance(kind, tuple) else wrong.get(kind, '"x y"')
            path = write(tmp_path / "postlint.toml", f"[{family.name}]\n{option.name} = {value}\n")
            with pytest.raises(ConfigError, match=r"postlint.toml:2: `"):
                load_config(path, FAMILIES)
            checked += 1
    assert checked >= 40


def test_accepted_statuses_are_normalised_once(tmp_path: Path) -> None:
    path = write(tmp_path / "postlint.toml", '[links]\naccept = ["403", 429]\n')
    links = next(f for f in FAMILIES if f.name == "links")
    assert load_config(path, FAMILIES).options(links)["accept"] == (403, 429)


def test_lists_are_lists_not_strings(tmp_path: Path) -> None:
    path = write(tmp_path / "postlint.toml", 'exclude = "content/*"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path, FAMILIES)
    assert str(error.value) == (
        f"{path}:1: `exclude` must be a list of strings (got 'content/*') "
        '(write `exclude = ["content/*"]`).'
    )


def test_files_the_configuration_names_must_exist(tmp_path: Path) -> None:
    path = write(tmp_path / "postlint.toml", 'packs = ["style/house.toml"]\n')
    with pytest.raises(ConfigError) as error:
        load_config(path, FAMILIES)
    assert str(error.value) == (
        f"{path}:1: `packs` names `style/house.toml`, which does not exist "
        f"({tmp_path / 'style' / 'house.toml'})."
    )
    write(tmp_path / "postlint.toml", '\n[tags]\nvocabulary-file = "style"\n')
    (tmp_path / "style").mkdir(exist_ok=True)
    with pytest.raises(
        ConfigError,
        match=r":3: `tags.vocabulary-file` names `style`, which is a "
        r"folder, not a file",
    ):
        load_config(path, FAMILIES)


@pytest.mark.parametrize(
    "table",
    ["[links]\nconcurrency = 0\nexternal = true", '[links]\nexclude = ["("]\nexternal = true'],
)
def test_cli_bad_option_is_exit_2_before_any_report(site, table: str) -> None:  # type: ignore[no-untyped-def]
    post = '+++\ntitle = "A"\n+++\nSee [the docs](http://127.0.0.1:9/docs).\n'
    root = site({"content/a.md": post}, config=table + "\n")
    result = run_cli("check", "--no-cache", cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("postlint: error: postlint.toml:")
    assert len(result.stderr.splitlines()) == 1 and "internal error" not in result.stderr
