"""`diary search` while the diaries change under it (issue #15): a file that vanishes between listing and reading, or
after the index was built, never crashes the search; the entries still there are found and the gone one is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project

import site_builder.corpus.load as corpus
from site_builder.cli import main
from site_builder.corpus.discover import discover_all


def _entry(title: str) -> str:
    return f"---\n日期: 2021-03-0{len(title) % 9 + 1}\n标题: {title}\n---\n楼顶漏水，{title}，物业来修了。\n"


def test_search_when_a_file_vanishes_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {"2021/kept.md": _entry("留下的一篇"), "2021/gone.md": _entry("消失的一篇")})
    listed = discover_all

    def list_then_delete(diaries_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
        found, skipped = listed(diaries_dir)
        (diaries_dir / "2021" / "gone.md").unlink(missing_ok=True)  # gone after listing, before reading
        return found, skipped

    monkeypatch.setattr(corpus, "discover_all", list_then_delete)
    assert main(["--root", str(root), "search", "漏水", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "留下的一篇" in out and "消失的一篇" not in out
    assert "Traceback" not in out

    # and after the index was built: the next search notices, re-reads and answers without the gone entry
    monkeypatch.setattr(corpus, "discover_all", listed)
    (root / "diaries" / "2021" / "gone.md").write_text(_entry("又写的一篇"), encoding="utf-8")
    assert main(["--root", str(root), "search", "漏水", "--color", "never"]) == 0
    assert "又写的一篇" in capsys.readouterr().out
    (root / "diaries" / "2021" / "gone.md").unlink()
    assert main(["--root", str(root), "search", "漏水", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "留下的一篇" in out and "又写的一篇" not in out
