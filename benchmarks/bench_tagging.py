#!/usr/bin/env python3
"""Topic suggestion on writing we did not author, beside baselines, and its learning curve on our labelled set.

Usage (project venv, it imports site_builder):
  .venv/bin/python benchmarks/bench_tagging.py [--repeats 3]

First the field-test set (../shared/fieldtest, `tag_evaluation.evaluate_fieldtest`, the same as
`diary tag --evaluate ../shared/fieldtest`): the entries written without topics, and every entry with its topics
hidden in turn; the tagger beside "keywords only" and "most frequent topic", and the secretaries' own topics against
the gold reader; then the tagger's per-topic suggested vs true counts. Then our labelled set per part, same methods.

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

from site_builder.corpus.load import load_corpus, load_files  # noqa: E402
from site_builder.model import Entry, Settings  # noqa: E402
from site_builder.tagging.evaluation import (  # noqa: E402
    Report,
    TopicScore,
    evaluate_fieldtest,
    evaluate_labelled,
    labelled_run,
    tagger_suggester,
)
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
    field = evaluate_fieldtest(ROOT.parent / "shared" / "fieldtest", corpus.taxonomy, analyzer)
    ours = evaluate_labelled(ROOT / "tests" / "fixtures" / "tagging", tagged, corpus.taxonomy, analyzer)
    suggester = tagger_suggester(corpus.taxonomy, analyzer)
    rows = []
    for share in SHARES:
        scores: dict[str, list[float]] = {part: [] for part in parts}
        for seed in range(args.repeats if 0 < share < 1 else 1):
            subset = random.Random(seed).sample(tagged, round(share * len(tagged)))
            for part, labelled in parts.items():
                scores[part].append(labelled_run(part, "tagger", suggester, subset, labelled, slugs).micro.f1)
        rows.append({"share": share, "trained_on": round(share * len(tagged)),
                     **{part: round(statistics.mean(v), 3) for part, v in scores.items()}})
    second = _second_annotator(parts)
    record = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "tagged": len(tagged),
              "labelled": {p: len(v) for p, v in parts.items()}, "repeats": args.repeats, "rows": rows,
              "second_annotator": second, "fieldtest": [_row(r) for r in field],
              "labelled_reports": [_row(r) for r in ours]}
    out = HERE / "results" / "tagging.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print("| set | entries | method | n | primary | any | precision | recall | per entry |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in [*field, *ours]:
        m = r.micro
        print(f"| {'fieldtest' if r in field else 'labelled'} | {r.part} | {r.method} | {r.cases} | "
              f"{r.primary}/{r.cases} ({r.primary_share:.0%}) | {r.any_topic}/{r.cases} ({r.any_share:.0%}) | "
              f"{m.precision:.2f} | {m.recall:.2f} | {r.per_entry:.2f} |")
    hidden = next(r for r in field if (r.part, r.method) == ("hidden", "tagger"))
    print("\n| topic (fieldtest, hidden, tagger) | suggested | true | precision | recall |")
    print("|---|---:|---:|---:|---:|")
    for t in sorted(hidden.topics, key=lambda t: (-t.actual, t.slug)):
        if t.predicted or t.actual:
            print(f"| {t.slug} | {t.predicted} | {t.actual} | {t.precision:.2f} | {t.recall:.2f} |")
    print()
    print("| hand-tagged entries learned from | micro-F1 tuning part | micro-F1 heldout part |")
    print("|---:|---:|---:|")
    for row in rows:
        print(f"| {row['trained_on']} | {row['tuning']:.3f} | {row['heldout']:.3f} |")
    if second:
        print(f"| a second person's labels | {second['tuning']:.3f} | {second['heldout']:.3f} |")


def _row(r: Report) -> dict[str, object]:
    m = r.micro
    return {"part": r.part, "method": r.method, "cases": r.cases, "primary": r.primary, "any": r.any_topic,
            "precision": round(m.precision, 3), "recall": round(m.recall, 3), "per_entry": round(r.per_entry, 2),
            "topics": {t.slug: [t.predicted, t.actual] for t in r.topics if t.predicted or t.actual}}


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
