"""Worker processes end with their parent, however it ends: a ``kill -9`` (a CI timeout) must
not leave them behind, each holding its memory forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import postlint_command

WORDS = [
    "market",
    "report",
    "growth",
    "policy",
    "energy",
    "trade",
    "inflation",
    "budget",
    "forecast",
    "housing",
]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that never reaps it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_parent_leaves_no_worker_behind(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "config.toml").write_text('base_url = "https://example.org"\n')
    for i in range(400):
        body = "\n\n".join(
            " ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(40)) + "." for j in range(60)
        )
        (root / "content" / f"post-{i:03d}.md").write_text(
            f'+++\ntitle = "Post {i}"\n+++\n{body}\n'
        )
    parent = subprocess.Popen(
        [*postlint_command(), "check", "--no-cache", "--jobs", "2", "content"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers |= _children(parent.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the run ended before its workers started: make it longer"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [w for w in workers if _alive(w)] == []
    finally:
        for worker in workers:  # only this test's workers, still running postlint
            if _alive(worker) and b"postlint" in _command(worker):
                os.kill(worker, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
