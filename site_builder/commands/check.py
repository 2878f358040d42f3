"""`diary check`: every problem in every entry at once."""

from __future__ import annotations

import argparse
import json

from ..corpus import load_corpus
from ..diagnostics import summary
from .common import settings_from


def run(args: argparse.Namespace) -> int:
    corpus, problems = load_corpus(settings_from(args))
    if args.format == "json":
        print(json.dumps([{"path": p.path, "line": p.line, "code": p.code, "severity": p.severity.value,
                           "message": p.message, "hint": p.hint} for p in problems], ensure_ascii=False, indent=1))
    else:
        for p in problems:
            print(p.format())
        print(summary(problems, len(corpus.entries)))
    return 1 if any(p.is_error for p in problems) else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="检查日记文件的问题", description="检查 diaries/ 下每一篇日记。例：diary check")
    p.add_argument("paths", nargs="*", help="只检查这些文件（默认检查 diaries/ 下全部）")
    p.add_argument("--format", choices=["text", "json"], default="text", help="json 供脚本使用")
    p.set_defaults(func=run)
