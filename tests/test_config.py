"""Configuration discovery and strict validation with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config, ConfigError, find_config, load_config

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
