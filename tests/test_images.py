"""Images: resolution as the generators do it, hotlinks, and unused files only on whole runs."""

from __future__ import annotations

import json
from pathlib import Path

from postlint.checks.images import _hotlink_reason
from tests.conftest import run_cli

PNG = b"\x89PNG\r\n\x1a\n"
POST = '+++\ntitle = "Post"\n+++\n'


def findings(root: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("check", "content", "--no-cache", "--format", "json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return data["diagnostics"] if isinstance(data, dict) else data


def test_resolving_images_give_no_image_missing(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {
            "static/images/a b.png": PNG,
            "content/posts/trip/index.md": POST + "![Boat](photo.jpg)\n",
            "content/posts/trip/photo.jpg": PNG,
            "content/posts/one.md": POST
            + "![Space](/images/a%20b.png) ![Again](/images/a b.png)\n",
            "content/posts/moved.md": '+++\ntitle = "M"\npath = "x/y"\n+++\n![D](d.svg)\n',
            "static/x/y/d.svg": b"<svg/>",
            "content/posts/remote.md": POST
            + "![R](https://example.com/r.png) ![D](data:image/png;base64,AA)\n",
        }
    )
    assert findings(root, "--select", "image-missing") == []


def test_missing_and_case_mismatch_point_at_the_path(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {
            "static/images/Chart.png": PNG,
            "content/post.md": POST + "![C](/images/chart.png)\n\n![G](gone.png)\n",
        }
    )
    found = findings(root, "--select", "image-missing")
    assert [(d["line"], d["column"], d["end_column"]) for d in found] == [(4, 6, 23), (6, 6, 14)]
    assert "matches `static/images/Chart.png` only if letter case is ignored" in str(
        found[0]["message"]
    )
    # relative sources resolve against the page's URL, as the browser does (issue 13)
    assert "`gone.png` does not exist (the page `/post/` asks for `/post/gone.png`)" in str(
        found[1]["message"]
    )


def test_image_unused_needs_the_whole_content_folder(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {
            "static/images/used.png": PNG,
            "static/images/spare.png": PNG,
            "content/a.md": POST + "![U](/images/used.png)\n",
            "content/b.md": POST + "Text.\n",
        }
    )
    found = findings(root, "--select", "image-unused")
    assert [(d["path"], d["message"]) for d in found] == [
        (
            "static/images/spare.png",
            "No page uses the image `static/images/spare.png`; delete it or link it from a post.",
        )
    ]
    one = run_cli("check", "content/a.md", "--no-cache", "--select", "image-unused", cwd=root)
    assert "spare.png" not in one.stdout


def test_hotlink_reasons() -> None:
    hosts = ("googleusercontent.com", "dropbox.com")
    assert _hotlink_reason("https://lh3.googleusercontent.com/x", hosts)
    assert _hotlink_reason("https://www.dropbox.com/s/x/a.png?dl=0", hosts)
    assert _hotlink_reason("https://www.dropbox.com/s/x/a.png?raw=1", hosts) is None
    azure = "https://a.blob.core.windows.net/c/a.png?se=2025-01-01&sp=r&sig=abc"
    assert "se=" in str(_hotlink_reason(azure, hosts))
    assert _hotlink_reason("https://cdn.example.com/a.png?Expires=1700000000&Signature=x", hosts)
    assert _hotlink_reason("https://example.com/a.png?size=se", hosts) is None
    assert _hotlink_reason("/images/a.png", hosts) is None


def test_adding_the_file_clears_image_missing_even_with_the_cache(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"content/post.md": POST + "![Chart](/images/chart.png)\n"})
    first = run_cli("check", "content", "--select", "image-missing", cwd=root)
    assert "IMG001" in first.stdout
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "chart.png").write_bytes(PNG)
    second = run_cli("check", "content", "--select", "image-missing", cwd=root)
    assert second.returncode == 0 and "IMG001" not in second.stdout, second.stdout


def test_plain_folders_do_not_guess_where_site_paths_point(site) -> None:  # type: ignore[no-untyped-def]
    root = site({"notes/post.md": POST + "![A](/images/a.png) ![B](b.png)\n"}, site_config=None)
    result = run_cli("check", "notes", "--no-cache", "--select", "image-missing", cwd=root)
    assert result.stdout.splitlines()[0] == (
        "notes/post.md:4:26: IMG001 The image `b.png` does not exist; add the file or fix the "
        "path. [image-missing]"
    )


def test_image_unused_counts_srcset_and_gallery_mentions(site) -> None:  # type: ignore[no-untyped-def]
    root = site(
        {
            "static/img/a.png": PNG,
            "static/img/a@2x.png": PNG,
            "static/img/g1.jpg": PNG,
            "static/img/spare.png": PNG,
            "content/post.md": POST
            + '<img src="/img/a.png" srcset="/img/a@2x.png 2x" alt="A">\n\n'
            + '{{ gallery(images=["img/g1.jpg"]) }}\n',
        }
    )
    found = findings(root, "--select", "image-unused")
    assert [d["path"] for d in found] == ["static/img/spare.png"]


def test_image_unused_leaves_a_vendored_package_alone(site) -> None:  # type: ignore[no-untyped-def]
    # An icon library copied into static/ with its licence: its stylesheet uses its images.
    root = site(
        {
            "static/icons-6/LICENSE.txt": "MIT\n",
            "static/icons-6/svgs/anchor.svg": b"<svg/>",
            "static/icons-6/sprites/solid.svg": b"<svg/>",
            "static/img/spare.png": PNG,
            "content/post.md": POST + "Text.\n",
        }
    )
    found = findings(root, "--select", "image-unused")
    assert [d["path"] for d in found] == ["static/img/spare.png"]
