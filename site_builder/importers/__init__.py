"""Digitized old diaries (.txt, .docx) → draft entries. Readers are registered by file suffix (like Pelican's).

A reader turns a file into numbered lines (a text line, or a Word paragraph); `splitter` cuts them at date lines;
`plan` decides which drafts are new and where they go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..corpus.safe_read import not_a_file_reason
from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Line:
    number: int  # 1-based: the line of a .txt, the paragraph of a .docx
    text: str


@dataclass(frozen=True)
class Book:
    name: str  # the file's own name, recorded in each entry's imported_from
    shown: str  # the path as the secretary typed it, for messages
    lines: tuple[Line, ...]
    encoding: str = ""  # what the reader recognised, when worth telling (GBK)


Reader = Callable[[Path, str], tuple[Book | None, list[Diagnostic]]]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = fn
        return fn

    return register


def read_book(path: Path, shown: str) -> tuple[Book | None, list[Diagnostic]]:
    from . import docx, txt  # noqa: F401 - importing them registers their suffixes

    if not path.exists() and not path.is_symlink():
        return None, [Diagnostic(shown, 0, "not-found", f"找不到“{shown}”")]
    reason = not_a_file_reason(path)  # a FIFO would block the reader, a folder or a broken link would raise
    if reason is not None:
        # she named this file to import it: not reading it is an error, not a warning as in diaries/
        return None, [Diagnostic(shown, 0, "import-unreadable", reason.replace("日记文件", "可导入的文件"))]
    read = READERS.get(path.suffix.lower())
    if read is None:
        hint = "用 Word 打开后“另存为” .docx 再导入" if path.suffix.lower() in (".doc", ".wps") else ""
        kind = path.suffix or "没有扩展名的"
        return None, [Diagnostic(shown, 0, "import-unsupported", f"不能导入 {kind} 文件", hint)]
    return read(path, shown)
