"""Word .docx books: one numbered line per paragraph (and per table row), in document order."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import docx as python_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from ..diagnostics import Diagnostic
from . import Book, Line, reader

MAX_PARTS = 5_000  # files inside the archive; a long diary book has a few dozen
MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # all of them unpacked (photos too); zip bombs declare gigabytes in a few KB
MAX_XML_BYTES = 50 * 1024 * 1024  # the text parts, which lxml holds in memory several times over
_DTD_MARKERS = (b"<!doctype", b"<!entity")


def refuse_unsafe(path: Path, shown: str) -> Diagnostic | None:
    """A .docx that would expand past the limits, or whose XML declares a DTD or entities, is not opened.

    Word never writes a DTD; entity definitions are how an "XML bomb" grows a few KB into gigabytes. The sizes are
    the archive's own declared ones, which zipfile also enforces while unpacking, so they cannot be understated.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels"))]
            total = sum(i.file_size for i in infos)
            if len(infos) > MAX_PARTS or total > MAX_EXPANDED_BYTES or sum(i.file_size for i in xml) > MAX_XML_BYTES:
                size = f"{total // (1024 * 1024)} MB、{len(infos)} 个部分"
                return Diagnostic(shown, 0, "import-too-large", f"Word 文件解压后有 {size}，太大了，没有导入")
            for info in xml:
                if _declares_dtd(archive.read(info)):
                    return Diagnostic(shown, 0, "import-unsafe",
                                      f"Word 文件里的 {info.filename} 带有 DTD/实体定义，Word 不会这样写，没有导入")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        return Diagnostic(shown, 0, "import-unreadable", f"Word 文件打不开（{type(exc).__name__}）")
    return None


def _declares_dtd(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    lowered = data.lower()
    return any(marker in lowered for marker in _DTD_MARKERS)


@reader(".docx")
def read_docx(path: Path, shown: str) -> tuple[Book | None, list[Diagnostic]]:
    refused = refuse_unsafe(path, shown)
    if refused is not None:
        return None, [refused]
    try:
        return _read(path, shown), []
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return None, [Diagnostic(shown, 0, "import-unreadable", f"Word 文件打不开（{type(exc).__name__}）")]
    except Exception as exc:  # python-docx and lxml on a damaged file raise many kinds; none may reach her
        return None, [Diagnostic(shown, 0, "import-unreadable", f"Word 文件内容损坏（{type(exc).__name__}）")]


def _read(path: Path, shown: str) -> Book:
    document = python_docx.Document(str(path))
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
    return Book(path.name, shown, tuple(lines))
