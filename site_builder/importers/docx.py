"""Word .docx books: one numbered line per paragraph (and per table row), in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx as python_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from ..diagnostics import Diagnostic
from . import Book, Line, reader


@reader(".docx")
def read_docx(path: Path, shown: str) -> tuple[Book | None, list[Diagnostic]]:
    try:
        document = python_docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return None, [Diagnostic(shown, 0, "import-unreadable", f"Word 文件打不开（{type(exc).__name__}）")]
    lines: list[Line] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                number += 1
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep each text once
                    if not cells or cells[-1] != cell.text:
                        cells.append(cell.text)
                lines.append(Line(number, " | ".join(c.replace("\n", " ") for c in cells)))
            continue
        number += 1
        # Shift+Enter inside a paragraph is a line break: a date line may hide behind one
        lines.extend(Line(number, part) for part in block.text.split("\n"))
    return Book(path.name, shown, tuple(lines)), []
