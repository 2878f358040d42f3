"""The `diary` command: translates between the terminal and the core. Output is Chinese; exit 1 on errors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .corpus import load_corpus
from .diagnostics import summary
from .model import Settings


def _settings(args: argparse.Namespace) -> Settings:
    root = Path(args.root).resolve()
    return Settings(diaries_dir=root / "diaries", cache_dir=root / ".cache" / "diary")


def cmd_check(args: argparse.Namespace) -> int:
    corpus, problems = load_corpus(_settings(args))
    if args.format == "json":
        print(json.dumps([{"path": p.path, "line": p.line, "code": p.code, "severity": p.severity.value,
                           "message": p.message, "hint": p.hint} for p in problems], ensure_ascii=False, indent=1))
    else:
        for p in problems:
            print(p.format())
        print(summary(problems, len(corpus.entries)))
    return 1 if any(p.is_error for p in problems) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diary", description="民生日记 · 社区工作百科 的命令行工具")
    parser.add_argument("--root", default=".", help="项目文件夹（里面有 diaries/），默认是当前文件夹")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查日记文件的问题", description="例：diary check")
    p.add_argument("paths", nargs="*", help="只检查这些文件（默认检查 diaries/ 下全部）")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
