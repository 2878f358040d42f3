"""The one writer of `diaries/`: `diary new`, `diary import`, `diary check --fix` and `diary tag --write` use it.

What it promises the secretary:
- atomic: the new bytes go to a temporary file beside the real one (same file system), are flushed to disk, and
  replace it with os.replace; an interruption leaves the old file or the new one, never half of one;
- a new file never replaces an existing one; an existing file is replaced only if it still holds the bytes that
  were read (she may have saved it in Notepad meanwhile) — otherwise NotWritten, and she is told;
- a link stays a link (the file it points to is written) and a file with several hard links is left alone
  (replacing it would split the links), with a message;
- the permissions of the file are kept;
- when the disk refuses (read-only, locked, full), WriteFailed with a Chinese reason, so the command stops cleanly
  and says which files it had already changed;
- temporary files are named `.diary-tmp.<pid>.….tmp`: hidden from the site, and removed by the next writer
  when the process that made them is gone (a kill -9 cannot clean up after itself).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..corpus.safe_read import ReadProblem, read_regular

TEMP_PREFIX = ".diary-tmp."
MAX_SUFFIX = 999  # 2020-03-05-2.md, -3 …: more entries than this on one day means something is looping
STALE_AFTER_S = 3600  # a temp file this old is left over even if its process id was reused since
# temp names of this writer, and of the writers before it (`.2020-03-05.md.x8k2_1.tmp`, `.tag-x8k2_1.tmp`)
_TEMP_NAME = re.compile(r"^\.diary-tmp\.(\d+)\..*\.tmp$|^\..+\.md\.[\w-]{6,12}\.tmp$|^\.tag-[\w-]{6,12}\.tmp$")


class NotWritten(Exception):
    """This file was left as it is, for a reason she should hear; the other files can still be written."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


class WriteFailed(Exception):
    """The disk refused a write (permissions, a locked or read-only file, a full disk): stop writing."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read, so a later write can tell whether it changed in between."""

    path: Path  # as listed (may be a link)
    target: Path  # the file the bytes live in
    data: bytes
    stamp: tuple[int, int, int, int]  # device, inode, size, modification time
    links: int


def entry_stem(date: dt.date) -> str:
    """The one naming rule for new entries (`diary new` and `diary import`): the date, then -2, -3 …"""
    return date.isoformat()


def candidate_names(stem: str) -> list[str]:
    return [stem if n == 1 else f"{stem}-{n}" for n in range(1, MAX_SUFFIX + 1)]


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read_snapshot(path: Path) -> Snapshot:
    """Read a file for rewriting; ReadProblem (see safe_read) when it cannot be read."""
    target = Path(os.path.realpath(path))
    data = read_regular(target)
    st = os.stat(target)
    return Snapshot(path, target, data, _stamp(st), st.st_nlink)


def why(exc: OSError) -> str:
    """An OS error in the secretary's words."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有权限写入（文件或文件夹是只读的、被锁定了，或正被别的程序占用）"
    if exc.errno == errno.ENOSPC:
        return "磁盘已满"
    if exc.errno == errno.EROFS:
        return "这个磁盘是只读的"
    if exc.errno == errno.ENOENT:
        return "文件或文件夹不见了"
    return f"写入失败（{exc.strerror or type(exc).__name__}）"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True  # os.kill would end the process on Windows; rely on the age there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files a killed writer left under `folder`; the ones of a running writer stay."""
    removed: list[Path] = []
    now = time.time()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            m = _TEMP_NAME.match(name)
            if not m:
                continue
            path = Path(root) / name
            pid = m.group(1)
            try:
                # an older writer's name carries no process id: that writer no longer exists to finish it
                stale = pid is None or not _alive(int(pid)) or now - path.lstat().st_mtime > STALE_AFTER_S
                if stale:
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue  # gone already, or not ours to remove: never a reason to stop
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder, and NTFS journals it anyway."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class DiaryWriter:
    """Writes into one diaries folder; remembers what it changed, for the message if it has to stop."""

    def __init__(self, diaries_dir: Path) -> None:
        self.diaries_dir = diaries_dir
        self.written: list[Path] = []
        self.cleaned = clean_stale_temps(diaries_dir) if diaries_dir.is_dir() else []

    # ------------------------------------------------------------------------------------------------ temp files

    def _temp_beside(self, target: Path, data: bytes, mode: int | None) -> Path:
        fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp makes it private to the owner; an entry keeps its own mode, a new one is an ordinary document
            os.chmod(name, mode if mode is not None else 0o644)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Path(name)

    # ----------------------------------------------------------------------------------------------- new files

    def free_name(self, folder: Path, stem: str, taken: set[str]) -> Path:
        """The file `create` would make now (for --dry-run): the first name not used here or as an id."""
        for name in candidate_names(stem):
            path = folder / f"{name}.md"
            if name.lower() not in taken and not os.path.lexists(path):
                return path
        raise WriteFailed(folder / f"{stem}.md", f"{stem}.md 及其编号 2–{MAX_SUFFIX} 都已存在")

    def create(self, folder: Path, stem: str, data: bytes, taken: set[str]) -> Path:
        """A new file `folder/stem.md` (or -2, -3 … when the name is used, here or as an id in `taken`)."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(folder, why(exc)) from None
        for name in candidate_names(stem):
            if name.lower() in taken:
                continue
            target = folder / f"{name}.md"
            try:
                created = self._create_file(target, data)
            except OSError as exc:
                raise WriteFailed(target, why(exc)) from None
            if created:
                taken.add(name.lower())
                self.written.append(target)
                return target
        raise WriteFailed(folder / f"{stem}.md", f"{stem}.md 及其编号 2–{MAX_SUFFIX} 都已存在")

    def _create_file(self, target: Path, data: bytes) -> bool:
        """Write a new file atomically; False if the name is taken (nothing is ever replaced)."""
        if os.path.lexists(target):
            return False
        temp = self._temp_beside(target, data, None)
        try:
            try:
                os.link(temp, target)  # fails if the target exists: the no-overwrite guarantee
            except FileExistsError:
                return False
            except OSError:
                # no hard links (FAT/exFAT USB sticks): Windows' rename refuses to overwrite by itself
                if os.path.lexists(target):
                    return False
                if os.name == "nt":
                    os.rename(temp, target)
                else:
                    os.replace(temp, target)
            _fsync_folder(target.parent)
            return True
        finally:
            temp.unlink(missing_ok=True)

    # ------------------------------------------------------------------------------------------ existing files

    def replace(self, snapshot: Snapshot, data: bytes) -> None:
        """Write `data` over the file read as `snapshot`; NotWritten or WriteFailed when it must not or cannot."""
        target = Path(os.path.realpath(snapshot.path))
        try:
            st = os.stat(target)
            current = read_regular(target)
        except ReadProblem as exc:
            raise NotWritten(snapshot.path, f"{exc.message}，没有修改") from None
        except OSError as exc:
            raise NotWritten(snapshot.path, f"文件在检查时不见了或读不了了（{why(exc)}），没有修改") from None
        if target != snapshot.target or _stamp(st) != snapshot.stamp or current != snapshot.data:
            raise NotWritten(snapshot.path, "文件在检查时被改动了，没有修改")
        if st.st_nlink > 1:
            raise NotWritten(snapshot.path, f"这个文件还有 {st.st_nlink - 1} 个硬链接，替换它会把链接拆开，没有修改")
        try:
            temp = self._temp_beside(target, data, stat.S_IMODE(st.st_mode))
        except OSError as exc:
            raise WriteFailed(snapshot.path, why(exc)) from None
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise WriteFailed(snapshot.path, why(exc)) from None
        finally:
            temp.unlink(missing_ok=True)
        _fsync_folder(target.parent)
        self.written.append(snapshot.path)
