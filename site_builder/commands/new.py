"""`diary new`: a new entry from the template, in diaries/<year>/, never over an existing file."""

from __future__ import annotations

import argparse
import datetime as dt

from ..authoring.fixes import new_entry_text
from ..authoring.writer import DiaryWriter, WriteFailed, entry_stem
from ..corpus.dates import DateError, parse_date
from ..corpus.discover import discover, display_path
from ..corpus.taxonomy import NameResolver, load_taxonomy
from ..diagnostics import Diagnostic
from ..model import Taxonomy
from .common import settings_from


def topic_names(raw: list[str], taxonomy: Taxonomy) -> tuple[list[str], list[Diagnostic]]:
    """The names the secretary typed → the canonical names from topics.yml (any alias or script works)."""
    resolver = NameResolver.for_topics(taxonomy)
    names: list[str] = []
    problems: list[Diagnostic] = []
    for name in raw:
        slug = resolver.resolve(name)
        if slug is None:
            guess = resolver.suggest(name)
            problems.append(Diagnostic("--topic", 0, "unknown-topic", f"主题“{name}”不在表里",
                                       f"是不是“{guess}”？" if guess else ""))
        elif taxonomy.topic(slug).name not in names:
            names.append(taxonomy.topic(slug).name)
    return names, problems


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    problems: list[Diagnostic] = []
    date = dt.date.today()
    if args.date:
        try:
            date = parse_date(args.date).value
        except DateError as exc:
            problems.append(Diagnostic("--date", 0, exc.code, exc.message))
    taxonomy, _ = load_taxonomy(settings.diaries_dir)
    names, more = topic_names(args.topic or [], taxonomy)
    problems += more
    if problems:
        for p in problems:
            print(p.format())
        print("没有新建文件。")
        return 1
    # ids come from file names, so a name used anywhere in diaries/ (another year's folder too) is taken
    taken = {p.stem.lower() for p in discover(settings.diaries_dir)}
    text = new_entry_text(date, (args.title or "").strip(), names) + "\n"
    writer = DiaryWriter(settings.diaries_dir)
    try:
        path = writer.create(settings.diaries_dir / str(date.year), entry_stem(date), text.encode("utf-8"), taken)
    except WriteFailed as exc:
        print(Diagnostic(display_path(exc.path, settings.diaries_dir), 0, "write-failed",
                         f"没能新建文件：{exc.message}").format())
        print("没有新建文件。")
        return 1
    print(display_path(path, settings.diaries_dir))
    if not args.title:
        print("请打开这个文件，在“标题:”后面写一句话标题，再分段写情况、做法、成效、体会。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "new", help="新建一篇日记", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="按模板新建一篇日记（小标题：情况、做法、成效、体会），打印文件路径；同一天再建一篇会另起一个文件，"
                    "不会覆盖。\n例：diary new --title 顶楼屋顶漏水 --topic 物业 --topic 老旧小区改造")
    p.add_argument("--date", help="日期，默认今天；可写 2020-03-05、2020年3月5日、2020/3/5")
    p.add_argument("--title", help="标题：一句话说清这件事")
    p.add_argument("--topic", action="append", metavar="主题", help="主题（可重复写多次），用主题表里的名称")
    p.set_defaults(func=run)
