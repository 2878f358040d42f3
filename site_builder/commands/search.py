"""`diary search QUERY`: the same search as the site, in the terminal (Whoosh index, same analyzer)."""

from __future__ import annotations

import argparse
import json
import sys

from ..build_cache import BuildCache
from ..corpus.discover import sources_fingerprint
from ..corpus.load import load_corpus
from ..search.static_index import PARTIAL_LINE
from ..search.whoosh_index import DiaryIndex
from .common import settings_from

BOLD_YELLOW, RESET = "\x1b[1;33m", "\x1b[0m"


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    # the files and taxonomy read last time (.cache/diary/load.pickle): after a save only what changed is parsed
    cache = BuildCache.on_disk(settings.cache_dir)
    taxonomy, _ = cache.load.taxonomy(settings.diaries_dir)
    index = DiaryIndex(settings, cache.analyzer(taxonomy, settings))
    fingerprint = sources_fingerprint(settings.diaries_dir)
    if not index.is_current(fingerprint):
        # something was saved since the last search: re-read (problems are `diary check`'s job) and update. This
        # takes seconds on a large corpus, so say so (on stderr: `--json` output stays clean)
        print("日记有改动，正在更新搜索索引（日记多时要等一会儿）……", file=sys.stderr, flush=True)
        corpus, _ = load_corpus(settings, cache=cache)
        index.update(corpus, fingerprint=fingerprint)
        cache.save()  # after the update: the index's terms are among those kept
        print(f"搜索索引已更新（{len(corpus.entries)} 篇）。", file=sys.stderr, flush=True)
    outcome = index.search(" ".join(args.query), topic=args.topic or "", year=args.year, limit=args.limit)
    if args.json:
        print(json.dumps({"query": " ".join(args.query), "total": outcome.total, "partial": outcome.partial,
                          "ignored": list(outcome.parsed.dropped), "missing": list(outcome.parsed.missing),
                          "results": [{"id": h.id, "url": h.url, "title": h.title, "date": h.date, "score": h.score,
                                       "full": h.full, "snippet": h.snippet} for h in outcome.hits]},
                         ensure_ascii=False, indent=1))
        return 0
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    if not outcome.hits:
        print("没有找到相关的日记。换个说法试试，或者用 `diary search 主题名` 看看。")
        return 0
    dropped = f"（已忽略：{'、'.join(outcome.parsed.dropped)}）" if outcome.parsed.dropped else ""
    if outcome.parsed.missing:
        dropped += f"（没有日记提到：{'、'.join(outcome.parsed.missing)}）"
    head = f"共 {outcome.total} 条结果" if outcome.total else "没有同时包含所有词的日记"
    print(f"{head}{dropped}，显示前 {len(outcome.hits)} 条：\n")
    for i, h in enumerate(outcome.hits, 1):
        if not h.full and (i == 1 or outcome.hits[i - 2].full):
            print(f"{PARTIAL_LINE}（{outcome.partial} 条）：\n")
        text = h.snippet
        if color:
            for a, b in reversed(h.marks):
                text = text[:a] + BOLD_YELLOW + text[a:b] + RESET + text[b:]
        print(f"{i}. {h.title}  [{h.date}]  {h.url}\n   {text}\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search", help="搜索日记案例", description="像在网站上一样搜索。例：diary search 马葫芦堵了咋整")
    p.add_argument("query", nargs="+", help="要找的问题，例如 物业不管了怎么办")
    p.add_argument("--topic", help="只看某个主题（slug，例如 wuye）")
    p.add_argument("--year", type=int, help="只看某一年")
    p.add_argument("--limit", type=int, default=10, help="最多显示几条（默认 10）")
    p.add_argument("--json", action="store_true", help="输出 JSON：id、url、title、date、score、snippet")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="高亮匹配的词")
    p.set_defaults(func=run)
