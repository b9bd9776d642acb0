"""``extend = "base.toml"``: one house style for several sites (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlint import api
from postlint.config import ConfigError, load_config
from tests.conftest import run_cli, write_site

FAMILIES = api.catalogue().families
PACK = """[pack]
name = "house"
prefix = "HSE"
description = "Our newsroom's style."

[[rule]]
code = "HSE001"
name = "house-email"
kind = "substitution"
severity = "warning"
message = "Write `{replacement}`, not `{match}`."
swap = { "e-mail" = "email" }

[[rule.example]]
bad = "Send us an e-mail."
good = "Send us an email."
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def family(name: str) -> object:
    return next(f for f in FAMILIES if f.name == name)


def test_the_extending_files_keys_win_and_lists_extend(tmp_path: Path) -> None:
    write(
        tmp_path / "style" / "base.toml",
        'extend-select = ["profanity"]\nignore = ["tag-missing"]\nfail-on = "warning"\n'
        'exclude = ["content/drafts/*"]\n'
        '[per-file-ignores]\n"content/archive/*" = ["spelling"]\n"content/old/*" = ["links"]\n'
        '[severity]\nspelling = "info"\n'
        '[spelling]\nwords = ["Zola", "Hugo"]\nvariant = "gb"\n'
        '[frontmatter]\nrequired = ["title", "date"]\n',
    )
    site = write(
        tmp_path / "blog" / "postlint.toml",
        'extend = "../style/base.toml"\nextend-select = ["inclusive"]\n'
        'extend-ignore = ["image-unused"]\nextend-exclude = ["content/tmp/*"]\n'
        '[per-file-ignores]\n"content/old/*" = ["tags"]\n'
        '[severity]\nLNK = "error"\n'
        '[spelling]\nextend-words = ["Tera"]\nvariant = "us"\n'
        '[frontmatter]\nextend-required = ["description"]\n',
    )
    config = load_config(site, FAMILIES)
    assert config.path == site and config.root == site.parent
    assert config.select is None
    assert config.extend_select == ("profanity", "inclusive")
    assert config.ignore == ("tag-missing", "image-unused")
    assert config.exclude == ("content/drafts/*", "content/tmp/*")
    assert config.fail_on == "warning"
    assert config.per_file_ignores == {
        "content/archive/*": ("spelling",),
        "content/old/*": ("tags",),
    }
    assert config.severity == {"spelling": "info", "LNK": "error"}
    spelling = config.options(family("spelling"))  # type: ignore[arg-type]
    assert spelling["words"] == ("Zola", "Hugo", "Tera") and spelling["variant"] == "us"
    required = config.options(family("frontmatter"))["required"]  # type: ignore[arg-type]
    assert required == ("title", "date", "description")


def test_a_select_drops_the_bases_extend_select_and_ignore_replaces(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'extend-select = ["profanity"]\nignore = ["tag-missing"]\n')
    site = write(
        tmp_path / "postlint.toml",
        'extend = "base.toml"\nselect = ["links"]\nignore = ["LNK008"]\n',
    )
    config = load_config(site, FAMILIES)
    assert (config.select, config.extend_select, config.ignore) == (("links",), (), ("LNK008",))


def test_extend_words_without_a_base_adds_to_the_default(tmp_path: Path) -> None:
    site = write(tmp_path / "postlint.toml", '[frontmatter]\nextend-required = ["date"]\n')
    config = load_config(site, FAMILIES)
    assert config.options(family("frontmatter"))["required"] == ("title", "date")  # type: ignore[arg-type]


def test_relative_paths_resolve_against_the_file_that_names_them(tmp_path: Path) -> None:
    write(tmp_path / "style" / "house.toml", PACK)
    write(tmp_path / "style" / "words.txt", "Zarquon\n")
    write(tmp_path / "style" / "tags.txt", "Release\n")
    write(
        tmp_path / "style" / "base.toml",
        'packs = ["house.toml"]\n[spelling]\ndictionaries = ["words.txt"]\n'
        '[tags]\nvocabulary-file = "tags.txt"\n',
    )
    site = write(tmp_path / "blog" / "postlint.toml", 'extend = "../style/base.toml"\n')
    config = load_config(site, FAMILIES)
    assert config.packs == (str(tmp_path / "style" / "house.toml"),)
    spelling = config.options(family("spelling"))  # type: ignore[arg-type]
    assert spelling["dictionaries"] == (str(tmp_path / "style" / "words.txt"),)
    tags = config.options(family("tags"))  # type: ignore[arg-type]
    assert tags["vocabulary-file"] == str(tmp_path / "style" / "tags.txt")
    assert "house" in {f.name for f in api.load(site.parent)[1].families}


def test_a_cycle_names_the_files(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extend = "b.toml"\n')
    write(tmp_path / "b.toml", 'ignore = ["FM"]\n\nextend = "a.toml"\n')
    site = write(tmp_path / "postlint.toml", 'extend = "a.toml"\n')
    with pytest.raises(ConfigError) as error:
        load_config(site, FAMILIES)
    assert str(error.value) == (
        f"{tmp_path / 'b.toml'}:3: `extend` makes a cycle: {tmp_path / 'a.toml'} -> "
        f"{tmp_path / 'b.toml'} -> {tmp_path / 'a.toml'}."
    )
    write(tmp_path / "postlint.toml", 'extend = "postlint.toml"\n')
    with pytest.raises(ConfigError, match=r"`extend` makes a cycle: .*postlint.toml -> .*postlint"):
        load_config(site, FAMILIES)


def test_a_missing_base_names_both_files(tmp_path: Path) -> None:
    site = write(tmp_path / "postlint.toml", 'fail-on = "info"\nextend = "../house/base.toml"\n')
    with pytest.raises(ConfigError) as error:
        load_config(site, FAMILIES)
    assert str(error.value) == (
        f"{site}:2: `extend` names `../house/base.toml`, which does not exist "
        f"({tmp_path.parent / 'house' / 'base.toml'})."
    )


def test_an_error_in_the_base_names_the_base(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", "[links]\n\nconcurrency = 0\n")
    site = write(tmp_path / "postlint.toml", 'extend = "base.toml"\n')
    with pytest.raises(ConfigError) as error:
        load_config(site, FAMILIES)
    assert str(error.value) == (
        f"{tmp_path / 'base.toml'}:3: `links.concurrency` must be at least 1 (got 0)."
    )


def test_a_monorepo_of_two_sites_shares_its_house_style(tmp_path: Path) -> None:
    write(tmp_path / "style" / "house.toml", PACK)
    write(
        tmp_path / "style" / "base.toml",
        'packs = ["house.toml"]\nfail-on = "warning"\nselect = ["house", "spelling"]\n'
        '[spelling]\nwords = ["Zarquon"]\n',
    )
    post = '+++\ntitle = "News"\n+++\nZarquon says: send us an e-mail, Trillian.\n'
    for name, own in (("blog", ""), ("docs", '[spelling]\nextend-words = ["Trillian"]\n')):
        write_site(
            tmp_path / name,
            {"content/news.md": post},
            config=f'extend = "../style/base.toml"\n{own}',
        )
    blog = run_cli("check", "--no-cache", "--format", "json", cwd=tmp_path / "blog")
    docs = run_cli("check", "--no-cache", "--format", "json", cwd=tmp_path / "docs")
    assert (blog.returncode, docs.returncode) == (1, 1), blog.stderr + docs.stderr
    found = {
        name: [(d["rule"], d["column"]) for d in json.loads(run.stdout)["diagnostics"]]
        for name, run in (("blog", blog), ("docs", docs))
    }
    assert found == {
        "blog": [("house-email", 26), ("spelling", 34)],
        "docs": [("house-email", 26)],
    }
    (tmp_path / "style" / "base.toml").unlink()
    missing = run_cli("check", "--no-cache", cwd=tmp_path / "blog")
    assert missing.returncode == 2
    assert missing.stderr == (
        "postlint: error: postlint.toml:1: `extend` names `../style/base.toml`, which does not "
        f"exist ({tmp_path / 'style' / 'base.toml'}).\n"
    )
