"""Noticing a save to `diaries/` while `mkdocs serve` runs, without stat-ing every diary twice a second.

MkDocs watches what it serves with watchdog's polling observer (on purpose: kernel notifications do not cross
network shares, Docker Desktop's mounts or WSL's /mnt/c). Every half second it stats every file under a watched
folder and compares the two listings, in Python, in the server's process: 0.1 s per poll at 7,000 entries, so a
save's rebuild shares the interpreter with it (measured: 2.8 s per rebuild without it, 3.5 s with it), and at a
college's 100,000 entries the polling alone would keep a core busy.

So where the kernel's notifications can be trusted (Linux inotify, the whole diaries tree on one local filesystem,
no symbolic link in it), `DiaryWatcher` listens to them and, on a change, rewrites one small file, `signal`, which
the server polls instead of the diaries: MkDocs' own build loop, debounce and browser reload stay as they are, and
only its public `server.watch` is used. Anywhere else `mkdocs serve` polls `diaries/` exactly as before.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# filesystems whose changes are made by this machine's kernel, so inotify reports every one of them (overlay: a
# container's own files, edited inside it); network, FUSE and virtual-machine shares (nfs, cifs, 9p, virtiofs,
# fuse.*, WSL's drvfs for C:) are left to polling
LOCAL_FILESYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "zfs", "tmpfs",
                               "overlay"})

# what changes a file (reading one, as every build does, is "opened" and "closed_no_write": never a change)
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed", "attrib"})


def filesystem_type(path: Path, mountinfo: str | None = None) -> str | None:
    """The type of the filesystem `path` is on (the longest mount point above it in /proc/self/mountinfo), or None
    where that cannot be read (not Linux)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best, best_type = "", None
    for line in mountinfo.splitlines():
        before, sep, after = line.partition(" - ")
        fields = before.split()
        if not sep or len(fields) < 5 or not after.split():
            continue
        # mount points escape space, tab, newline and backslash as octal (\040 …)
        point = fields[4].encode("latin-1", "replace").decode("unicode_escape")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, after.split()[0]
    return best_type


def why_not_notified(diaries: Path, mountinfo: str | None = None) -> str | None:
    """None when inotify sees every change under `diaries`; else why not (the server then polls, as MkDocs does)."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if not diaries.is_dir():
        return "no such folder"
    fs = filesystem_type(diaries.resolve(), mountinfo)  # a linked diaries folder is watched where it is
    if fs not in LOCAL_FILESYSTEMS:
        return f"filesystem {fs}"
    device = diaries.stat().st_dev
    folders = [str(diaries)]
    while folders:
        with os.scandir(folders.pop()) as listing:
            for item in listing:
                # inotify reports a change to a link, not to what it points at (is_symlink costs no system call:
                # the kernel's listing says what each name is)
                if item.is_symlink():
                    return f"symbolic link {item.path}"
                if item.is_dir(follow_symlinks=False):
                    # a folder on another device may be a share mounted inside the diaries
                    if item.stat(follow_symlinks=False).st_dev != device:
                        return f"another filesystem at {item.path}"
                    folders.append(item.path)
    return None


class DiaryWatcher:
    """inotify on `diaries`, relayed to `signal` (a file the server polls). `start` returns None where that cannot
    work; the caller then has the server poll `diaries` itself."""

    def __init__(self, observer: Any, signal: Path) -> None:
        self._observer = observer
        self.signal = signal
        self._lock = threading.Lock()
        self.changes = 0

    @classmethod
    def start(cls, diaries: Path, signal: Path) -> DiaryWatcher | None:
        try:
            reason = why_not_notified(diaries)
            if reason is not None:
                log.debug("polling %s: %s", diaries, reason)
                return None
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers.inotify import InotifyObserver

            signal.parent.mkdir(parents=True, exist_ok=True)
            signal.write_text(".", encoding="ascii")
            observer = InotifyObserver()
            watcher = cls(observer, signal)

            own = os.fsencode(signal.resolve())

            class Relay(FileSystemEventHandler):
                def on_any_event(self, event: FileSystemEvent) -> None:
                    # a folder "modified" only echoes a change to a file in it, which has its own event (and a
                    # cache folder set inside the diaries must not make each signal a change of its own)
                    if event.is_directory and event.event_type == "modified":
                        return
                    if event.event_type in CHANGE_EVENTS and os.fsencode(event.src_path) != own:
                        watcher._changed()

            observer.schedule(Relay(), str(diaries), recursive=True)
            observer.start()  # raises when the kernel refuses more watches (fs.inotify.max_user_watches)
        except (ImportError, OSError) as error:  # an unreadable folder, no inotify, no more watches
            log.debug("polling %s: %s", diaries, error)
            return None
        return watcher

    def _changed(self) -> None:
        # another size each time (one byte, then two): the polling observer compares size and mtime, and two saves
        # within the filesystem's timestamp granularity must still both be seen
        with self._lock:
            self.changes += 1
            self.signal.write_text("." * (1 + self.changes % 2), encoding="ascii")

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)
