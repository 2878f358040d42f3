#!/usr/bin/env python3
"""Build cost of our site vs. plain mkdocs-material vs. the bare-render floor, same corpus, same run.

Usage: bench_build.py N [N ...] [--variants floor,ours,ours_nosearch,plain] [--no-gen]

For each N (e.g. 7000 1000 20000) it generates $BENCH_WORK/corpus_N with gen.py (unless it exists and
--no-gen is given) and then builds, back to back:
  floor          plain material, nav of two pages (index.md, tags.md), theme.font: false, no plugins (ANCHORS §8)
  ours           `mkdocs build -f corpus_N/mkdocs.yml` (our plugin, project venv), cache folder emptied first
  ours_nosearch  the same with plugins: [{diary: {search: false}}]  (ours - ours_nosearch = static index step)
  plain          plain material + search (jieba) + navigation.prune, the anchor's `search_prune` variant
Every build runs under `/usr/bin/time -v` with NO_MKDOCS_2_WARNING=1. "ours" runs through a thin wrapper that
times the plugin's stages (on_files = read + render Markdown, sanitize_html per entry page, write_static_index =
static search index, called inside on_files since 2026-12-03 evening, so on_files_s includes it); the wrapper only
wraps functions, it changes nothing.

Results: one JSON line per build appended to benchmarks/results/build.jsonl, and a Markdown table on stdout.
Sites go to $BENCH_WORK/sites/corpus_N-<variant>/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
WORK = os.environ.get("BENCH_WORK", os.path.join(tempfile.gettempdir(), "bench-work"))
BENCH_PY = os.path.join(WORK, "venv", "bin", "python")
BENCH_MKDOCS = os.path.join(WORK, "venv", "bin", "mkdocs")
# the project venv; OUR_PY=/work/main/.venv/bin/python lets a worktree without its own venv use main's (the build
# imports this checkout's site_builder either way: PYTHONPATH is set to PROJECT for "ours")
OUR_PY = os.environ.get("OUR_PY", os.path.join(PROJECT, ".venv", "bin", "python"))
RESULTS = os.path.join(HERE, "results")

# Runs mkdocs in the project venv with the plugin's stages timed (printed to stderr as one JSON line).
STAGE_WRAPPER = r"""
import json, sys, time, atexit
import site_builder.plugin as P
T = {"on_files_s": 0.0, "sanitize_s": 0.0, "sanitize_calls": 0, "static_index_s": 0.0, "on_config_s": 0.0}
def wrap(obj, name, key, count=None):
    f = getattr(obj, name)
    def g(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            T[key] += time.perf_counter() - t
            if count: T[count] += 1
    setattr(obj, name, g)
wrap(P.DiaryPlugin, "on_files", "on_files_s")
wrap(P.DiaryPlugin, "on_config", "on_config_s")
wrap(P, "sanitize_html", "sanitize_s", "sanitize_calls")
wrap(P, "write_static_index", "static_index_s")  # the name plugin.py calls
T0 = time.perf_counter()
# the build's worker processes (site_builder/workers.py) are not in /usr/bin/time's peak RSS (that is the largest
# single process): the process tree's proportional set size (Pss: a page shared by n processes counts 1/n in each),
# summed over the tree every 0.2 s, is what the whole build occupies
import os, threading
PEAK = {"tree_pss_peak_mb": 0.0, "workers_seen": 0}
def _tree(pid):
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    out.extend(_tree(int(child)))
    except OSError:
        pass
    return out
def _pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
def _sample():
    while True:
        pids = _tree(os.getpid())
        PEAK["workers_seen"] = max(PEAK["workers_seen"], len(pids) - 1)
        PEAK["tree_pss_peak_mb"] = max(PEAK["tree_pss_peak_mb"], sum(_pss(p) for p in pids))
        time.sleep(0.2)
threading.Thread(target=_sample, daemon=True).start()
atexit.register(lambda: sys.stderr.write("DIARY_STAGES " + json.dumps(
    dict({k: round(v, 3) if isinstance(v, float) else v for k, v in T.items()},
         total_in_process_s=round(time.perf_counter() - T0, 3),
         tree_pss_peak_mb=round(PEAK["tree_pss_peak_mb"], 1), workers_seen=PEAK["workers_seen"])) + "\n"))
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "-f", sys.argv[1]]
cli()
"""


def write_cfg(path, cfg):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False, indent=1)  # JSON is YAML


def material_cfg(corpus, variant, site):
    docs = os.path.join(corpus, "material", "docs")
    if variant == "plain":
        return {"site_name": "民生日记", "docs_dir": docs, "site_dir": site,
                "theme": {"name": "material", "language": "zh", "features": ["navigation.prune"]},
                "plugins": [{"search": {"lang": "zh"}}]}
    # floor (ANCHORS §8): the entries are not in the nav, no plugins, no Google Fonts
    return {"site_name": "民生日记", "docs_dir": docs, "site_dir": site,
            "theme": {"name": "material", "language": "zh", "font": False},
            "nav": [{"首页": "index.md"}, {"标签": "tags.md"}], "plugins": []}


def our_cfg(corpus, variant, site):
    """Our mkdocs.yml (as gen.py wrote it) with site_dir moved, and for ours_nosearch search: false."""
    import yaml  # the bench venv has PyYAML (mkdocs needs it)

    with open(os.path.join(corpus, "mkdocs.yml"), encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    cfg["site_dir"] = site
    if variant == "ours_nosearch":
        plugins = []
        for p in cfg.get("plugins", []):
            if isinstance(p, dict) and "diary" in p:
                p = {"diary": dict(p["diary"] or {}, search=False)}
            elif p == "diary":
                p = {"diary": {"search": False}}
            plugins.append(p)
        cfg["plugins"] = plugins
    return cfg


def dir_stats(path):
    files = size = 0
    for root, _, names in os.walk(path):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(root, n))
    return files, size


def build(corpus, variant, n, timeout):
    name = f"{os.path.basename(corpus)}-{variant}"
    site = os.path.join(WORK, "sites", name)
    shutil.rmtree(site, ignore_errors=True)
    if variant.startswith("ours"):
        cfg_path = os.path.join(corpus, f"mkdocs-{variant}.yml")  # next to diaries/ (paths are relative to it)
        write_cfg(cfg_path, our_cfg(corpus, variant, site))
        shutil.rmtree(os.path.join(corpus, ".cache"), ignore_errors=True)  # cold: no jieba/analyzer cache
        cmd = [OUR_PY, "-c", STAGE_WRAPPER, cfg_path]
    else:
        cfg_path = os.path.join(corpus, f"mkdocs-{variant}.yml")
        write_cfg(cfg_path, material_cfg(corpus, variant, site))
        cmd = [BENCH_MKDOCS, "build", "-f", cfg_path]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if variant.startswith("ours"):
        env["PYTHONPATH"] = PROJECT
    if variant == "ours_1core":  # the same build with site_builder/workers.py kept to this process
        env["DIARY_WORKERS"] = "1"
    os.makedirs(os.path.join(RESULTS, "logs"), exist_ok=True)
    load_before = os.getloadavg()
    t0 = time.time()
    try:
        p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, timeout=timeout,
                           env=env, cwd=corpus)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired as e:
        rc = "timeout"
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
    wall = time.time() - t0
    with open(os.path.join(RESULTS, "logs", name + ".log"), "w") as f:
        f.write(err)

    def grab(rx, cast=float):
        m = re.search(rx, err)
        return cast(m.group(1)) if m else None

    rss = grab(r"Maximum resident set size \(kbytes\): (\d+)", int)
    res = {"when": dt.datetime.now().isoformat(timespec="seconds"), "n": n, "corpus": os.path.basename(corpus),
           "variant": variant, "rc": rc, "wall_s": round(wall, 2),
           "user_s": grab(r"User time \(seconds\): ([\d.]+)"), "sys_s": grab(r"System time \(seconds\): ([\d.]+)"),
           "cpu_pct": grab(r"Percent of CPU this job got: (\d+)%", int),
           "mkdocs_reported_s": grab(r"Documentation built in ([\d.]+) seconds"),
           "peak_rss_mb": round(rss / 1024, 1) if rss else None,
           "warnings": len(re.findall(r"^WARNING", err, re.M)),
           "loadavg_before": [round(x, 2) for x in load_before]}
    m = re.search(r"^DIARY_STAGES (.*)$", err, re.M)
    if m:
        res["stages"] = json.loads(m.group(1))
    if os.path.isdir(site):
        files, size = dir_stats(site)
        res.update(files=files, site_mb=round(size / 2**20, 2))
        sd = os.path.join(site, "search-data")
        if os.path.isdir(sd):
            f2, s2 = dir_stats(sd)
            res.update(search_data_files=f2, search_data_mb=round(s2 / 2**20, 2))
        si = os.path.join(site, "search", "search_index.json")
        if os.path.exists(si):
            res["search_index_kb"] = round(os.path.getsize(si) / 1024, 1)
    print(json.dumps(res, ensure_ascii=False), flush=True)
    with open(os.path.join(RESULTS, "build.jsonl"), "a") as f:
        f.write(json.dumps(res, ensure_ascii=False) + "\n")
    return res


def table(rows):
    by = {r["variant"]: r for r in rows}
    out = ["| N | variant | wall s | user s | peak RSS MB | files | site MB | warnings |",
           "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['n']:,} | {r['variant']} | {r['wall_s']} | {r['user_s']} | {r['peak_rss_mb']} | "
                   f"{r.get('files', '-')} | {r.get('site_mb', '-')} | {r['warnings']} |")
    o = by.get("ours")
    if o:
        out.append("")
        for base in ("plain", "floor"):
            b = by.get(base)
            if b and b["wall_s"]:
                out.append(f"- ours/{base}: wall {o['wall_s'] / b['wall_s']:.2f}×, "
                           f"peak RSS {o['peak_rss_mb'] / b['peak_rss_mb']:.2f}×")
        ns = by.get("ours_nosearch")
        if ns:
            out.append(f"- static index step (ours − ours_nosearch): {o['wall_s'] - ns['wall_s']:+.2f} s wall, "
                       f"{o['peak_rss_mb'] - ns['peak_rss_mb']:+.1f} MB peak RSS")
        if o.get("stages"):
            out.append(f"- stages inside ours: {json.dumps(o['stages'], ensure_ascii=False)}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="+")
    ap.add_argument("--variants", default="floor,ours,ours_nosearch,plain")
    ap.add_argument("--no-gen", action="store_true", help="reuse $BENCH_WORK/corpus_N if it exists")
    ap.add_argument("--timeout", type=int, default=1800)
    a = ap.parse_args()
    for n in a.n:
        corpus = os.path.join(WORK, f"corpus_{n}")
        if not (a.no_gen and os.path.isdir(corpus)):
            subprocess.run([BENCH_PY, os.path.join(HERE, "gen.py"), str(n), corpus], check=True)
        rows = [build(corpus, v, n, a.timeout) for v in a.variants.split(",")]
        print("\n" + table(rows) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
