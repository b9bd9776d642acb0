"""Shared helpers: small sites in temporary folders, and postlint run as users run it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ZOLA_CONFIG = 'base_url = "https://example.org"\ntitle = "Test site"\n'


def write_site(
    root: Path,
    files: Mapping[str, str | bytes | None],
    config: str = "",
    site_config: str | None = ZOLA_CONFIG,
) -> Path:
    """Write a site: ``files`` maps paths (from the root) to contents, None to a dangling link."""
    root.mkdir(parents=True, exist_ok=True)
    if site_config is not None:
        (root / "config.toml").write_text(site_config, encoding="utf-8")
    if config:
        (root / "postlint.toml").write_text(config, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.symlink_to(root / "missing-target.md")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a committer identity (a fresh machine has none); its output."""
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def postlint_command() -> list[str]:
    script = Path(sys.executable).parent / "postlint"
    found = str(script) if script.exists() else shutil.which("postlint")
    return [found] if found else [sys.executable, "-m", "postlint"]


def run_cli(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``postlint`` command as a user would, capturing its output."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [*postlint_command(), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def site(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A factory for small Zola sites under the test's temporary folder."""

    def make(files: Mapping[str, str | bytes | None], config: str = "", **kwargs: object) -> Path:
        return write_site(tmp_path / "site", files, config, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def release_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this checkout's HEAD tagged with this version's release tag (`v0.1.0`), as the
    public repository holds the release: the README's recipes and the action install from it."""
    from postlint import __version__

    clone = tmp_path_factory.mktemp("release") / "postlint"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(
        ["git", "tag", "--force", f"v{__version__}", "HEAD"],
        cwd=clone,
        check=True,
        capture_output=True,
    )
    return clone


PUBLIC_HOME = "https://github.com/postlint/postlint"


def readme_blocks(language: str, containing: str = "") -> list[str]:
    """The README's fenced code blocks in ``language`` that contain ``containing``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)
    return [block for block in blocks if containing in block]
