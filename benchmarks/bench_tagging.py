#!/usr/bin/env python3
"""How topic suggestion improves with the number of hand-tagged entries it learns from (a learning curve).

Usage (project venv, it imports site_builder):
  .venv/bin/python benchmarks/bench_tagging.py [--repeats 3]

The tagger learns from the diaries' hand-tagged entries (diaries/). This trains it on random subsets of them
(none, 25 %, 50 %, 75 %, all; `--repeats` different subsets each, fixed seeds) and scores each tagger on both parts
of the labelled set (tests/fixtures/tagging/tuning and heldout) with the same `evaluate` that
`diary tag --evaluate` uses. The heldout part is the honest figure: no constant or keyword was chosen by looking at it.
It also scores a second person's labels of the same 180 texts (tests/fixtures/tagging/second-annotator.tsv, made
without seeing the first labels) against the first: how far two careful people agree is the ceiling to read the
tagger's figures against.
Appends one JSON line to benchmarks/results/tagging.jsonl and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from site_builder.corpus import load_corpus, load_files  # noqa: E402
from site_builder.model import Entry, Settings  # noqa: E402
from site_builder.tag_evaluation import TopicScore, evaluate  # noqa: E402
from site_builder.tagging import Tagger  # noqa: E402
from site_builder.text.analyzer import get_analyzer  # noqa: E402

SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)  # 0: keywords and synonyms only


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    settings = Settings(ROOT / "diaries", ROOT / ".cache" / "diary")
    corpus, _ = load_corpus(settings, suggest=False)
    analyzer = get_analyzer(corpus.taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
    tagged = [e for e in corpus.entries if e.topics]
    slugs = [t.slug for t in corpus.taxonomy.topics]
    parts: dict[str, list[Entry]] = {}
    for part in ("tuning", "heldout"):
        files = load_files(ROOT / "tests" / "fixtures" / "tagging" / part, corpus.taxonomy)
        parts[part] = [f.entry for f in files if f.entry is not None and f.entry.topics]
    rows = []
    for share in SHARES:
        scores: dict[str, list[float]] = {part: [] for part in parts}
        for seed in range(args.repeats if 0 < share < 1 else 1):
            subset = random.Random(seed).sample(tagged, round(share * len(tagged)))
            tagger = Tagger(corpus.taxonomy, analyzer, subset)
            for part, labelled in parts.items():
                scores[part].append(evaluate(tagger, labelled, slugs).micro.f1)
        rows.append({"share": share, "trained_on": round(share * len(tagged)),
                     **{part: round(statistics.mean(v), 3) for part, v in scores.items()}})
    second = _second_annotator(parts)
    record = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "tagged": len(tagged),
              "labelled": {p: len(v) for p, v in parts.items()}, "repeats": args.repeats, "rows": rows,
              "second_annotator": second}
    out = HERE / "results" / "tagging.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print("| hand-tagged entries learned from | micro-F1 tuning part | micro-F1 heldout part |")
    print("|---:|---:|---:|")
    for r in rows:
        print(f"| {r['trained_on']} | {r['tuning']:.3f} | {r['heldout']:.3f} |")
    if second:
        print(f"| a second person's labels | {second['tuning']:.3f} | {second['heldout']:.3f} |")


def _second_annotator(parts: dict[str, list[Entry]]) -> dict[str, float]:
    path = ROOT / "tests" / "fixtures" / "tagging" / "second-annotator.tsv"
    if not path.is_file():
        return {}
    labels = dict(line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    out = {}
    for part, labelled in parts.items():
        tp = fp = fn = 0
        for e in labelled:
            other, gold = set(labels[e.source.stem].split(",")), set(e.topics)
            tp, fp, fn = tp + len(other & gold), fp + len(other - gold), fn + len(gold - other)
        out[part] = round(TopicScore("micro", tp, fp, fn).f1, 3)
    return out


if __name__ == "__main__":
    main()
