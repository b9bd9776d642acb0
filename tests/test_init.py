"""`postlint init`: a starter configuration that loads, learned from the site's posts."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli, write_site

HUGO = 'baseURL = "https://example.org/"\ntitle = "Hugo"\n'


def hugo_post(title: str, tags: str, authors: str) -> str:
    sections = "\n".join(f"**{a}**\n\nSome words.\n" for a in authors.split(","))
    return (
        f"---\ntitle: {title}\ndate: 2025-01-0{len(title) % 9 + 1}\ntags: [{tags}]\n---\n{sections}"
    )


def make(root: Path) -> Path:
    files = {
        f"content/posts/p{i}.md": hugo_post(f"Post {i}", "Markets, AI", "Bhuvan,Pranav")
        for i in range(6)
    }
    files["content/posts/odd.md"] = hugo_post("Odd", "Markts, Dolar", "Bhuavn")
    files["content/posts/_index.md"] = "---\ntitle: Posts\n---\n"
    return write_site(root, files, site_config=None)


def test_init_writes_a_configuration_that_check_accepts(tmp_path: Path) -> None:
    root = make(tmp_path / "site")
    (root / "hugo.toml").write_text(HUGO)
    result = run_cli("init", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"wrote {root / 'postlint.toml'} from 7 posts (of 8 Markdown files: 1 section page, "
        "_index.md)\n"
    )
    text = (root / "postlint.toml").read_text()
    assert 'required = ["date", "tags", "title"]' in text
    assert '    "Bhuvan",  # 6 sections\n' in text
    assert '    # "Bhuavn",  # 1 section: review, looks like `Bhuvan`\n' in text
    assert '    # "Markts",  # 1 post: review, near duplicate of `Markets`\n' in text
    assert '    # "Dolar",  # 1 post: review, `Dolar` may be misspelled (`Dollar`?)\n' in text
    check = run_cli("check", "--no-cache", "--select", "author-unknown,tag-unknown", cwd=root)
    assert check.returncode == 0, check.stderr  # warnings only: fail-on is error
    lines = [line for line in check.stdout.splitlines() if "content/posts/odd.md:" in line]
    assert lines == [
        "content/posts/odd.md:4:8: TAG002 The tag `Markts` is not in the tag vocabulary; "
        "did you mean `Markets`? [tag-unknown]",
        "content/posts/odd.md:4:16: TAG002 The tag `Dolar` is not in the tag vocabulary; "
        "add it to the vocabulary or use a listed tag. [tag-unknown]",
        "content/posts/odd.md:6:3: AUT001 `Bhuavn` is not in the authors roster; "
        "did you mean `Bhuvan`? [author-unknown]",
    ]


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    root = make(tmp_path / "site")
    (root / "hugo.toml").write_text(HUGO)
    (root / "postlint.toml").write_text("# mine\n")
    refused = run_cli("init", str(root))
    assert refused.returncode == 2
    assert "already exists; use --force" in refused.stderr
    assert (root / "postlint.toml").read_text() == "# mine\n"
    shown = run_cli("init", str(root), "--stdout")
    assert shown.returncode == 0 and shown.stdout.startswith("# postlint configuration for site")
    assert (root / "postlint.toml").read_text() == "# mine\n"
    forced = run_cli("init", str(root), "--force")
    assert forced.returncode == 0
    assert "[authors]" in (root / "postlint.toml").read_text()
