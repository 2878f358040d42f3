"""`diary new`: a new entry from the template, never over an existing file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import make_project

from site_builder.cli import main


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
