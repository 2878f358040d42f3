"""`diary tag`: suggested topics with their evidence; `--write` adds them; `--evaluate` measures the tagger."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ..authoring.topics_line import add_topics
from ..authoring.writer import DiaryWriter, NotWritten, WriteFailed, read_snapshot
from ..build_cache import BuildCache
from ..corpus.load import load_corpus
from ..corpus.safe_read import ReadProblem
from ..diagnostics import Diagnostic
from ..model import Entry, Settings, Taxonomy, Topic
from ..tagging.evaluation import evaluate_fieldtest, evaluate_labelled, is_fieldtest
from ..tagging.tagger import suggest_for, tagger_for
from ..text.analyzer import get_analyzer
from .common import settings_from


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    cache = BuildCache()
    corpus, _ = load_corpus(settings, suggest=False, cache=cache)  # the suggestions are made here, with evidence
    if args.evaluate is not None:
        return _evaluate(args, corpus.entries, corpus.taxonomy, settings)
    tagger = tagger_for(corpus.entries, corpus.taxonomy, settings, cache)
    names = {t.slug: t.name for t in corpus.taxonomy.topics}
    untagged = [e for e in corpus.entries if not e.topics]
    written = 0
    writer = DiaryWriter(settings.diaries_dir) if args.write else None
    suggested = suggest_for(tagger, corpus.entries)
    for e in untagged:
        suggestions = suggested.get(e.id, [])
        shown = "；".join(
            f"{names.get(s.slug, s.slug)}（{s.slug}，把握 {s.confidence:.0%}，依据：{'、'.join(s.evidence)}）"
            for s in suggestions) or "没有把握，请手工标注"
        print(f"{e.where}: {e.title}\n  建议主题：{shown}")
        if writer is not None and suggestions:
            try:
                if add_topics(writer, read_snapshot(e.source), [s.slug for s in suggestions]):
                    written += 1
                    print("  已写入文件", flush=True)
            except (NotWritten, ReadProblem) as exc:
                print(f"  没有写入：{exc.message}")
            except WriteFailed as exc:
                print(Diagnostic(e.where, 0, "write-failed",
                                 f"没能写入：{exc.message}。已经写入了 {written} 篇，后面的没有写").format())
                return 1
    print(f"\n{len(untagged)} 篇没有主题的日记" + (f"，已给 {written} 篇写入建议主题。" if args.write else "。"
          + ("" if not untagged else "加 --write 可以把建议写进文件。")))
    if untagged:
        print(_learning_hint(corpus.entries, corpus.taxonomy.topics))
    return 0


def _learning_hint(entries: Sequence[Entry], topics: Sequence[Topic]) -> str:
    """The suggestions learn from the hand-tagged entries: say from how many, and which topics have none."""
    tagged = [e for e in entries if e.topics]
    seen = {slug for e in tagged for slug in e.topics}
    missing = [t.name for t in topics if t.slug not in seen]
    hint = f"建议是从 {len(tagged)} 篇手工标了主题的日记里学的，手工标得越多越准（几百篇以后明显更准）。"
    if missing:
        hint += f"这些主题还没有一篇手工标过，标上几篇会更准：{'、'.join(missing)}。"
    return hint


METHODS = {"tagger": "建议主题", "keywords": "只看关键词（基线）", "most-frequent": "都给最常见的主题（基线）",
           "written": "秘书自己写的主题"}
PARTS = {"untagged": "没写主题的日记", "hidden": "每篇都藏起主题（逐篇）",
         "thread-hidden": "整件事都藏起主题", "written": "写了主题的日记",
         "all": "全部"}


def _evaluate(args: argparse.Namespace, corpus_entries: Sequence[Entry], taxonomy: Taxonomy,
              settings: Settings) -> int:
    folder = Path(args.evaluate or Path(args.root) / "tests" / "fixtures" / "tagging").resolve()
    analyzer = get_analyzer(taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
    if is_fieldtest(folder):
        reports = evaluate_fieldtest(folder, taxonomy, analyzer)
    else:
        reports = evaluate_labelled(folder, [e for e in corpus_entries if e.topics], taxonomy, analyzer)
    if not reports or not reports[0].cases:
        print(f"{folder} 里没有标好主题的日记。")
        return 1
    print(f"在 {folder} 上评估（主要主题：标准答案的第一个主题在建议里；任一主题：至少一个建议对）：\n")
    print(f"{'日记':<14}{'方法':<16}{'篇数':>5}{'主要主题':>9}{'任一主题':>9}{'精确率':>8}{'召回率':>8}{'每篇建议':>8}")
    for r in reports:
        m = r.micro
        print(f"{PARTS.get(r.part, r.part):<14}{METHODS.get(r.method, r.method):<16}{r.cases:>5}"
              f"{r.primary_share:>10.0%}{r.any_share:>10.0%}{m.precision:>9.2f}{m.recall:>9.2f}{r.per_entry:>9.1f}")
    # the tagger's per-topic figures on the honest part: which topics it suggests too often or misses
    names = {t.slug: t.name for t in taxonomy.topics}
    ours = [r for r in reports if r.method == "tagger"]
    honest = next((r for r in ours if r.part in ("hidden", "heldout")), ours[-1])
    print(f"\n逐个主题（{PARTS.get(honest.part, honest.part)}）：建议次数 / 实际次数，精确率，召回率")
    for t in sorted(honest.topics, key=lambda t: (-(t.predicted - t.actual), t.slug)):
        if t.predicted or t.actual:
            print(f"  {names.get(t.slug, t.slug)}（{t.slug}）：{t.predicted} / {t.actual}，"
                  f"{t.precision:.2f}，{t.recall:.2f}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("tag", help="给没写主题的日记建议主题",
                       description="列出建议的主题和依据。例：diary tag；diary tag --write；diary tag --evaluate")
    p.add_argument("--write", action="store_true", help="把建议的主题写进文件（已写了主题的日记不会动）")
    p.add_argument("--evaluate", nargs="?", const="", default=None, metavar="文件夹",
                   help="在人工标注的日记上评估准确度（默认 tests/fixtures/tagging）")
    p.set_defaults(func=run)
