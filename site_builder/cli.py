"""The `diary` command: translates between the terminal and the core. Output is Chinese; exit 1 on errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .commands import check, importer, new, search, stats, tag
from .commands.common import ProjectNotFound

# each module adds its subcommand; keep this list in the order `diary --help` should show them
COMMANDS = (new, check, importer, tag, search, stats)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diary", description="民生日记 · 社区工作百科 的命令行工具")
    parser.add_argument("--root", default=".", help="项目文件夹（里面有 diaries/），默认是当前文件夹")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ProjectNotFound as exc:
        print(exc.diagnostic.format())
        return 1
    except BrokenPipeError:
        # the reader went away (`diary tag | head`): stop quietly instead of a traceback on the next write
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
