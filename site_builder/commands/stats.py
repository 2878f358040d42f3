"""`diary stats [--json]`: the numbers of the site's /stats/ page (the same stats.compute_stats), in the terminal."""

from __future__ import annotations

import argparse
import json
import unicodedata

from ..corpus.load import load_corpus
from ..structure.stats import Count, Stats, compute_stats
from .common import settings_from

BAR = 24  # characters of the longest bar


def _columns(text: str) -> int:
    """Terminal columns: Han characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _block(title: str, rows: tuple[Count, ...]) -> list[str]:
    if not rows:
        return []
    top = max(c.count for c in rows) or 1
    width = max(_columns(c.label) for c in rows)
    out = [f"\n{title}"]
    for c in rows:
        pad = " " * (width - _columns(c.label))
        out.append(f"  {c.label}{pad}  {c.count:>5}  {'█' * round(BAR * c.count / top)}")
    return out


def report(s: Stats) -> str:
    lines = [f"共 {s.total} 篇公开的日记" + (f"（{s.years[0]}—{s.years[-1]}年）" if s.years else "") +
             "。不公开的和因个人信息暂不发布的日记不计入。"]
    lines += _block("按年份", s.by_year) + _block("按办理状态", s.by_status) + _block("按主题", s.by_topic)
    lines += _block("按社区", s.by_community) + _block("按工作法", s.by_method)
    lines.append(f"\n还在跟进、后来没有再写的事：{len(s.open_matters)} 件")
    for m in s.open_matters:
        name = m.thread_title or m.title
        where = f" · {m.community}" if m.community else ""
        thread = f" · 案例线索 {m.thread_size} 篇" if m.thread_id else ""
        lines.append(f"  {m.date}  {name}{where}{thread}")
    lines.append("\n主题 × 年份的表格在网站的“统计”页上，或用 `diary stats --json` 取全部数字。")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    corpus, _ = load_corpus(settings_from(args))  # problems are `diary check`'s job; the counts are of what publishes
    stats = compute_stats(corpus)
    if args.json:
        print(json.dumps(stats.as_json(), ensure_ascii=False, indent=1))
    else:
        print(report(stats))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("stats", help="统计：按年份、主题、社区、工作法、状态数日记",
                       description="和网站“统计”页一样的数字：按年份、办理状态、主题、社区、工作法，"
                                   "主题 × 年份，以及还在跟进、后来没有再写的事。")
    p.add_argument("--json", action="store_true", help="输出 JSON（网站统计页的全部数字）")
    p.set_defaults(func=run)
