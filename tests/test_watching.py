"""The serve-time watcher (site_builder/watching.py): where inotify is trusted, and a real observer on a real folder.
The end-to-end tests run `mkdocs serve --dirty` itself: a save shows up in the served page through the watcher on a
local disk, and through MkDocs' own polling where the diaries hold a symbolic link."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import january_entry as entry
from conftest import make_project

from site_builder.watching import DiaryWatcher, filesystem_type, why_not_notified

# /proc/self/mountinfo as Linux writes it: id, parent, device, root, mount point, options, " - ", type, source …
MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:27 / /tmp rw,nosuid shared:2 - tmpfs tmpfs rw
41 22 0:40 / /mnt/college\\040share rw,relatime - nfs4 10.0.0.5:/diaries rw
42 22 0:41 / /mnt/wsl rw - 9p drvfs rw
43 41 8:2 / /mnt/college\\040share/local rw - xfs /dev/sdb1 rw
"""


def mounted_as(fs: str) -> str:
    return f"22 1 8:1 / / rw - {fs} /dev/x rw\n"


def test_the_filesystem_is_the_longest_mount_point_above_the_path_with_escaped_spaces_read() -> None:
    assert filesystem_type(Path("/home/shuji/diaries"), MOUNTINFO) == "ext4"
    assert filesystem_type(Path("/tmp/x"), MOUNTINFO) == "tmpfs"
    assert filesystem_type(Path("/tmpfoo"), MOUNTINFO) == "ext4"  # a prefix of a name is not a folder above it
    assert filesystem_type(Path("/mnt/college share/2023"), MOUNTINFO) == "nfs4"
    assert filesystem_type(Path("/mnt/college share/local/a"), MOUNTINFO) == "xfs"
    assert filesystem_type(Path("/mnt/wsl/c/diaries"), MOUNTINFO) == "9p"
    assert filesystem_type(Path("/x"), "garbage\n\n1 2 - \n") is None


def test_inotify_is_trusted_only_for_a_local_folder_without_links(tmp_path: Path) -> None:
    diaries = tmp_path / "diaries"
    (diaries / "2023").mkdir(parents=True)
    (diaries / "2023" / "a.md").write_text("x", encoding="utf-8")
    assert why_not_notified(diaries, mounted_as("ext4")) is None
    assert why_not_notified(diaries, mounted_as("nfs")) == "filesystem nfs"
    assert why_not_notified(diaries, mounted_as("fuse.sshfs")) == "filesystem fuse.sshfs"
    assert why_not_notified(tmp_path / "missing", mounted_as("ext4")) == "no such folder"
    # a link's target changes without an event for the link
    (diaries / "2023" / "b.md").symlink_to(tmp_path / "elsewhere.md")
    reason = why_not_notified(diaries, mounted_as("ext4"))
    assert reason is not None and reason.startswith("symbolic link") and reason.endswith("b.md")
    # a linked diaries folder is judged by where it is
    (diaries / "2023" / "b.md").unlink()
    (tmp_path / "linked").symlink_to(diaries)
    assert why_not_notified(tmp_path / "linked", mounted_as("ext4")) is None


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Callable[[Path, Path], DiaryWatcher]]:
    made: list[DiaryWatcher] = []

    def start(diaries: Path, signal: Path) -> DiaryWatcher:
        watcher = DiaryWatcher.start(diaries, signal)
        assert watcher is not None, f"{diaries}: {why_not_notified(diaries)} (the tests' temp folder is local)"
        made.append(watcher)
        return watcher

    yield start
    for watcher in made:
        watcher.stop()


def changes_after(watcher: DiaryWatcher, before: int, settle: float = 0.3) -> int:
    """The changes seen once the events of what was just done have arrived (inotify delivers in milliseconds)."""
    deadline = time.monotonic() + 10
    while watcher.changes == before and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(settle)
    return watcher.changes - before


def test_a_save_rewrites_the_signal_and_a_build_reading_the_files_does_not(
        tmp_path: Path, watched: Callable[[Path, Path], DiaryWatcher]) -> None:
    diaries = tmp_path / "diaries"
    diaries.mkdir()
    entry_file = diaries / "a.md"
    entry_file.write_text("第一稿", encoding="utf-8")
    signal = tmp_path / "cache" / "watch" / "signal"
    watcher = watched(diaries, signal)

    entry_file.write_text("第二稿", encoding="utf-8")
    assert changes_after(watcher, 0) >= 1

    seen = watcher.changes
    for path in diaries.rglob("*"):  # what a build does to the diaries
        path.read_bytes()
        os.stat(path)
    time.sleep(0.3)
    assert watcher.changes == seen

    # a folder made while serving is watched too, and a file moved into the diaries counts
    (diaries / "2024").mkdir()
    assert changes_after(watcher, seen) >= 1
    seen = watcher.changes
    (diaries / "2024" / "b.md").write_text("新的", encoding="utf-8")
    assert changes_after(watcher, seen) >= 1
    seen = watcher.changes
    outside = tmp_path / "draft.md"
    outside.write_text("草稿", encoding="utf-8")
    outside.rename(diaries / "2024" / "c.md")
    assert changes_after(watcher, seen) >= 1
    seen = watcher.changes
    (diaries / "2024" / "b.md").unlink()
    assert changes_after(watcher, seen) >= 1
    # the polling server compares size and time: two changes in a row never leave the same size
    for _ in range(3):
        size = signal.stat().st_size
        watcher._changed()
        assert signal.stat().st_size != size

    watcher.stop()
    seen = watcher.changes
    entry_file.write_text("第三稿", encoding="utf-8")
    time.sleep(0.3)
    assert watcher.changes == seen


def test_a_signal_inside_the_diaries_is_not_a_change_of_its_own(
        tmp_path: Path, watched: Callable[[Path, Path], DiaryWatcher]) -> None:
    diaries = tmp_path / "diaries"
    diaries.mkdir()
    watcher = watched(diaries, diaries / ".cache" / "signal")
    time.sleep(0.2)  # the signal's own first write and folder are done before the watch began
    seen = watcher.changes
    (diaries / "a.md").write_text("一条", encoding="utf-8")
    changes_after(watcher, seen, settle=0.5)
    settled = watcher.changes
    time.sleep(0.5)
    assert watcher.changes == settled  # no loop: rewriting the signal caused nothing more


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        text: str = response.read().decode("utf-8")
        return text


def served_until(url: str, wanted: str, proc: subprocess.Popen[str], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    page = ""
    while time.monotonic() < deadline:
        assert proc.poll() is None, "mkdocs serve stopped"
        try:
            page = fetch(url)
        except OSError:
            page = ""
        if wanted in page:
            return page
        time.sleep(0.2)
    raise AssertionError(f"{wanted!r} never appeared in {url}")


@pytest.fixture
def serve_process(tmp_path: Path) -> Iterator[Callable[[Path], tuple[str, subprocess.Popen[str]]]]:
    procs: list[subprocess.Popen[str]] = []

    def start(root: Path) -> tuple[str, subprocess.Popen[str]]:
        port = free_port()
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
        log = (tmp_path / "serve.log").open("w", encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}",
                                 "-f", str(root / "mkdocs.yml")], cwd=root, env=env, stdout=log,
                                stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        return f"http://127.0.0.1:{port}/", proc

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_mkdocs_serve_shows_a_save_through_the_watcher_on_a_local_disk(
        tmp_path: Path, serve_process: Callable[[Path], tuple[str, subprocess.Popen[str]]]) -> None:
    root = make_project(tmp_path / "project", {"a.md": entry(2, "物业撤了", "楼道没人扫。", "wuye")})
    url, proc = serve_process(root)
    served_until(url + "entries/a.html", "楼道没人扫", proc)
    signal = root / ".cache" / "diary" / "watch" / "signal"
    assert signal.is_file()  # the server polls this, not the diaries
    before = signal.stat().st_mtime_ns  # (its size alternates, so after an even number of events it is the same)
    (root / "diaries" / "a.md").write_text(entry(2, "物业撤了", "居民自己排了值日表。", "wuye"), encoding="utf-8")
    page = served_until(url + "entries/a.html", "居民自己排了值日表", proc)
    assert "楼道没人扫" not in page
    assert signal.stat().st_mtime_ns != before
    # a new entry, in a new folder, is served too
    (root / "diaries" / "2020").mkdir()
    (root / "diaries" / "2020" / "b.md").write_text(entry(3, "楼上跑水", "找人关了阀门。"), encoding="utf-8")
    served_until(url + "entries/b.html", "找人关了阀门", proc)


def test_mkdocs_serve_polls_diaries_that_hold_a_symbolic_link(
        tmp_path: Path, serve_process: Callable[[Path], tuple[str, subprocess.Popen[str]]]) -> None:
    root = make_project(tmp_path / "project", {})
    kept = tmp_path / "kept" / "a.md"  # the entry lives elsewhere; the diaries link to it
    kept.parent.mkdir()
    kept.write_text(entry(2, "物业撤了", "楼道没人扫。", "wuye"), encoding="utf-8")
    (root / "diaries" / "a.md").symlink_to(kept)
    url, proc = serve_process(root)
    served_until(url + "entries/a.html", "楼道没人扫", proc)
    assert not (root / ".cache" / "diary" / "watch" / "signal").exists()
    kept.write_text(entry(2, "物业撤了", "居民自己排了值日表。", "wuye"), encoding="utf-8")
    served_until(url + "entries/a.html", "居民自己排了值日表", proc)
