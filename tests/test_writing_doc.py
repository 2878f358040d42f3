"""The page 如何写日记 documents every diagnostic code and every command the secretary uses; every command and
option README.md and docs/ show is one the CLI's own parser accepts."""

from __future__ import annotations

import re
import shlex

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


def _documented_invocations() -> list[tuple[str, str]]:
    """(where, command line after `diary`) for every example the secretary may copy: README's command block
    (`.venv/bin/diary …`) and the `$ diary …` lines of docs/."""
    found = []
    for path in (REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r"^(?:\.venv/bin/|\$ )diary (.+)$", line.strip())
            if m:
                found.append((f"{path.name}:{n}", m.group(1).split("  #")[0].strip()))
    return found


def test_every_documented_example_is_accepted_by_the_cli() -> None:
    """The other direction: a command or option the pages show must exist, so a renamed one cannot stay documented."""
    from site_builder.cli import build_parser

    examples = _documented_invocations()
    readme = {line.split()[0] for where, line in examples if where.startswith("README.md")}
    assert readme == set(_commands()), "README's command block shows exactly the CLI's subcommands"
    for where, line in examples:
        try:
            build_parser().parse_args(shlex.split(line))
        except SystemExit:
            raise AssertionError(f"{where}: `diary {line}` is refused by the CLI's own parser") from None


def test_every_command_named_in_the_text_exists_with_its_options() -> None:
    """`diary check --fix` in running text: the command exists and has every option shown beside it."""
    commands = _commands()
    named = []
    for path in (REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))):
        named += re.findall(r"`diary ([^`]+)`", path.read_text(encoding="utf-8"))
    assert len(named) > 10
    for span in named:
        name, *rest = span.split()
        assert name in commands, f"`diary {span}`: no such command"
        for option in (w.split("=")[0] for w in rest if w.startswith("--")):
            assert option in commands[name], f"`diary {span}`: {name} has no {option}"


def test_each_command_module_registers_its_own_subcommand() -> None:
    """cli.COMMANDS is the list `diary --help` follows: one module, one subcommand, in that order."""
    import argparse

    from site_builder.cli import COMMANDS

    names = []
    for module in COMMANDS:
        parser = argparse.ArgumentParser()
        module.register(parser.add_subparsers())
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert len(sub.choices) == 1, module.__name__
        names += list(sub.choices)
    assert names == list(_commands())
