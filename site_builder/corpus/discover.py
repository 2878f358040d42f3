"""Which files under diaries/ are entries, how the secretary sees their paths, and whether any changed.

Nothing here opens a file: FIFOs, sockets, devices and broken links are found by their directory entry.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..diagnostics import Diagnostic
from .safe_read import not_a_file_reason

# Files in diaries/ that are not entries
SIDE_FILES = {"readme.md", "模板.md", "template.md"}


def _is_entry_name(name: str) -> bool:
    return name.lower().endswith(".md") and name.lower() not in SIDE_FILES and not name.startswith((".", "_"))


def discover_all(diaries_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(entry files, skipped paths with why): FIFOs, sockets, devices, dangling or looping links are never opened.

    A linked folder is not followed either (it could lead back into itself); it is reported, not silently ignored.
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    pending = [diaries_dir]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if folder != diaries_dir:
                skipped.append((folder, f"文件夹打不开（{exc.strerror or type(exc).__name__}）"))
            continue
        subfolders = []
        for item in items:
            if item.name.startswith((".", "_")):
                continue
            path = Path(item.path)
            try:
                if item.is_dir(follow_symlinks=False):
                    subfolders.append(path)
                    continue
                if not _is_entry_name(item.name):
                    if item.is_symlink() and item.is_dir():
                        skipped.append((path, "这是指向别处文件夹的链接，里面的日记没有读取"))
                    continue
                if item.is_file():  # follows a link: a link to a regular file is read like the file
                    found.append(path)
                    continue
            except OSError:
                pass
            skipped.append((path, not_a_file_reason(path) or "这不是普通文件，没有读取"))
        pending.extend(reversed(subfolders))  # depth first, in name order, like os.walk
    return found, skipped


def discover(diaries_dir: Path) -> list[Path]:
    """The entry files under `diaries_dir`, in a stable order (see discover_all for what is left out)."""
    return discover_all(diaries_dir)[0]


TAXONOMY_FILES = ("topics.yml", "methods.yml", "userdict.txt", "glossary.yml", "people.yml")


def sources_fingerprint(diaries_dir: Path) -> str:
    """Changes whenever an entry or a side file is added, removed or saved (path, size, modification time).

    Lets `diary search` skip re-reading thousands of entries when nothing changed since the index was updated.
    """
    h = hashlib.sha1(usedforsecurity=False)
    for p in sorted(discover(diaries_dir)) + [diaries_dir / n for n in TAXONOMY_FILES]:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def missing_diaries_dir(diaries_dir: Path) -> Diagnostic | None:
    """An error when the diaries folder is not there (a misspelled `diaries_dir`, the wrong project folder)."""
    if diaries_dir.is_dir():
        return None
    what = "不是文件夹" if diaries_dir.exists() else "不存在"
    return Diagnostic(str(diaries_dir), 0, "no-diaries-folder", f"日记文件夹 {diaries_dir} {what}")


def display_path(path: Path, diaries_dir: Path, *, follow: bool = True) -> str:
    """The path as the secretary knows it: relative to the project folder (diaries/2020/…).

    `follow=False` names a link itself, not what it points to (a broken link, or one to /dev/zero).
    """
    try:
        real = resolved(path) if follow else path.parent.resolve() / path.name
        return real.relative_to(diaries_dir.resolve().parent).as_posix()
    except ValueError:
        return str(path)


def resolved(path: Path) -> Path:
    """The real path; for a broken or looping link, the link itself in its real folder."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return path.parent.resolve() / path.name
