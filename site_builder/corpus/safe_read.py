"""Reading a file from `diaries/` (or a book to import) without hanging, crashing or filling the memory.

`Path.read_bytes()` blocks forever on a FIFO, reads `/dev/zero` until the memory is gone, and raises on a dangling
link or a file deleted a moment ago. Here every one of those is a ReadProblem with a Chinese message, so the caller
turns it into a Diagnostic for that one file and goes on with the rest.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_ENTRY_BYTES = 10 * 1024 * 1024  # a whole year of diaries pasted into one file is about 1 MB
MAX_BOOK_BYTES = 64 * 1024 * 1024  # an old diary book to import (.txt); .docx has its own limits


class ReadProblem(Exception):
    """Why a file was not read; `code` is a diagnostics code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def special_kind(mode: int) -> str:
    """What a non-regular file is, in the secretary's words."""
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字（socket）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISDIR(mode):
        return "文件夹"
    return "特殊文件"


def not_a_file_reason(path: Path) -> str | None:
    """None when `path` is (a link to) a regular file; else why it is not, without opening it."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return _os_reason(exc, path)
    if stat.S_ISREG(st.st_mode):
        return None
    return f"这是{special_kind(st.st_mode)}，不是日记文件，没有读取"


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "这个链接指向它自己（循环链接），没有读取"
    if isinstance(exc, FileNotFoundError):
        return "这个链接指向的文件不存在，没有读取" if path.is_symlink() else "文件在读取时不见了（被移走或删除了）"
    if isinstance(exc, PermissionError):
        return "没有权限读取这个文件"
    return f"文件打不开（{exc.strerror or type(exc).__name__}）"


def read_regular(path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; ReadProblem for anything else.

    Opened non-blocking, then checked again on the open handle: a file swapped for a FIFO after the check above
    cannot block the run either.
    """
    reason = not_a_file_reason(path)
    if reason is not None:
        raise ReadProblem("special-file" if "不是日记文件" in reason else "unreadable-file", reason)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadProblem("unreadable-file", _os_reason(exc, path)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadProblem("special-file", f"这是{special_kind(st.st_mode)}，不是日记文件，没有读取")
        if st.st_size > limit:
            raise ReadProblem("file-too-large", f"文件有 {st.st_size // (1024 * 1024)} MB，太大了，没有读取")
        chunks: list[bytes] = []
        size = 0
        # the size fstat gave, plus one byte to see the end: os.read allocates all it is asked for, and asking a
        # megabyte for each small entry was a tenth of a 20,000-entry build (a map and unmap per file)
        want = st.st_size + 1
        while size <= limit:  # the file may grow while it is read: never more than the limit
            chunk = os.read(fd, min(want, limit + 1 - size))
            want = 1 << 16
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ReadProblem("file-too-large", "文件太大了（读取时还在变大），没有读取")
        return b"".join(chunks)
    except OSError as exc:
        raise ReadProblem("unreadable-file", _os_reason(exc, path)) from None
    finally:
        os.close(fd)
