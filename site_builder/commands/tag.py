"""`diary tag`: suggested topics with their evidence; `--write` adds them; `--evaluate` measures the tagger."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ..corpus import load_corpus, load_files
from ..diagnostics import Diagnostic
from ..diary_writer import DiaryWriter, NotWritten, WriteFailed, read_snapshot
from ..model import Entry, Topic
from ..safe_read import ReadProblem
from ..tag_evaluation import evaluate
from ..tagging import Tagger, tagger_for
from ..taxonomy import load_taxonomy
from ..topic_writer import add_topics
from .common import settings_from


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    corpus, _ = load_corpus(settings)
    tagger = tagger_for(corpus.entries, corpus.taxonomy, settings)
    if args.evaluate is not None:
        return _evaluate(args, tagger, corpus.taxonomy.topics)
    names = {t.slug: t.name for t in corpus.taxonomy.topics}
    untagged = [e for e in corpus.entries if not e.topics]
    written = 0
    writer = DiaryWriter(settings.diaries_dir) if args.write else None
    for e, suggestions in zip(untagged, tagger.suggest_many([(e.title, e.body) for e in untagged]), strict=True):
        shown = "；".join(
            f"{names.get(s.slug, s.slug)}（{s.slug}，把握 {s.confidence:.0%}，依据：{'、'.join(s.evidence)}）"
            for s in suggestions) or "没有把握，请手工标注"
        print(f"{e.rel_source}: {e.title}\n  建议主题：{shown}")
        if writer is not None and suggestions:
            try:
                if add_topics(writer, read_snapshot(e.source), [s.slug for s in suggestions]):
                    written += 1
                    print("  已写入文件", flush=True)
            except (NotWritten, ReadProblem) as exc:
                print(f"  没有写入：{exc.message}")
            except WriteFailed as exc:
                print(Diagnostic(e.rel_source, 0, "write-failed",
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


def _evaluate(args: argparse.Namespace, tagger: Tagger, topics: Sequence[Topic]) -> int:
    folder = Path(args.evaluate or Path(args.root) / "tests" / "fixtures" / "tagging").resolve()
    taxonomy, _ = load_taxonomy(settings_from(args).diaries_dir)
    files = load_files(folder, taxonomy)
    labelled = [f.entry for f in files if f.entry is not None and f.entry.topics]
    if not labelled:
        print(f"{folder} 里没有标好主题的日记。")
        return 1
    result = evaluate(tagger, labelled, [t.slug for t in topics])
    print(f"在 {result.entries} 篇人工标注的日记上评估：\n")
    print(f"{'主题':<10}{'精确率':>8}{'召回率':>8}{'F1':>8}{'样本':>6}")
    names = {t.slug: t.name for t in topics}
    for t in sorted(result.topics, key=lambda t: t.f1):
        support = t.true_positive + t.false_negative
        if support or t.false_positive:
            print(f"{t.slug:<12}{t.precision:>9.2f}{t.recall:>9.2f}{t.f1:>9.2f}{support:>7}  {names.get(t.slug, '')}")
    # a set split into sub-folders (tuning/, heldout/) is reported per part too: the part nobody tuned on is the
    # honest figure
    parts = sorted({e.source.parent for e in labelled})
    if len(parts) > 1:
        print()
        for part in parts:
            in_part = [e for e in labelled if e.source.parent == part]
            m = evaluate(tagger, in_part, [t.slug for t in topics]).micro
            print(f"{part.name}（{len(in_part)} 篇）：精确率 {m.precision:.3f}，召回率 {m.recall:.3f}，F1 {m.f1:.3f}")
    m = result.micro
    print(f"\n总体（micro）：精确率 {m.precision:.3f}，召回率 {m.recall:.3f}，F1 {m.f1:.3f}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("tag", help="给没写主题的日记建议主题",
                       description="列出建议的主题和依据。例：diary tag；diary tag --write；diary tag --evaluate")
    p.add_argument("--write", action="store_true", help="把建议的主题写进文件（已写了主题的日记不会动）")
    p.add_argument("--evaluate", nargs="?", const="", default=None, metavar="文件夹",
                   help="在人工标注的日记上评估准确度（默认 tests/fixtures/tagging）")
    p.set_defaults(func=run)
