#!/usr/bin/env python3
"""A profile of the sample diaries: how varied they are as teaching material.

Usage (project venv, it imports site_builder):
  .venv/bin/python benchmarks/sample_profile.py [DIARIES ...]

With several folders (e.g. the main checkout's diaries/ and this one's) it prints one column per folder, so a
before/after comparison is measured in one run. Counts: entries, scripts per author, matters left 跟进中 with no
later entry of their thread (the same rule as /stats/), entries using the four stock headings
【情况】【做法】【成效】【体会】, body length range and quartiles (Han characters and punctuation, no spaces), and
entries that close on a one-line moral (ends_on_moral).
"""
from __future__ import annotations

import re
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from site_builder.corpus.load import load_corpus  # noqa: E402
from site_builder.model import Corpus, Settings  # noqa: E402
from site_builder.structure.stats import compute_stats  # noqa: E402
from site_builder.text.fold import fold  # noqa: E402

FOUR = ("【情况】", "【做法】", "【成效】", "【体会】")
_SENTENCE_END = re.compile(r"[。！？]")
# a closing line that reports what happened (a time, a count) is a fact, not a moral
_CONCRETE = re.compile(
    r"\d|今天|今晚|昨天|明天|上午|下午|晚上|上周|下周|礼拜|[一二两三四五六七八九十百千万几]+[户个位盏人块天回次]")


def body_length(body: str) -> int:
    return len(re.sub(r"\s", "", body))


def ends_on_moral(body: str) -> bool:
    """The last paragraph sums up: a 【体会】 paragraph, or one short general line (one or two sentences, no time
    or count in it)."""
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return False
    last = fold(paragraphs[-1])
    if "\n" in last:
        return False
    if last.startswith("【体会】"):
        return True
    return len(_SENTENCE_END.findall(last)) <= 2 and len(last) <= 60 and not _CONCRETE.search(last)


def profile(corpus: Corpus) -> dict[str, object]:
    entries = corpus.entries
    scripts: dict[str, Counter[str]] = defaultdict(Counter)
    for e in entries:
        scripts[e.author or "（无）"]["繁" if e.traditional else "简"] += 1
    lengths = sorted(body_length(e.body) for e in entries)
    q = statistics.quantiles(lengths, n=4)
    return {
        "entries": len(entries),
        "authors writing in two scripts": sum(1 for c in scripts.values() if len(c) > 1),
        "scripts per author": "; ".join(f"{a} {dict(c)}" for a, c in sorted(scripts.items())),
        "跟进中 with no later entry": len(compute_stats(corpus).open_matters),
        "entries with the four headings": sum(1 for e in entries if all(h in fold(e.body) for h in FOUR)),
        "body length min / Q1 / median / Q3 / max":
            f"{lengths[0]} / {q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f} / {lengths[-1]}",
        "entries ending on a one-line moral": sum(1 for e in entries if ends_on_moral(e.body)),
    }


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [ROOT / "diaries"]
    columns = []
    with tempfile.TemporaryDirectory() as cache:
        for i, folder in enumerate(folders):
            corpus, _ = load_corpus(Settings(folder, Path(cache) / str(i)), suggest=False)
            columns.append(profile(corpus))
    print("| measure | " + " | ".join(str(f) for f in folders) + " |")
    print("|---|" + "---|" * len(folders))
    for key in columns[0]:
        print(f"| {key} | " + " | ".join(str(c[key]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
