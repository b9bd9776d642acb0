# ruff: noqa: E501  (expected messages are kept on one line each, as the report prints them)
"""Which site a path belongs to, as the generators themselves find their configuration, and the
language of each page, as their rules decide it.

Hugo: the configuration file lookup (``hugo.*`` before ``config.*``; TOML, YAML, YML, JSON) and
the configuration folder (``LoadConfigFromDir`` in config/configLoader.go: ``_default`` then the
environment, ``NAME.CODE.*`` files under ``languages.CODE``), languages and their ``contentDir``,
``defaultContentLanguageInSubdir``, file name suffixes (the "Multilingual mode" page). Zola:
``default_language``, ``[languages.*]`` and ``FileInfo::find_language``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlint import api
from postlint.config import Config, ConfigError
from postlint.index import Language, place
from postlint.site import detect_site, read_site_config, written_in
from tests.conftest import run_cli, write_site

POST = '+++\ntitle = "{0}"\n+++\n{1}\n'


def hugo(root: Path, files: dict[str, str]) -> Path:
    """A Hugo site made of configuration files only (and a content folder)."""
    write_site(root, {"content/a.md": POST.format("A", "Text."), **files}, site_config=None)
    return root


# -- finding the configuration ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hugo.yaml", "baseURL: https://example.org/\ntitle: T\n"),
        ("hugo.yml", "baseURL: https://example.org/\n"),
        ("hugo.json", '{"baseURL": "https://example.org/"}'),
        ("hugo.toml", 'baseURL = "https://example.org/"\n'),
        ("config.yaml", "baseurl: https://example.org/\n"),  # Hugo's keys are case-insensitive
        ("config.json", '{"BaseURL": "https://example.org/"}'),
        ("config/_default/hugo.toml", 'baseURL = "https://example.org/"\n'),
        ("config/_default/config.yaml", "baseURL: https://example.org/\n"),
        ("config/_default/params.toml", 'description = "no root keys at all"\n'),
    ],
)
def test_every_form_of_hugo_configuration_makes_a_hugo_site(
    tmp_path: Path, name: str, text: str
) -> None:
    info = detect_site(hugo(tmp_path, {name: text}) / "content" / "a.md")
    assert (info.generator, info.root, info.content_dir) == ("hugo", tmp_path, tmp_path / "content")
    if "params" not in name:
        assert info.base_url == "https://example.org/"


def test_a_hugo_file_without_base_url_is_still_hugo_but_config_files_need_it(tmp_path: Path) -> None:
    assert detect_site(hugo(tmp_path / "h", {"hugo.yaml": "title: T\n"})).generator == "hugo"
    for name, text in [
        ("config.json", '{"port": 8080}'),  # another program's configuration
        ("config.yaml", "debug: true\n"),
        ("config/production/app.json", '{"baseURL": "x"}'),  # no _default folder
    ]:
        root = hugo(tmp_path / name.replace("/", "-"), {name: text})
        assert detect_site(root).generator == "plain", name


def test_hugo_takes_the_first_file_of_its_lookup_order(tmp_path: Path) -> None:
    root = hugo(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://yaml.example/\n",
            "hugo.toml": 'baseURL = "https://toml.example/"\n',
            "config.toml": 'baseURL = "https://config.example/"\n',
        },
    )
    assert detect_site(root).base_url == "https://toml.example/"


def test_zola_is_found_as_before(tmp_path: Path) -> None:
    zola = write_site(tmp_path / "z", {"content/a.md": POST.format("A", "T")})
    assert detect_site(zola).generator == "zola"
    own = hugo(tmp_path / "own", {"zola.toml": 'base_url = "https://z.example"\n'})
    assert (detect_site(own).generator, detect_site(own).base_url) == ("zola", "https://z.example")


def test_the_configuration_folder_is_merged_as_hugo_merges_it(tmp_path: Path) -> None:
    root = hugo(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://root.example/"\ntitle = "Root"\n[params]\nkept = 1\n',
            "config/_default/hugo.toml": 'baseURL = "http://localhost:1313/"\n',
            "config/_default/params.toml": 'description = "D"\n',
            "config/_default/params.fr.toml": 'description = "Description"\n',
            "config/_default/menus/menu.en.toml": '[[main]]\nname = "Home"\n',
            "config/_default/languages.toml": '[en]\nweight = 1\n[fr]\nweight = 2\nlanguageName = "Français"\n',
            "config/_default/languages.fr.toml": 'title = "Racine"\n',
            "config/_default/markup.yaml": "goldmark:\n  parser:\n    autoHeadingIDType: github-ascii\n",
            "config/_default/notes.txt": "not configuration",
            "config/production/hugo.json": '{"baseURL": "https://prod.example/"}',
            "config/development/hugo.toml": 'baseURL = "http://dev.example/"\n',
        },
    )
    info = detect_site(root)
    config = info.config
    assert info.base_url == "https://prod.example/"  # production: what `hugo` builds
    assert config["title"] == "Root"
    assert config["params"] == {"kept": 1, "description": "D"}
    assert config["languages"]["fr"] == {
        "weight": 2,
        "languagename": "Français",
        "title": "Racine",
        "params": {"description": "Description"},
    }
    assert config["languages"]["en"]["menus"] == {"main": [{"name": "Home"}]}
    assert info.anchors == "hugo-github-ascii"  # markup.yaml is the markup table


def test_config_dir_setting_moves_the_folder(tmp_path: Path) -> None:
    root = hugo(
        tmp_path,
        {
            "hugo.toml": 'configDir = "settings"\n',
            "settings/_default/hugo.toml": 'baseURL = "https://settings.example/"\n',
        },
    )
    assert detect_site(root).base_url == "https://settings.example/"


# -- a configuration that cannot be read ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "hugo.yaml",
            "baseURL: https://example.org/\ntitle: [unclosed\n",
            "hugo.yaml:3: the site configuration is not valid YAML: expected ',' or ']', but got '<stream end>' (column 1).",
        ),
        (
            "hugo.json",
            '{"baseURL": "https://example.org/",\n "title": }\n',
            "hugo.json:2: the site configuration is not valid JSON: expecting value (column 11).",
        ),
        (
            "hugo.yaml",
            "- just\n- a list\n",
            "hugo.yaml:1: the site configuration is not a table of settings in YAML.",
        ),
        (
            "config/_default/params.toml",
            'description = "unclosed\n',
            "config/_default/params.toml:1: the site configuration is not valid TOML: illegal character '\\n' (column 24).",
        ),
    ],
)
def test_a_site_configuration_that_cannot_be_read_is_exit_2_with_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    root = hugo(tmp_path, {name: text})
    result = run_cli("check", "--no-cache", cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"postlint: error: {message}\n"


def test_reading_a_configuration_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "hugo.json"
    path.write_bytes(b'{"title": "Caf\xe9"}')
    with pytest.raises(ConfigError, match=r"hugo.json: cannot read the site configuration: it is not UTF-8 text"):
        read_site_config(path)
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert read_site_config(tmp_path / "empty.yaml") == {}


# -- languages ----------------------------------------------------------------------------------

LANGUAGE_FOLDERS = {
    "hugo.toml": 'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n',
    "config/_default/languages.en.toml": 'contentDir = "content/en"\nweight = 1\n',
    "config/_default/languages.fr.toml": 'contentDir = "content/fr"\nweight = 2\n',
    "config/_default/languages.pt-br.toml": 'contentDir = "content/pt-br"\nweight = 3\n',
}


def test_hugo_languages_with_their_own_content_folders(tmp_path: Path) -> None:
    info = detect_site(hugo(tmp_path, LANGUAGE_FOLDERS))
    assert info.content_dir == tmp_path / "content"
    assert (info.language, info.languages) == (
        "en",
        (Language("en", "", "en"), Language("fr", "/fr", "fr"), Language("pt-br", "/pt-br", "pt-br")),
    )
    assert place(info, "fr/docs/faq.md") == place(info, "fr/docs/faq.md", {"lang": "xx"})
    assert place(info, "fr/docs/faq.md").language == "fr"
    assert (place(info, "fr/docs/faq.md").path, place(info, "fr/docs/faq.md").prefix) == ("docs/faq.md", "/fr")
    assert (place(info, "en/about.md").language, place(info, "en/about.md").prefix) == ("en", "")
    assert place(info, "fa/about.md").language is None  # no language has that folder: unpublished


def test_a_page_of_each_language_is_published_below_its_prefix(tmp_path: Path) -> None:
    root = hugo(
        tmp_path,
        {
            **LANGUAGE_FOLDERS,
            "content/en/docs/faq.md": POST.format("FAQ", "[French](/fr/docs/faq/) [gone](/fr/docs/nope/)"),
            "content/fr/docs/faq.md": POST.format("FAQ", "[anglais](/docs/faq/#questions) [x](../faq/)"),
            "content/pt-br/docs/_index.md": POST.format("Docs", "[FAQ](/docs/faq/)"),
        },
    )
    result = api.run_paths([root / "content"], Config(select=("link-internal-broken",)), jobs=1)
    assert result.site is not None
    urls = {s.rel: (s.url, s.language) for s in result.site.posts.values()}
    assert urls["fr/docs/faq.md"] == ("/fr/docs/faq/", "fr")
    assert urls["pt-br/docs/_index.md"] == ("/pt-br/docs/", "pt-br")
    assert urls["en/docs/faq.md"] == ("/docs/faq/", "en")
    assert [(Path(d.path).as_posix(), d.line, d.column, d.message) for d in result.diagnostics] == [
        (f"{root}/content/en/docs/faq.md", 4, 32, "`/fr/docs/nope/` is not a page of this site."),
    ]


def test_hugo_language_from_the_file_name_and_front_matter(tmp_path: Path) -> None:
    info = detect_site(
        hugo(
            tmp_path,
            {"hugo.yaml": "baseURL: https://example.org/\nlanguages:\n  en: {weight: 1}\n  fr: {weight: 2}\n  de: {weight: 3}\n"},
        )
    )
    assert [(lang.code, lang.prefix, lang.folder) for lang in info.languages] == [
        ("en", "", None),
        ("de", "/de", None),
        ("fr", "/fr", None),
    ]
    cases = {
        "about.fr.md": ("fr", "about.md", "/fr"),
        "posts/trip/index.fr.md": ("fr", "posts/trip/index.md", "/fr"),
        "posts/_index.de.md": ("de", "posts/_index.md", "/de"),
        "about.en.md": ("en", "about.md", ""),
        "about.md": ("en", "about.md", ""),
        "release.1.2.md": ("en", "release.1.2.md", ""),  # not a language code
    }
    for rel, expected in cases.items():
        placed = place(info, rel)
        assert (placed.language, placed.path, placed.prefix) == expected, rel
    placed = place(info, "about.md", {"lang": "de"})  # Hugo reads `lang` front matter too
    assert (placed.language, placed.prefix) == ("de", "/de")


def test_hugo_default_language_in_a_subfolder_and_one_host_per_language(tmp_path: Path) -> None:
    below = detect_site(
        hugo(
            tmp_path / "below",
            {"hugo.toml": 'defaultContentLanguageInSubdir = true\n[languages.en]\n[languages.es]\n'},
        )
    )
    assert [lang.prefix for lang in below.languages] == ["/en", "/es"]
    hosts = detect_site(
        hugo(
            tmp_path / "hosts",
            {"hugo.toml": '[languages.en]\nbaseURL = "https://en.example/"\n[languages.es]\nbaseURL = "https://es.example/"\n'},
        )
    )
    assert [lang.prefix for lang in hosts.languages] == ["", ""]
    one = detect_site(hugo(tmp_path / "one", {"hugo.toml": "defaultContentLanguageInSubdir = true\n"}))
    assert [lang.prefix for lang in one.languages] == [""]  # one language: no prefix
    german = detect_site(hugo(tmp_path / "de", {"hugo.toml": 'languageCode = "de-DE"\n'}))
    assert german.language == "de-de"  # a one-language site written in German


def test_hugo_content_mounted_from_a_language_folder(tmp_path: Path) -> None:
    root = hugo(
        tmp_path,
        {
            "hugo.yaml": "baseURL: /\nmodule:\n  mounts:\n    - source: content/en\n      target: content\n    - source: src\n      target: assets\n",
            "content/en/flux/_index.md": POST.format("Flux", "[Start](/flux/start/)"),
            "content/en/flux/start.md": POST.format("Start", "[Flux](/flux/) [setup](/flux/setup.md)"),
        },
    )
    info = detect_site(root)
    assert info.content_dir == root / "content/en"
    result = api.run_paths([info.content_dir], Config(select=("link-internal-broken",)), jobs=1)
    assert [(Path(d.path).name, d.column, d.message) for d in result.diagnostics] == [
        ("start.md", 24, "`/flux/setup.md` points at `content/en/flux/setup.md`, which does not exist."),
    ]


def test_zola_languages(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"content/a.md": POST.format("A", "T")},
        site_config='base_url = "https://e.org"\ndefault_language = "fr"\n[languages.en]\n[languages.fr]\ntitle = "F"\n',
    )
    info = detect_site(root)
    assert (info.language, info.languages) == ("fr", (Language("fr"), Language("en", "/en")))
    cases = {
        "blog/post.en.md": ("en", "blog/post.md", "/en"),
        "blog/post.md": ("fr", "blog/post.md", ""),
        "blog/post.fr.md": ("fr", "blog/post.fr.md", ""),  # Zola keeps the default's code
        "blog/2024-01-02-post.en.md": ("en", "blog/2024-01-02-post.md", "/en"),
        "blog/trip/index.en.md": ("en", "blog/trip/index.md", "/en"),
    }
    for rel, expected in cases.items():
        placed = place(info, rel)
        assert (placed.language, placed.path, placed.prefix) == expected, rel


def test_links_to_pages_a_build_step_writes_are_not_broken(tmp_path: Path) -> None:
    # Docs imported from other repositories at build time: .gitignore names where they go.
    root = hugo(
        tmp_path,
        {
            "hugo.yaml": "baseURL: /\nmodule:\n  mounts:\n    - {source: content/en, target: content}\n",
            "content/en/.gitignore": "community.md\nguides/imported-*.md\n",
            "content/en/guides/_index.md": POST.format("Guides", "All guides."),
            "content/en/guides/start.md": POST.format(
                "Start",
                "[Meet us](/community/#meetings), [imported](imported-setup.md), "
                "[the same](/guides/imported-setup/) and [missing](/guides/imported/).",
            ),
        },
    )
    result = run_cli("check", "--no-cache", "--select", "link-internal-broken", cwd=root)
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        1,
        "content/en/guides/start.md:4:115: LNK001 `/guides/imported/` is not a page of this site. [link-internal-broken]",
    )
    assert "Found 1 problem" in result.stdout
    (root / "content/en/.gitignore").unlink()  # nothing says a build step writes them
    found = api.lint_paths([root / "content"], Config(select=("link-internal-broken",)))
    assert [d.column for d in found] == [11, 45, 76, 115]


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ({"lang": "fr"}, "fr"),
        ({"language": "en-GB"}, "en-gb"),
        ({"lang": "pt_BR"}, "pt-br"),
        ({"languageCode": "de-AT"}, "de-at"),
        ({"Lang": "fr"}, "fr"),
        ({"language": "rust"}, None),  # about something else
        ({"language": "go"}, None),
        ({"lang": 3}, None),
        ({}, None),
    ],
)
def test_the_language_a_post_says_it_is_written_in(front_matter: dict[str, object], expected: str | None) -> None:
    assert written_in(front_matter) == expected


# -- the language gate -----------------------------------------------------------------------

ENGLISH = "We never recieve the the tide tables on time, and the harbour master's “notes' are late.\n"
FRENCH = "Nous nous levons tôt : les horaires des marées arrivent toujours en retard, et la capitainerie n'écrit rien.\n"
GATED = ("spelling", "repeated-word", "quote-style", "readability", "mojibake", "link-internal-broken")


def test_english_rules_skip_pages_in_other_languages(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/tides.md": POST.format("Tides", ENGLISH),
            "content/tides.fr.md": POST.format("Marées", FRENCH + "Le cafÃ© est froid. [Perdu](/fr/nulle-part/)\n"),
            "content/notes.md": '+++\ntitle = "Notes"\n[extra]\n+++\n' + FRENCH,
        },
        site_config='base_url = "https://e.org"\n[languages.fr]\n',
    )
    found = api.lint_paths([root / "content"], Config(select=GATED))
    got = [(Path(d.path).name, d.rule, d.line, d.column) for d in found]
    assert got == [
        # the site is English and the post does not say otherwise: read in English
        ("notes.md", "repeated-word", 5, 6),
        ("notes.md", "spelling", 5, 28),
        ("notes.md", "spelling", 5, 48),
        ("notes.md", "spelling", 5, 83),
        ("notes.md", "spelling", 5, 96),
        # French by its name: only what is wrong in any language (encoding damage, links)
        ("tides.fr.md", "mojibake", 5, 7),
        ("tides.fr.md", "link-internal-broken", 5, 29),
        ("tides.md", "spelling", 4, 10),
        ("tides.md", "repeated-word", 4, 22),
        ("tides.md", "quote-style", 4, 72),
    ]


def test_a_post_that_says_its_language_is_read_in_it(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/a.md": '+++\ntitle = "A"\n[extra]\nlang = "x"\n+++\nWe recieve it.\n',
            "content/b.md": '---\ntitle: B\nlang: fr-CA\n---\n' + FRENCH,
        },
    )
    found = api.lint_paths([root / "content"], Config(select=("spelling",)))
    assert [(Path(d.path).name, d.line, d.column) for d in found] == [("a.md", 6, 4)]


def test_a_folder_named_by_an_unconfigured_language_holds_pages_in_it(tmp_path: Path) -> None:
    # Translations wait in content/uz/ before the language is configured: Hugo publishes none of
    # them, and they are not English to spell-check; a folder not named by a language code is.
    root = hugo(
        tmp_path,
        {
            **LANGUAGE_FOLDERS,
            "content/en/a.md": POST.format("A", "We recieve it."),
            "content/uz/a.md": POST.format("A", "Sertifikatlar bepul va avtomatik beriladi."),
            "content/drafts/a.md": POST.format("A", "We recieve it too."),
        },
    )
    found = api.lint_paths([root / "content"], Config(select=("spelling",)))
    assert [(d.path.split("content/")[1], d.line, d.column) for d in found] == [
        ("drafts/a.md", 4, 4),
        ("en/a.md", 4, 4),
    ]


def test_spelling_reads_the_pages_of_its_dictionary_language(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/a.md": POST.format("A", "We recieve it."),
            "content/a.es.md": POST.format("A", "Nosotros recivimos la carta."),
        },
        config='[spelling]\nlanguage = "es"\n',
        site_config='base_url = "https://e.org"\n[languages.es]\n',
    )
    found = api.run_paths([root / "content"], api.load(root)[0].with_overrides(select=("spelling",)), jobs=1)
    assert [(Path(d.path).name, d.message) for d in found.diagnostics] == [
        ("a.es.md", "“recivimos” is not in the dictionary: correct it, or add it to `words` in `[spelling]` if it is right."),
    ]


def test_a_suppression_on_a_page_the_rule_does_not_read_is_not_unused(tmp_path: Path) -> None:
    text = "<!-- postlint-disable spelling -->\n" + FRENCH + "<!-- postlint-enable spelling -->\n"
    root = write_site(
        tmp_path,
        {"content/a.fr.md": POST.format("A", text), "content/a.md": POST.format("A", text)},
        site_config='base_url = "https://e.org"\n[languages.fr]\n',
    )
    found = api.lint_paths([root / "content"], Config(select=("spelling", "suppression-unused")))
    assert [Path(d.path).name for d in found] == []  # the English page's suppression silenced words


def test_packs_say_which_language_they_read(tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    pack.write_text(
        '[pack]\nname = "house"\nprefix = "HSE"\ndescription = "D."\nlanguage = "de"\n\n'
        '[[rule]]\ncode = "HSE001"\nname = "no-ja"\nkind = "existence"\nseverity = "warning"\n'
        'words = ["ja"]\n[[rule.example]]\nbad = "Ja."\ngood = "Nein."\n',
        encoding="utf-8",
    )
    root = write_site(
        tmp_path / "site",
        {
            "content/a.md": POST.format("A", "Ja, we said -- twice."),
            "content/a.de.md": POST.format("A", "Ja, sagten wir -- zweimal."),
        },
        config=f'packs = ["{pack}"]\nselect = ["house", "typography"]\n',
        site_config='base_url = "https://e.org"\n[languages.de]\n',
    )
    found = api.run_paths([root / "content"], api.load(root)[0], jobs=1).diagnostics
    assert sorted((Path(d.path).name, d.rule) for d in found) == [
        ("a.de.md", "no-ja"),
        ("a.md", "double-hyphen-dash"),  # the shipped packs read English
    ]


def test_rule_pages_say_which_languages_a_rule_reads() -> None:
    result = run_cli("rule", "spelling")
    assert "Judges pages in: en (see Languages in the README)." in result.stdout
    assert "Judges pages in" not in run_cli("rule", "mojibake").stdout
    assert json.loads(run_cli("rules", "--format", "json").stdout)["rules"]


def test_file_name_judges_the_url_hugo_gives_the_page(tmp_path: Path) -> None:
    """With `[permalinks]` the file name is not in the URL: nothing to report there; without
    them it is, and the message shows the URL Hugo makes of it."""
    post = '---\ntitle: "Hello"\ndate: 2024-05-01\n---\nText.\n'
    shown = []
    for name, config in (
        ("permalinks", 'baseURL = "https://example.org/"\n[permalinks]\nposts = "/:year/:slug/"\n'),
        ("plain", 'baseURL = "https://example.org/"\n'),
    ):
        root = hugo(
            tmp_path / name,
            {"hugo.toml": config, "content/posts/what#s new.md": post},
        )
        found = api.lint_paths([root / "content"], Config(select=("file-name",)))
        shown.append([(d.line, d.column, d.message) for d in found])
    assert shown == [
        [],
        [
            (
                1,
                1,
                "The file name `what#s new.md` puts `#` into the page's URL, "
                "`/posts/what#s-new/`, which break or mangle it: rename it with letters, digits "
                "and hyphens, or set `slug` in the front matter.",
            )
        ],
    ]
