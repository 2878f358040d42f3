"""`diary new`: a new entry from the template, never over an existing file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import make_project

from site_builder.cli import main
from site_builder.corpus.frontmatter import decode, split
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings


def _new(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), "new", *args])
    return code, capsys.readouterr().out


def test_new_writes_template_and_prints_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {})
    code, out = _new(root, capsys, "--date", "2020年3月5日", "--title", "顶楼漏水：协调维修", "--topic", "物业",
                     "--topic", "老旧小区")
    assert code == 0
    assert out.splitlines()[0] == "diaries/2020/2020-03-05.md"
    text = (root / "diaries/2020/2020-03-05.md").read_text(encoding="utf-8")
    assert "日期: 2020-03-05" in text and "标题: 顶楼漏水：协调维修" in text
    assert "主题: [物业管理与业委会, 老旧小区改造]" in text
    for heading in ("【情况】", "【做法】", "【成效】", "【体会】"):
        assert heading in text
    # the new entry passes the check as it stands
    assert main(["--root", str(root), "check"]) == 0


def test_second_entry_same_day_gets_its_own_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {})
    _new(root, capsys, "--date", "2020-03-05", "--title", "第一篇")
    first = (root / "diaries/2020/2020-03-05.md").read_bytes()
    code, out = _new(root, capsys, "--date", "2020-03-05", "--title", "第二篇")
    assert code == 0 and out.splitlines()[0] == "diaries/2020/2020-03-05-2.md"
    assert (root / "diaries/2020/2020-03-05.md").read_bytes() == first
    assert "第二篇" in (root / "diaries/2020/2020-03-05-2.md").read_text(encoding="utf-8")


def test_name_taken_in_another_folder_is_not_reused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {"旧/2020-03-05.md": "---\ndate: 2020-03-05\ntitle: 旧的\n---\n正文\n"})
    _, out = _new(root, capsys, "--date", "2020-03-05", "--title", "新的")
    assert out.splitlines()[0] == "diaries/2020/2020-03-05-2.md"  # ids come from file names: no duplicate-id


def test_default_date_is_today_and_title_is_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {})
    code, out = _new(root, capsys)
    today = dt.date.today()
    assert code == 0 and out.splitlines()[0] == f"diaries/{today.year}/{today.isoformat()}.md"
    assert "标题" in out.splitlines()[1]


@pytest.mark.parametrize(("args", "code_name"), [
    (["--date", "2020-02-30"], "impossible-date"),
    (["--date", "昨天"], "bad-date"),
    (["--topic", "老年"], "unknown-topic"),
])
def test_bad_input_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                  code_name: str) -> None:
    root = make_project(tmp_path, {})
    code, out = _new(root, capsys, *args)
    assert code == 1 and f"[{code_name}]" in out and "没有新建文件" in out
    assert not list((root / "diaries").rglob("*.md"))


def test_unknown_topic_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {})
    _, out = _new(root, capsys, "--topic", "疫情防空")
    assert "是不是" in out


TITLES = ["维修: 楼顶漏水", "123", "{a: b}", "- x", "#", "'", '"', "第一行\n第二行", "---", "yes", "null", "~",
          "[甲, 乙]", "&a", "*a", "!x", "%x", "@x", "`x`", "? x", "| x", "> x", "12:30", "0x1F", "1e3", ".inf",
          "true", "a #b", "他说：“好”", "Tab\t在中间", "2020-03-05", "It's", "甲\u2028乙", "\\n", "标题：中文冒号",
          "顶楼漏水：协调维修"]


def test_every_title_reads_back_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {})
    written: dict[str, str] = {}
    for i, title in enumerate(TITLES):
        code, out = _new(root, capsys, "--date", f"2020-03-{i % 28 + 1:02d}", f"--title={title}")
        assert code == 0, (title, out)
        written[out.splitlines()[0]] = title
    for shown, title in written.items():
        data = (root / shown).read_bytes()
        decoded, problems = decode(data, shown)
        assert decoded is not None
        fm, more = split(decoded, shown)
        assert fm is not None and not problems + more, (title, data)
        assert fm.data["标题"] == title, (title, data)
    # what the site sees: every one is an entry with exactly that title
    corpus, problems = load_corpus(Settings(root / "diaries", root / ".cache"), suggest=False)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    assert sorted(e.title for e in corpus.entries) == sorted(t.strip() for t in TITLES)


def test_plain_titles_stay_as_typed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {})
    _new(root, capsys, "--date", "2020-03-05", "--title", "维修: 楼顶漏水")
    _new(root, capsys, "--date", "2020-03-06", "--title", "楼顶漏水")
    assert '标题: "维修: 楼顶漏水"\n' in (root / "diaries/2020/2020-03-05.md").read_text(encoding="utf-8")
    assert "标题: 楼顶漏水\n" in (root / "diaries/2020/2020-03-06.md").read_text(encoding="utf-8")


def test_refused_write_is_a_message_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, {})

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("site_builder.authoring.writer.tempfile.mkstemp", refuse)
    code, out = _new(root, capsys, "--date", "2020-03-05", "--title", "x")
    assert code == 1 and "错误[write-failed]" in out and "没有权限写入" in out and "没有新建文件" in out
    assert not list((root / "diaries").rglob("*.md"))
