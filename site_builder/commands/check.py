"""`diary check [PATH…] [--fix]`: every problem in every entry at once, then a one-line summary."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path

from ..authoring.fixes import FIXABLE, Change, plan_fixes
from ..authoring.writer import DiaryWriter, NotWritten, WriteFailed, read_snapshot
from ..corpus.discover import discover, display_path
from ..corpus.load import load_corpus
from ..corpus.safe_read import ReadProblem
from ..diagnostics import Diagnostic, summary
from ..model import Settings
from .common import settings_from


def resolve_targets(raw: list[str], root: Path, diaries_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Files named on the command line (folders expand to their entries), in order, each once."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for arg in raw:
        given = Path(arg)
        candidates = [given] if given.is_absolute() else [Path.cwd() / given, root / given]
        # a broken link or a link loop is named, not "not found": reading it says what it is
        path = next((c for c in candidates if c.exists() or c.is_symlink()), None)
        if path is None:
            problems.append(Diagnostic(arg, 0, "not-found", f"找不到“{arg}”"))
            continue
        for f in discover(path) if path.is_dir() else [path]:
            if _real(f) not in {_real(p) for p in found}:
                found.append(f)
    return found, problems


def _real(path: Path) -> str:
    return os.path.realpath(path)  # never raises, unlike Path.resolve() on a link loop before Python 3.13


def check_paths(settings: Settings, targets: list[Path]) -> list[Diagnostic]:
    """Only these files' problems, through the same load_corpus as the site: topics resolve against diaries/, and
    duplicates, URL clashes and personal data are sought as the build seeks them."""
    return load_corpus(settings, suggest=False, focus=targets)[1]


def apply_fixes(targets: list[Path], diaries_dir: Path, reported: list[Diagnostic],
                on_change: Callable[[str, Change], None]) -> tuple[list[tuple[str, Change]], list[Diagnostic]]:
    """Repair what this run reported as fixable, file by file, telling `on_change` as each file is written.

    Returns the changes made and the problems left: the repaired ones removed, skipped and failed writes added.
    A write the disk refuses stops the repairs (and says which files were already changed); the check goes on.
    """
    by_file: dict[str, set[tuple[int, str]]] = {}
    for d in reported:
        if d.code in FIXABLE:
            by_file.setdefault(d.path, set()).add((d.line, d.code))
    writer = DiaryWriter(diaries_dir)
    done: list[tuple[str, Change]] = []
    repaired: set[tuple[str, int, str]] = set()
    extra: list[Diagnostic] = []
    for path in targets:
        shown = display_path(path, diaries_dir)
        try:
            snapshot = read_snapshot(path)
        except (ReadProblem, OSError):
            continue  # already reported by the check
        plan = plan_fixes(snapshot.data, shown, by_file.get(shown, set()))
        extra.extend(plan.skipped)
        if not plan.changed:
            continue
        try:
            writer.replace(snapshot, plan.data)
        except NotWritten as exc:
            extra.append(Diagnostic(shown, 0, "fix-skipped", exc.message, "保存并关闭文件后再运行一次"))
            continue
        except WriteFailed as exc:
            changed = "、".join(display_path(p, diaries_dir) for p in writer.written)
            already = f"已经改好的 {len(writer.written)} 个文件：{changed}" if writer.written else "还没有改任何文件"
            extra.append(Diagnostic(shown, 0, "write-failed",
                                    f"没能改这个文件：{exc.message}。{already}；这个文件和后面的文件都没有改"))
            break
        for change in plan.changes:
            done.append((shown, change))
            repaired.add((shown, change.line, change.code))
            on_change(shown, change)
    left = [d for d in reported if (d.path, d.line, d.code) not in repaired]
    return done, left + extra


def _print_change(path: str, change: Change) -> None:
    where = f"{path}:{change.line}" if change.line else path
    print(f"{where}: 已修改 {change.description}", flush=True)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    root = settings.diaries_dir.parent
    if args.paths:
        targets, problems = resolve_targets(args.paths, root, settings.diaries_dir)
        problems.extend(check_paths(settings, targets))
    else:
        targets = discover(settings.diaries_dir)
        # the one entry point, so `check` sees what the site sees (topic suggestions never produce problems)
        problems = load_corpus(settings, suggest=False)[1]
    fixed: list[tuple[str, Change]] = []
    if args.fix:
        # repairs follow the report just made, so --fix never changes what `check` did not call fixable
        quiet = args.format == "json"
        fixed, problems = apply_fixes(targets, settings.diaries_dir, problems,
                                      (lambda _p, _c: None) if quiet else _print_change)
    if args.format == "json":
        errors = sum(p.is_error for p in problems)
        print(json.dumps({
            "files": len(targets), "errors": errors, "warnings": len(problems) - errors,
            "fixed": [{"path": path, "line": c.line, "change": c.description} for path, c in fixed],
            "diagnostics": [{"path": p.path, "line": p.line, "code": p.code, "severity": p.severity.value,
                             "message": p.message, "hint": p.hint or p.fix} for p in problems],
        }, ensure_ascii=False, indent=1))
    else:
        if fixed:
            files = sorted({path for path, _ in fixed})
            print(f"改写了 {len(files)} 个文件：{'、'.join(files)}")
        for p in problems:
            print(p.format())
        print(summary(problems, len(targets)))
    return 1 if any(p.is_error for p in problems) else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "check", help="检查日记文件的问题（可自动修正）",
        description="一次列出所有日记的所有问题，每条写明文件、行号和改法。\n"
                    "例：diary check　　diary check diaries/2020　　diary check --fix",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="路径", help="只检查这些文件或文件夹（默认检查 diaries/ 下全部）")
    p.add_argument("--fix", action="store_true",
                   help="自动改掉安全、不会改变意思的问题：编码转 UTF-8、中文冒号、日期写法，并列出改了什么")
    p.add_argument("--format", choices=["text", "json"], default="text", help="json 供脚本使用")
    p.set_defaults(func=run)
