#!/usr/bin/env python3
"""`diary search` latency: a cold process per query, and warm queries through the Python API in one process.

Usage (project venv, it imports site_builder):
  /work/main/.venv/bin/python benchmarks/bench_cli.py $BENCH_WORK/corpus_7000 [--runs 20] [--cold 5]

1. First `diary --root OUTDIR search 马葫芦` (builds the Whoosh index in OUTDIR/.cache/diary; timed, not a target).
2. Cold process: the same command --cold times from a fresh process, index already built (wall, peak RSS).
3. In one process: sources_fingerprint (what the CLI checks first), load_corpus (the CLI only calls it when the
   fingerprint changed), DiaryIndex.for_corpus, index.update (a no-op now) timed once each, then the 7 bench
   queries x --runs calls of index.search(q) (limit 10, what the CLI shows): p50 / p95 / max, per query and overall.
4. Correctness of the same search (limit=None): recall against truth.json (substring of the Simplified-normalised
   text, as the browser benchmark does), results lacking the term, planted pages in the top 5.
Appends one JSON line to benchmarks/results/cli.jsonl and prints a Markdown summary.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIARY = HERE.parent / ".venv" / "bin" / "diary"
QUERIES = [("留守儿童", ["P1-", "P2-"]), ("留守兒童", ["P1-", "P2-"]), ("独居老人", ["P3-", "P4-"]),
           ("马葫芦", ["P5-", "P6-"]), ("物业弃管", ["P7-", "P8-"]), ("低保", ["P9-", "P10-"]),
           ("屋顶 漏水", ["P11-", "P12-"])]
T2S = None


def to_simplified(q: str) -> str:
    from site_builder.text.fold import fold  # the project's own Traditional→Simplified table

    return fold(q)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))
    return xs[k]


def time_cmd(cmd: list[str], env: dict[str, str]) -> dict[str, object]:
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return {"rc": p.returncode, "wall_s": round(wall, 3), "peak_rss_mb": rss and round(int(rss.group(1)) / 1024, 1),
            "first_line": (p.stdout.splitlines() or [""])[0]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--cold", type=int, default=5)
    a = ap.parse_args()
    root = Path(a.outdir).resolve()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    res: dict[str, object] = {"when": dt.datetime.now().isoformat(timespec="seconds"), "corpus": root.name,
                              "loadavg_before": [round(x, 2) for x in os.getloadavg()]}
    cmd = [str(DIARY), "--root", str(root), "search", "马葫芦"]

    res["first_run_builds_index"] = time_cmd(cmd, env)
    colds = [time_cmd(cmd, env) for _ in range(a.cold)]
    walls = [float(c["wall_s"]) for c in colds]  # type: ignore[arg-type]
    res["cold_process"] = {"runs": colds, "median_s": round(statistics.median(walls), 3), "min_s": min(walls),
                           "max_s": max(walls)}
    res["python_import_only_s"] = time_cmd([sys.executable, "-c", "import site_builder.cli, "
                                            "site_builder.search.whoosh_index"], env)["wall_s"]

    from site_builder.corpus.discover import sources_fingerprint
    from site_builder.corpus.load import load_corpus
    from site_builder.model import Settings
    from site_builder.search.whoosh_index import DiaryIndex

    settings = Settings(diaries_dir=root / "diaries", cache_dir=root / ".cache" / "diary")
    # what the CLI does first: fingerprint the sources; load_corpus below only runs when they changed
    t = time.perf_counter()
    fingerprint = sources_fingerprint(settings.diaries_dir)
    t_fp = time.perf_counter() - t
    t = time.perf_counter()
    corpus, _ = load_corpus(settings)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    index = DiaryIndex.for_corpus(corpus, settings)
    t_analyzer = time.perf_counter() - t
    t = time.perf_counter()
    changed = index.update(corpus)
    t_update = time.perf_counter() - t
    res["in_process_setup_s"] = {"sources_fingerprint": round(t_fp, 3),
                                 "index_was_current": index.is_current(fingerprint),
                                 "load_corpus (only when sources changed)": round(t_load, 3),
                                 "for_corpus (analyzer)": round(t_analyzer, 3),
                                 "update (no-op)": round(t_update, 3), "update_changed": list(changed)}
    index.search("社区")  # first call opens files
    per_q: dict[str, dict[str, float]] = {}
    all_ms: list[float] = []
    for q, _ in QUERIES:
        ms = []
        for _ in range(a.runs):
            t = time.perf_counter()
            index.search(q)
            ms.append((time.perf_counter() - t) * 1000)
        all_ms += ms
        per_q[q] = {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2),
                    "max_ms": round(max(ms), 2)}
    res["warm"] = {"per_query": per_q, "p50_ms": round(statistics.median(all_ms), 2),
                   "p95_ms": round(pct(all_ms, 95), 2), "max_ms": round(max(all_ms), 2), "calls": len(all_ms)}

    truth = json.load(open(root / "truth.json", encoding="utf-8"))
    by_url = {p["url"]: p for p in truth["pages"]}
    corr = {}
    for q, expect in QUERIES:
        terms = to_simplified(q).split()
        rel = {p["url"] for p in truth["pages"] if all(t in p["text_s"] for t in terms)}
        out = index.search(q, limit=100_000)
        urls = [h.url for h in out.hits]
        found = set(urls)
        top = [by_url.get(u, {}).get("planted") for u in urls[:5]]
        corr[q] = {"relevant": len(rel), "returned": out.total, "found": len(rel & found),
                   "recall": round(len(rel & found) / len(rel), 4) if rel else None,
                   "lacking_term": len(found - rel), "partial": out.partial,
                   "planted_in_top5": [p for p in top if p and any(p.startswith(e) for e in expect)]}
    res["correctness"] = corr
    os.makedirs(HERE / "results", exist_ok=True)
    with open(HERE / "results" / "cli.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(res, ensure_ascii=False) + "\n")

    print(f"## diary search — {root.name}\n")
    print(f"- first run (builds the Whoosh index): {res['first_run_builds_index']}")
    print(f"- cold process, index built: median {res['cold_process']['median_s']} s "  # type: ignore[index]
          f"(min {min(walls)}, max {max(walls)}), peak RSS {colds[0]['peak_rss_mb']} MB; "
          f"python + imports alone {res['python_import_only_s']} s")
    print(f"- in-process setup: {res['in_process_setup_s']}")
    print(f"- warm index.search: p50 {res['warm']['p50_ms']} ms, p95 {res['warm']['p95_ms']} ms, "  # type: ignore[index]
          f"max {res['warm']['max_ms']} ms over {len(all_ms)} calls\n")  # type: ignore[index]
    print("| query | p50 ms | p95 ms | relevant | returned | found | lacking term | planted top 5 |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for q, _ in QUERIES:
        c = corr[q]
        print(f"| {q} | {per_q[q]['p50_ms']} | {per_q[q]['p95_ms']} | {c['relevant']} | {c['returned']} | "
              f"{c['found']} | {c['lacking_term']} | {','.join(c['planted_in_top5']) or '—'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
