"""`diary import FILE…`: old diaries digitized as .txt or .docx → one entry per day, in diaries/<year>/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..authoring.writer import DiaryWriter, WriteFailed
from ..corpus.discover import display_path
from ..diagnostics import Diagnostic
from ..importers import read_book
from ..importers.plan import plan, preview_name, scan_existing, write
from ..importers.splitter import split_book
from .common import settings_from

PROGRESS_FROM = 20  # entries: below this an import is instant and a bar would only flicker


class Progress:
    """A one-line bar on stderr, drawn only on a terminal (scripts and logs get the plain report)."""

    def __init__(self, total: int, label: str, stream: TextIO, width: int = 30) -> None:
        self.total, self.label, self.stream, self.width = total, label, stream, width
        self.enabled = total >= PROGRESS_FROM and stream.isatty()

    def show(self, done: int) -> None:
        if not self.enabled:
            return
        filled = self.width * done // max(self.total, 1)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total}")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    diaries = settings.diaries_dir
    writer = DiaryWriter(diaries)  # also removes what a killed import left behind
    known = scan_existing(diaries)
    taken = set(known.stems)
    problems: list[Diagnostic] = []
    created = skipped = 0
    failed: WriteFailed | None = None
    for raw in args.files:
        path = Path(raw)
        book, more = read_book(path, raw)
        problems += more
        if book is None:
            continue
        drafts, more = split_book(book)
        problems += more
        planned = plan(drafts, book.name, known)
        fresh = [p for p in planned if not p.already]
        skipped += len(planned) - len(fresh)
        note = f"（{book.encoding} 编码，已自动识别）" if book.encoding else ""
        print(f"{raw}{note}：找到 {len(planned)} 天，其中 {len(planned) - len(fresh)} 天以前导入过。")
        bar = Progress(len(fresh), f"导入 {book.name}", sys.stderr)
        for done, p in enumerate(fresh, 1):
            if args.dry_run:
                target = preview_name(writer, p, taken)
                print(f"  将新建 {display_path(target, diaries)}  {p.draft.date}  {p.draft.title}  ← {p.source}")
            else:
                try:
                    target = write(writer, p, taken)
                except WriteFailed as exc:
                    failed = exc
                    break
                created += 1
                if not bar.enabled:
                    print(f"  已新建 {display_path(target, diaries)}  {p.draft.title}  ← {p.source}")
            bar.show(done)
        if failed is not None:
            break
        if args.dry_run:
            created += len(fresh)
        known = known.adding(fresh)  # the next book must not import these days again either
    for d in problems:
        print(d.format())
    if failed is not None:
        print(Diagnostic(display_path(failed.path, diaries), 0, "write-failed",
                         f"没能写入：{failed.message}。已新建的 {created} 篇都是完整的，后面的没有导入",
                         "解决上面的问题后再运行一次同样的命令，已导入的日子不会重复").format())
    verb = "将新建" if args.dry_run else "新建了"
    tail = "（试运行，没有写任何文件）" if args.dry_run else ""
    print(f"{verb} {created} 篇日记，跳过 {skipped} 篇以前导入过的{tail}。")
    if created and not args.dry_run:
        print("导入的日记没有写主题：网站会自动推荐；运行 `diary check` 看看还有什么要改。")
    return 1 if failed is not None or any(d.is_error for d in problems) else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import", help="导入旧日记（.txt / .docx），按日期拆成一篇篇",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="把整本旧日记按日期行拆成每天一篇，存进 diaries/<年份>/。认得“2019年3月5日 星期二 晴”、"
                    "“2019.3.6”、“3月7日”（沿用上面的年份）；GBK 编码自动识别；同一本导入两次不会重复。\n"
                    "例：diary import 旧日记/2019.txt 旧日记/2020.docx --dry-run")
    p.add_argument("files", nargs="+", metavar="文件", help=".txt 或 .docx 文件")
    p.add_argument("--dry-run", action="store_true", help="只列出会新建哪些日记，不写文件")
    p.set_defaults(func=run)
