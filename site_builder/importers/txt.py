"""Plain text books: UTF-8 (with or without BOM), GBK from Notepad's "ANSI", UTF-16 ("Unicode")."""

from __future__ import annotations

from pathlib import Path

from ..corpus.frontmatter import decode
from ..corpus.safe_read import MAX_BOOK_BYTES, ReadProblem, read_regular
from ..diagnostics import Diagnostic
from . import Book, Line, reader


@reader(".txt", ".text")
def read_text(path: Path, shown: str) -> tuple[Book | None, list[Diagnostic]]:
    try:
        data = read_regular(path, MAX_BOOK_BYTES)
    except ReadProblem as exc:
        code = "file-too-large" if exc.code == "file-too-large" else "import-unreadable"
        return None, [Diagnostic(shown, 0, code, exc.message)]
    decoded, problems = decode(data, shown)
    if decoded is None:
        return None, problems
    # GBK is expected in an old book, not a problem: the entries are written as UTF-8 anyway
    encoding = "GBK" if decoded.encoding == "gb18030" else ("UTF-16" if decoded.encoding == "utf-16" else "")
    lines = tuple(Line(i, text) for i, text in enumerate(decoded.text.split("\n"), 1))
    return Book(path.name, shown, lines, encoding), [p for p in problems if p.code != "gbk-encoding"]
