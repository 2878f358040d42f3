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


def _commands() -> dict[str, list[str]]:
    """Every `diary` subcommand with its long options, read from the CLI itself (so a new one cannot go unlisted)."""
    import argparse

    from site_builder.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: [o for action in p._actions for o in action.option_strings if o.startswith("--") and o != "--help"]
            for name, p in sub.choices.items()}


def test_every_command_and_option_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    commands = _commands()
    assert len(commands) >= 5
    for name, options in commands.items():
        assert f"diary {name}" in readme, f"README's command list lacks `diary {name}`"
        for option in options:
            assert option in docs, f"`diary {name} {option}` is documented nowhere (README.md, docs/)"
