#!/usr/bin/env python3
"""In-browser search: plain material, Pagefind and our site on the same corpus, in one run.

Usage: bench_search.py N [N ...] [--loads 3] [--reps 3] [--only material,pagefind,ours,ours_extra]

Needs the sites bench_build.py wrote ($BENCH_WORK/sites/corpus_N-{plain,floor,ours}) and the bench venv
($BENCH_WORK/venv with playwright, zhconv, pagefind[extended]). Runs the shared anchor script
/work/shared/bench/bench_browser.py (override with BENCH_SHARED=...) three times per N:
  material  on corpus_N-plain      (material + jieba search + navigation.prune), truth = corpus_N/material/truth.json
  pagefind  on corpus_N-pagefind   (copy of corpus_N-floor, indexed with
                                    `python -m pagefind --site … --root-selector "article.md-content__inner"`)
  generic   on corpus_N-ours with --adapter ours.json, truth = corpus_N/truth.json
then an extra pass over our site ("ours_extra"): for each of the 7 queries a fresh (cold) context, the query typed
into /search/index.html, bytes fetched and time to rendered results; and in one warm page, per query, the typed
latency (the query typed after a pause, which the page searches at once; before 2026-12-04 this included an 80 ms
input debounce) and the engine time (`diarySearch.search`, no DOM).
Writes results/browser-*.json, results/ours-extra-N.json, results/pagefind-index-N.json and prints a summary.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("BENCH_SHARED", "/work/shared/bench")
WORK = os.environ.get("BENCH_WORK", os.path.join(tempfile.gettempdir(), "bench-work"))
PY = os.path.join(WORK, "venv", "bin", "python")
RESULTS = os.path.join(HERE, "results")
ADAPTER = os.path.join(HERE, "ours.json")


def run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def pagefind_site(n):
    src = os.path.join(WORK, "sites", f"corpus_{n}-floor")
    dst = os.path.join(WORK, "sites", f"corpus_{n}-pagefind")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-v", PY, "-m", "pagefind", "--site", dst,
                        "--root-selector", "article.md-content__inner"], capture_output=True, text=True)
    wall = time.time() - t0
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    files = size = 0
    for root, _, names in os.walk(os.path.join(dst, "pagefind")):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    res = {"n": n, "rc": p.returncode, "wall_s": round(wall, 2),
           "peak_rss_mb": rss and round(int(rss.group(1)) / 1024, 1),
           "pagefind_files": files, "pagefind_mb": round(size / 2**20, 2)}
    with open(os.path.join(RESULTS, f"pagefind-index-{n}.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res), flush=True)
    return dst


def browser(kind, site, truth, label, loads, reps, extra=()):
    run([PY, os.path.join(SHARED, "bench_browser.py"), kind, site, truth, label,
         "--loads", str(loads), "--reps", str(reps), *extra], stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(WORK, "results", f"browser-{label}.json"), os.path.join(RESULTS, f"browser-{label}.json"))


def ours_extra(n, reps):
    """Per-query cold loads and warm typed/engine latency on our site (runs inside the bench venv)."""
    sys.path.insert(0, SHARED)
    import bench_browser as bb  # the anchor's helpers: logging server, contexts, ground truth
    from playwright.sync_api import sync_playwright

    ad = json.load(open(ADAPTER))
    site = os.path.join(WORK, "sites", f"corpus_{n}-ours")
    out = {"n": n, "cold": {}, "warm": {}}
    srv = bb.Server(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=bb.CHROMIUM, args=bb.ARGS, headless=True)
            out["chromium"] = browser.version
            for q, _ in bb.QUERIES:  # one fresh context per query: everything cold
                ctx = bb.new_ctx(browser)
                ctx.add_init_script(ad["init"])
                page = ctx.new_page()
                t_start = time.time()
                page.goto(srv.base + ad["page"], wait_until="domcontentloaded")
                page.wait_for_function(ad["ready"], timeout=120000)
                ready = page.evaluate(ad["ready_ms"])
                t_ready = time.time()
                r = page.evaluate(ad["query"], q)
                t_done = time.time()
                time.sleep(0.3)
                net_ready = srv.summarize(t_start - 0.01, t_ready)
                # the page shows its first 5 results (data-state "first") before the other 15 rows arrive: cut the
                # server log at that moment (browser epoch clock; the log's time is when a response was sent)
                net = srv.summarize(t_start - 0.01, r["first_epoch_ms"] / 1000 + 0.005)
                net_all = srv.summarize(t_start - 0.01, t_done + 0.3)  # what the shared script counts
                out["cold"][q] = {"ready_ms": round(ready, 1), "typed_to_results_ms": round(r["paint_ms"], 1),
                                  "typed_to_dom_ms": round(r["dom_ms"], 1), "debounce_ms": r["debounce_ms"],
                                  "typed_to_all20_ms": r["state_done_ms"] and round(r["state_done_ms"], 1),
                                  "load_to_results_ms": round(ready + r["paint_ms"], 1),
                                  "bytes_at_ready": net_ready["bytes"],
                                  "bytes_before_first_result": net["bytes"],
                                  "gzip_bytes_before_first_result_est": net["gzip_bytes_est"],
                                  "requests": net["requests"], "files": net["files"],
                                  "bytes_until_all20_plus_300ms": net_all["bytes"],
                                  "gzip_bytes_until_all20_plus_300ms_est": net_all["gzip_bytes_est"],
                                  "requests_until_all20_plus_300ms": net_all["requests"], "meta": r["meta"]}
                ctx.close()
            ctx = bb.new_ctx(browser)
            ctx.add_init_script(ad["init"])
            page = ctx.new_page()
            page.goto(srv.base + ad["page"], wait_until="domcontentloaded")
            page.wait_for_function(ad["ready"], timeout=120000)
            page.evaluate(ad["query"], "社区")  # warm-up call (no `all`)
            for q, _ in bb.QUERIES:
                page.evaluate(ad["query"], q)  # first time this query runs: loads its shards/blocks
                runs = [page.evaluate(ad["query"], q) for _ in range(max(reps, 5))]
                out["warm"][q] = {
                    "typed_to_results_ms_median": round(statistics.median(x["paint_ms"] for x in runs), 1),
                    "typed_to_results_ms_max": round(max(x["paint_ms"] for x in runs), 1),
                    "after_debounce_ms_median": round(statistics.median(x["paint_ms"] - x["debounce_ms"]
                                                                          for x in runs), 1),
                    "all20_ms_median": round(statistics.median(x["state_done_ms"] or 0 for x in runs), 1),
                    "engine_ms_median": round(statistics.median(x["engine_ms"] for x in runs), 2),
                    "engine_ms_max": round(max(x["engine_ms"] for x in runs), 2),
                    "count": runs[0]["count"], "partial": runs[0]["partial"]}
            browser.close()
    finally:
        srv.stop()
    with open(os.path.join(RESULTS, f"ours-extra-{n}.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    return out


def summary(n):
    def load(name):
        p = os.path.join(RESULTS, name)
        return json.load(open(p)) if os.path.exists(p) else None

    lines = [f"### N = {n:,}", ""]
    m, pf, o = load(f"browser-material-{n}.json"), load(f"browser-pagefind-{n}.json"), load(f"browser-ours-{n}.json")
    lines += ["| engine | ready ms (cold loads) | first query ms (typed → results) | "
              "bytes before first result raw | gzip est. | requests |", "|---|---|---|---:|---:|---:|"]
    for name, d, key in (("material", m, "loads"), ("ours", o, "loads")):
        if d:
            ls = d[key]
            lines.append(f"| {name} | {', '.join(str(round(x['ready_ms'])) for x in ls)} | "
                         f"{', '.join(str(round(x['first_query_ms'])) for x in ls)} | "
                         f"{ls[0]['bytes_before_first_result']:,} | {ls[0]['gzip_bytes_before_first_result_est']:,} | "
                         f"{ls[0]['requests']} |")
    if pf:
        ls = pf["ui_loads"]
        lines.append(f"| pagefind UI (debounce 0) | mounted {', '.join(str(round(x['ui_ready_ms'])) for x in ls)} | "
                     f"{', '.join(str(round(x['first_query_first_result_ms'] or -1)) for x in ls)} | "
                     f"{ls[0]['bytes_before_first_results']:,} | {ls[0]['gzip_bytes_before_first_results_est']:,} | "
                     f"{ls[0]['requests']} |")
    lines += ["", "| query | truth S/T | material: returned; S; T; lacking; planted top5 | pagefind (API) | ours |",
              "|---|---|---|---|---|"]

    def cell(qd):
        if not qd:
            return "-"
        rc = qd.get("recall")
        if not rc:
            return f"-; {','.join(qd.get('planted_in_top5', [])) or '—'}"
        return (f"{rc['returned']}; {rc['found_s']}; {rc['found_t']}; {rc['returned_not_containing_query']}; "
                f"{','.join(p.split('-')[0] for p in qd['planted_in_top5']) or '—'}")

    gt = (o or m or {}).get("ground_truth", {})
    for q in gt:
        lines.append(f"| {q} | {gt[q]['relevant'] - gt[q]['relevant_trad']}/{gt[q]['relevant_trad']} | "
                     f"{cell(m and m['queries'].get(q))} | {cell(pf and pf['api_warm'].get(q))} | "
                     f"{cell(o and o['queries'].get(q))} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="+")
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="material,pagefind,ours,ours_extra")
    a = ap.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    only = set(a.only.split(","))
    for n in a.n:
        corpus = os.path.join(WORK, f"corpus_{n}")
        mtruth, otruth = os.path.join(corpus, "material", "truth.json"), os.path.join(corpus, "truth.json")
        with open(os.path.join(RESULTS, f"uptime-search-{n}.txt"), "a") as f:
            f.write(subprocess.run(["uptime"], capture_output=True, text=True).stdout)
        if "material" in only:
            browser("material", os.path.join(WORK, "sites", f"corpus_{n}-plain"), mtruth, f"material-{n}",
                    a.loads, a.reps)
        if "pagefind" in only:
            browser("pagefind", pagefind_site(n), mtruth, f"pagefind-{n}", a.loads, a.reps)
        if "ours" in only:
            browser("generic", os.path.join(WORK, "sites", f"corpus_{n}-ours"), otruth, f"ours-{n}", a.loads, a.reps,
                    ["--adapter", ADAPTER])
        if "ours_extra" in only:
            ours_extra(n, a.reps)
        with open(os.path.join(RESULTS, f"uptime-search-{n}.txt"), "a") as f:
            f.write(subprocess.run(["uptime"], capture_output=True, text=True).stdout)
        print(summary(n), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
