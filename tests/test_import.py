"""`diary import`: digitized books (.txt, .docx) split into entries at their date lines."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import REPO, make_project

from site_builder.cli import main
from site_builder.commands.importer import Progress
from site_builder.importers.splitter import first_sentence, parse_date_line

BOOK = """民生日记 第三本

2019年3月5日 星期二 晴
今天上午，顶楼王大爷来反映屋顶漏水。我们去看了现场。
下午联系了物业。

2019.3.6
　　继续跟进漏水的事：物业答应周五来修。
3月7日
2019年3月5日，这句是正文不是日期行。
12月31日 多云转晴 -5℃
年终总结。
1月2日
新年第一天上班。
"""


def _import(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), "import", *args])
    return code, capsys.readouterr().out


def _entries(root: Path) -> list[str]:
    return sorted(p.relative_to(root / "diaries").as_posix() for p in (root / "diaries").rglob("*.md"))


@pytest.mark.parametrize(("line", "expected"), [
    ("2019年3月5日 星期二 晴", (2019, 3, 5)),
    ("2019.3.6", (2019, 3, 6)),
    ("2019-03-06", (2019, 3, 6)),
    ("二〇一九年三月八日 周五 小雨", (2019, 3, 8)),
    ("3月7日", (None, 3, 7)),
    ("１２月３１日 多云转晴 -5℃", (None, 12, 31)),
    ("2019年3月5日，我们召开了居民代表会议。", None),
    ("3月7日上午，居民来反映问题", None),
    ("2019.3.16 居民代表会议召开", None),
])
def test_date_lines(line: str, expected: tuple[int | None, int, int] | None) -> None:
    parsed = parse_date_line(line)
    assert (parsed and (parsed.year, parsed.month, parsed.day)) == expected


def test_first_sentence_title() -> None:
    assert first_sentence("【情况】顶楼漏水了。后来修好") == "顶楼漏水了"
    assert len(first_sentence("很长" * 40)) == 30


def test_gbk_txt_book_dry_run_then_import_then_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {})
    book = tmp_path / "2019.txt"
    book.write_bytes(BOOK.replace("\n", "\r\n").encode("gbk"))
    code, out = _import(root, capsys, str(book), "--dry-run")
    assert code == 0 and "GBK" in out and "将新建 diaries/2019/2019-03-05.md" in out and "将新建 5 篇" in out
    assert _entries(root) == []
    code, out = _import(root, capsys, str(book))
    assert code == 0, out
    assert "import-preamble" in out
    assert _entries(root) == ["2019/2019-03-05.md", "2019/2019-03-06.md", "2019/2019-03-07.md",
                              "2019/2019-12-31.md", "2020/2020-01-02.md"]
    first = (root / "diaries/2019/2019-03-05.md").read_text(encoding="utf-8")
    assert first == ("---\ndate: 2019-03-05\ntitle: 今天上午，顶楼王大爷来反映屋顶漏水\n"
                     "imported_from: 2019.txt:3\n---\n"
                     "星期二 晴\n\n今天上午，顶楼王大爷来反映屋顶漏水。我们去看了现场。\n\n下午联系了物业。\n")
    assert "2019年3月5日，这句是正文" in (root / "diaries/2019/2019-03-07.md").read_text(encoding="utf-8")
    # idempotent, even after she edits a title
    path = root / "diaries/2019/2019-03-06.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 继续", "title: 改过的"), encoding="utf-8")
    code, out = _import(root, capsys, str(book))
    assert "新建了 0 篇日记，跳过 5 篇" in out and len(_entries(root)) == 5
    # the imported entries pass the check
    assert main(["--root", str(root), "check"]) == 0


def _docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "户数", "780"
    document.save(str(path))
    return path


def test_docx_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {})
    book = _docx(tmp_path / "2020.docx", ["2020年11月3日 星期二", "物业撤了，挨家挨户筹备业委会。", "11月4日",
                                           "晚上继续走访。"])
    code, out = _import(root, capsys, str(book))
    assert code == 0, out
    text = (root / "diaries/2020/2020-11-04.md").read_text(encoding="utf-8")
    assert 'imported_from: 2020.docx:3' in text and "户数 | 780" in text


@pytest.mark.parametrize(("name", "content", "code"), [
    ("old.doc", b"\xd0\xcf\x11\xe0 word 97", "import-unsupported"),
    ("broken.docx", b"PK\x03\x04 not really", "import-unreadable"),
    ("empty.txt", b"", "empty-file"),
    ("nodates.txt", "只有正文，没有日期。\n".encode(), "import-no-dates"),
    ("noyear.txt", "3月7日\n没有年份。\n".encode(), "import-no-year"),
    ("feb30.txt", "2019年2月30日\n不存在。\n2019年3月1日\n有的。\n".encode(), "impossible-date"),
])
def test_bad_books_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes,
                                code: str) -> None:
    root = make_project(tmp_path / "p", {})
    (tmp_path / name).write_bytes(content)
    exit_code, out = _import(root, capsys, str(tmp_path / name), str(tmp_path / "missing.txt"))
    assert exit_code == 1 and f"[{code}]" in out and "[not-found]" in out


def test_empty_day_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {})
    (tmp_path / "b.txt").write_text("2019年3月5日\n2019年3月6日\n有内容。\n", encoding="utf-8")
    code, out = _import(root, capsys, str(tmp_path / "b.txt"))
    assert code == 0 and "[import-empty-day]" in out and _entries(root) == ["2019/2019-03-06.md"]


def test_same_day_twice_and_existing_files_are_never_overwritten(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    mine = "---\ndate: 2019-03-05\ntitle: 我自己写的\n---\n别动我。\n"
    root = make_project(tmp_path / "p", {"2019/2019-03-05.md": mine})
    (tmp_path / "b.txt").write_text("2019年3月5日\n上午的事。\n2019年3月5日\n下午的事。\n", encoding="utf-8")
    _import(root, capsys, str(tmp_path / "b.txt"))
    assert (root / "diaries/2019/2019-03-05.md").read_text(encoding="utf-8") == mine
    assert _entries(root) == ["2019/2019-03-05-2.md", "2019/2019-03-05-3.md", "2019/2019-03-05.md"]


def test_interrupted_write_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {})
    (tmp_path / "b.txt").write_text("2019年3月5日\n上午的事。\n2019年3月6日\n下午的事。\n", encoding="utf-8")
    calls = {"n": 0}
    real_link = os.link

    def flaky_link(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real_link(src, dst)

    monkeypatch.setattr("site_builder.authoring.writer.os.link", flaky_link)
    with pytest.raises(KeyboardInterrupt):
        _import(root, capsys, str(tmp_path / "b.txt"))
    files = [p.name for p in (root / "diaries").rglob("*") if p.is_file() and p.suffix != ".yml"]
    assert sorted(f for f in files if f != "userdict.txt") == ["2019-03-05.md"]  # complete, and no temp file
    monkeypatch.undo()
    _, out = _import(root, capsys, str(tmp_path / "b.txt"))  # a rerun finishes the job
    assert "新建了 1 篇日记，跳过 1 篇" in out


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(40, "导入 a.txt", stream)
    for i in range(1, 41):
        bar.show(i)
    assert "\r导入 a.txt [" in stream.getvalue() and "40/40\n" in stream.getvalue()
    plain = io.StringIO()
    Progress(40, "x", plain).show(1)
    assert plain.getvalue() == ""


def test_sentences_with_numeral_runs_never_crash_the_splitter(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_date_line("十一二月份天冷") is None
    assert parse_date_line("二〇一九年十一二月五日") is None
    assert parse_date_line("十一月二日 晴") is not None
    root = make_project(tmp_path / "p", {})
    (tmp_path / "b.txt").write_text("2019年11月5日\n十一二月份天冷，暖气要早点试水。\n二十十月的事记不清了。\n",
                                    encoding="utf-8")
    code, out = _import(root, capsys, str(tmp_path / "b.txt"))
    assert code == 0, out
    assert "十一二月份天冷" in (root / "diaries/2019/2019-11-05.md").read_text(encoding="utf-8")


def _zip_bomb(path: Path) -> Path:
    _docx(path, ["2020年3月5日", "正文。"])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
        block = bytes(1 << 20)
        for _ in range(260):
            member.write(block)
    return path


def _entity_bomb(path: Path) -> Path:
    plain = _docx(tmp := path.with_name("plain.docx"), ["2020年3月5日", "正文。"])
    entities = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + "]>"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b"?>" + entities.encode(), 1).replace(b"<w:t>", b"<w:t>&i;", 1)
            out.writestr(info, data)
    tmp.unlink()
    return path


@pytest.mark.parametrize(("make", "code"), [(_zip_bomb, "import-too-large"), (_entity_bomb, "import-unsafe")])
def test_hostile_docx_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object,
                                 code: str) -> None:
    root = make_project(tmp_path / "p", {})
    book = make(tmp_path / "bad.docx")  # type: ignore[operator]
    exit_code, out = _import(root, capsys, str(book))
    assert exit_code == 1 and f"[{code}]" in out and _entries(root) == []


def test_a_fifo_book_is_refused_not_waited_for(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {})
    os.mkfifo(tmp_path / "pipe.txt")
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "import",
                           str(tmp_path / "pipe.txt")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1 and "[import-unreadable]" in proc.stdout and "FIFO" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_killed_import_leaves_nothing_the_next_run_keeps(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {})
    book = tmp_path / "b.txt"
    book.write_text("".join(f"2019年3月{d}日\n第{d}天的事。\n" for d in range(1, 29)), encoding="utf-8")
    # a real kill -9 in the middle of writing: stop the process right after it created a temp file
    script = ("import os, sys\nfrom site_builder.authoring import writer as diary_writer\n"
              "from site_builder.cli import main\n"
              "real = diary_writer.DiaryWriter._temp_beside\n"
              "def dying(self, target, data, mode):\n"
              "    temp = real(self, target, data, mode)\n"
              "    if target.name == '2019-03-05.md':\n"
              "        os.kill(os.getpid(), 9)\n"
              "    return temp\n"
              "diary_writer.DiaryWriter._temp_beside = dying\n"
              f"main(['--root', {str(root)!r}, 'import', {str(book)!r}])\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.returncode == -9, proc.stderr  # killed, not stopped by a broken script
    left = [p.name for p in (root / "diaries").rglob(".diary-tmp.*")]
    assert len(left) == 1
    assert _entries(root) == [f"2019/2019-03-0{d}.md" for d in range(1, 5)]  # complete files only
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "import", str(book)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0 and "新建了 24 篇日记，跳过 4 篇" in proc.stdout, proc.stdout + proc.stderr
    assert not [p for p in (root / "diaries").rglob("*") if p.name.startswith(".")]
