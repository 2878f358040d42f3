"""The page 如何写日记 documents every diagnostic code and every command the secretary uses."""

from __future__ import annotations

from conftest import REPO

from site_builder.diagnostics import CODES


def test_every_code_is_documented_with_its_fix() -> None:
    page = (REPO / "docs" / "writing.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in page]
    assert not missing, f"docs/writing.md does not explain: {missing}"
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    listed = [row.split("`")[1] for row in rows]
    assert sorted(listed) == sorted(CODES), "the code table lists each code exactly once, and only real codes"
    for code, info in CODES.items():
        row = next(line for line in rows if line.startswith(f"| `{code}` |"))
        assert info.fix.replace("|", "/") in row, code


def test_page_covers_fields_and_commands() -> None:
    page = (REPO / "docs" / "writing.md").read_text(encoding="utf-8")
    for word in ("diary new", "diary check", "--fix", "diary import", "--dry-run", "imported_from", "日期", "标题",
                 "主题", "公开", "【情况】"):
        assert word in page, word
