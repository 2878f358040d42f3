"""`diary check [PATH…] [--fix]`: every problem in every entry at once, then a one-line summary."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..authoring import Change, plan_fixes, replace_file
from ..corpus import cross_check, discover, display_path, load_corpus, load_files
from ..diagnostics import Diagnostic, summary
from ..model import Settings
from ..privacy import protect
from ..taxonomy import load_taxonomy
from .common import settings_from


def resolve_targets(raw: list[str], root: Path, diaries_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Files named on the command line (folders expand to their entries), in order, each once."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for arg in raw:
        given = Path(arg)
        candidates = [given] if given.is_absolute() else [Path.cwd() / given, root / given]
        path = next((c for c in candidates if c.exists()), None)
        if path is None:
            problems.append(Diagnostic(arg, 0, "not-found", f"找不到“{arg}”"))
            continue
        for f in discover(path) if path.is_dir() else [path]:
            if f.resolve() not in {p.resolve() for p in found}:
                found.append(f)
    return found, problems


def check_paths(settings: Settings, targets: list[Path]) -> list[Diagnostic]:
    """Only these files, but topics resolve against diaries/topics.yml and duplicates are sought in all diaries."""
    taxonomy, problems = load_taxonomy(settings.diaries_dir)
    wanted = {t.resolve() for t in targets}
    others = [p for p in discover(settings.diaries_dir) if p.resolve() not in wanted]
    # the other entries come first, so a duplicate is reported on the file being checked
    files = load_files(settings.diaries_dir, taxonomy, others + targets)
    checked = files[len(others):]
    for f in checked:
        problems.extend(f.diagnostics)
    _, cross = cross_check(files)
    shown = {f.display for f in checked}
    problems.extend(d for d in cross if d.path in shown)
    # the same personal-data guard the site build runs (load_corpus), limited to these files
    _, personal = protect([f.entry for f in checked if f.entry is not None and f.entry.visibility == "public"],
                          settings.diaries_dir)
    problems.extend(personal)
    return problems


def apply_fixes(targets: list[Path], diaries_dir: Path) -> tuple[list[tuple[str, Change]], list[Diagnostic]]:
    done: list[tuple[str, Change]] = []
    problems: list[Diagnostic] = []
    for path in targets:
        shown = display_path(path, diaries_dir)
        data = path.read_bytes()
        plan = plan_fixes(data, shown)
        problems.extend(plan.skipped)
        if not plan.changed:
            continue
        if replace_file(path, plan.data, data):
            done.extend((shown, c) for c in plan.changes)
        else:
            problems.append(Diagnostic(shown, 0, "fix-skipped", "文件在检查时被改动了，没有修改",
                                       "保存并关闭文件后再运行一次"))
    return done, problems


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    root = settings.diaries_dir.parent
    if args.paths:
        targets, problems = resolve_targets(args.paths, root, settings.diaries_dir)
    else:
        targets, problems = discover(settings.diaries_dir), []
    fixed: list[tuple[str, Change]] = []
    if args.fix:
        fixed, skipped = apply_fixes(targets, settings.diaries_dir)
        problems.extend(skipped)
    if args.paths:
        problems.extend(check_paths(settings, targets))
    else:
        # the one entry point, so `check` sees what the site sees (topic suggestions never produce problems)
        problems.extend(load_corpus(settings, suggest=False)[1])
    if args.format == "json":
        errors = sum(p.is_error for p in problems)
        print(json.dumps({
            "files": len(targets), "errors": errors, "warnings": len(problems) - errors,
            "fixed": [{"path": path, "line": c.line, "change": c.description} for path, c in fixed],
            "diagnostics": [{"path": p.path, "line": p.line, "code": p.code, "severity": p.severity.value,
                             "message": p.message, "hint": p.hint or p.fix} for p in problems],
        }, ensure_ascii=False, indent=1))
    else:
        for path, c in fixed:
            where = f"{path}:{c.line}" if c.line else path
            print(f"{where}: 已修改 {c.description}")
        for p in problems:
            print(p.format())
        if fixed:
            print(f"自动修改了 {len({path for path, _ in fixed})} 个文件，共 {len(fixed)} 处。")
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
