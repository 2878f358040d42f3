#!/usr/bin/env python3
"""Search quality beside a plain BM25 baseline, in one run: the browser (Chromium), `diary search` and the baseline.

Usage: PYTHONPATH=. python benchmarks/bench_search_quality.py [--out benchmarks/results/search-quality.json]

Query sets (each query lists the files that must be among the first 5 results):
  fieldtest  ../shared/fieldtest/queries.yml over ../shared/fieldtest/diaries (secretaries' own writing; "none" queries
             have no relevant file: they pass when the top 5 holds only acceptable files or clearly labelled partial
             matches — a ranked OR list has no label, so for the baseline only acceptable files)
  trainee    benchmarks/queries_trainee.yml over our sample diaries (our own set, in a trainee's voice)
Per system and set: top-5 passes, junk (top-5 results that contain none of the query's words or their synonyms,
judged the same neutral way for every system, see `concepts_of`), noise (fieldtest only: top-5 results the
secretaries listed neither as relevant nor acceptable) and the median latency per query (warm; the browser's is the
engine's `diarySearch.search`, without the page's input debounce).
The baseline (`Baseline`): jieba cut_for_search, t2s by our fold table, the same synonym table expanding the query,
BM25 (k1 1.2, b 0.75) over title + body, ranked OR. It shares nothing else with our engine.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jieba
import yaml

from site_builder.corpus.load import load_corpus
from site_builder.model import Corpus, Entry, Settings
from site_builder.search.postings import plain_text
from site_builder.search.whoosh_index import DiaryIndex
from site_builder.text.analyzer import get_analyzer
from site_builder.text.fold import fold, normalize_width

REPO = Path(__file__).resolve().parents[1]
FIELDTEST = REPO.parent / "shared" / "fieldtest"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TOP = 5


def norm(text: str) -> str:
    return fold(normalize_width(text)).lower()


class Baseline:
    """Plain BM25, ranked OR, with the same synonym table (the issue's 50-line baseline)."""

    K1, B = 1.2, 0.75

    def __init__(self, entries: list[Entry], synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.tk = jieba.Tokenizer()
        self.groups = [[norm(c), *(norm(v) for v in vs)] for c, vs in synonyms]
        self.ids = [e.id for e in entries]
        self.tf = [Counter(self.cut(e.title + "\n" + plain_text(e.body))) for e in entries]
        self.len = [sum(c.values()) for c in self.tf]
        self.avg = sum(self.len) / max(1, len(self.len))
        self.df: Counter[str] = Counter(t for c in self.tf for t in c)

    def cut(self, text: str) -> list[str]:
        return [t for t in self.tk.cut_for_search(norm(text)) if t.strip() and any(ch.isalnum() for ch in t)]

    def search(self, query: str) -> list[str]:
        q = norm(query)
        words = self.cut(q)
        for g in self.groups:  # a group member in the query brings the whole group in
            if any(m in q for m in g):
                words += [t for m in g for t in self.cut(m)]
        n, scores = len(self.ids), Counter[int]()
        for t in set(words):
            if not self.df[t]:
                continue
            idf = math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
            for d, tf in enumerate(self.tf):
                f = tf.get(t, 0)
                if f:
                    norm_len = self.K1 * (1 - self.B + self.B * self.len[d] / self.avg)
                    scores[d] += idf * f * (self.K1 + 1) / (f + norm_len)
        return [self.ids[d] for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))]


def concepts_of(query: str, filler: set[str], groups: list[list[str]]) -> list[set[str]]:
    """The query's words (jieba's whole words, filler and single characters out), each with its synonym group:
    a neutral judge of 'has something of the query', the same for every system."""
    out = []
    for w in jieba.cut(norm(query)):
        if len(w) < 2 or w in filler:
            continue
        alts = {w}
        for g in groups:
            if any(w in m or m in w for m in g if len(m) > 1):
                alts.update(g)
        out.append(alts)
    return out


def is_junk(e: Entry, concepts: list[set[str]]) -> bool:
    text = norm(e.title + "\n" + plain_text(e.body))
    return not any(a in text for c in concepts for a in c)


def project(root: Path, diaries: Path) -> Path:
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "diaries").mkdir()
    for name in ("topics.yml", "methods.yml", "userdict.txt"):
        shutil.copy(REPO / "diaries" / name, root / "diaries" / name)
    for f in diaries.rglob("*.md"):
        dst = root / "diaries" / f.relative_to(diaries)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            shutil.copy(f, dst)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")], check=True,
                   env=env, cwd=root, capture_output=True)
    return root


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


BROWSER_JS = """async (q) => {
    const t0 = performance.now();
    const o = await window.diarySearch.search(q);
    const ms = performance.now() - t0;
    const top = o.results.slice(0, %d);
    const infos = await Promise.all(top.map(r => window.diarySearch.docInfo(r.doc, o.cfg)));
    return {ms, top: infos.map((i, k) => ({url: i.url, full: top[k].covered === o.need}))};
}""".replace("%d", str(TOP))


def evaluate(name: str, queries: list[dict[str, Any]], corpus: Corpus, root: Path, page: Any,
             settings: Settings) -> dict[str, Any]:
    by_id = {e.id: e for e in corpus.entries}
    stem = {e.id: e.source.stem for e in corpus.entries}
    tax = corpus.taxonomy
    groups = [[norm(c), *(norm(v) for v in vs)] for c, vs in tax.synonyms]
    filler = {norm(f) for f in tax.filler}
    base = Baseline(list(corpus.entries), tax.synonyms)
    index = DiaryIndex(settings, get_analyzer(tax, settings.diaries_dir / "userdict.txt", settings.cache_dir))
    index.update(corpus)
    page.goto(f"file://{root / 'site' / 'search' / 'index.html'}")
    rows: dict[str, list[dict[str, Any]]] = {"baseline": [], "cli": [], "browser": []}
    for q in queries:
        text = str(q["query"])
        relevant = {Path(str(r)).stem for r in q.get("relevant") or []}
        acceptable = {Path(str(r)).stem for r in q.get("acceptable") or []}
        concepts = concepts_of(text, filler, groups)
        t0 = time.perf_counter()
        b = base.search(text)[:TOP]
        tb = time.perf_counter() - t0
        t0 = time.perf_counter()
        o = index.search(text, limit=TOP)
        tc = time.perf_counter() - t0
        c = [(h.id, h.full) for h in o.hits]
        br = page.evaluate(BROWSER_JS, text)
        w = [(Path(r["url"]).stem if not r["url"].endswith("/") else r["url"].rstrip("/").rsplit("/", 1)[-1],
              r["full"]) for r in br["top"]]
        for system, top, secs in (("baseline", [(i, True) for i in b], tb), ("cli", c, tc),
                                  ("browser", w, br["ms"] / 1000)):
            files = [stem.get(i, i) for i, _ in top]
            if relevant:
                ok = relevant <= set(files)
            else:  # "none": only acceptable files, or entries shown as partial matches under the line
                ok = all(f in acceptable or (not full and system != "baseline")
                         for f, (_, full) in zip(files, top, strict=True))
            junk = [f for f, (i, _) in zip(files, top, strict=True) if i in by_id and is_junk(by_id[i], concepts)]
            noise = [f for f in files if f not in relevant | acceptable] if "acceptable" in q else []
            rows[system].append({"query": text, "pass": ok, "top": files, "junk": junk, "noise": noise,
                                 "ms": round(secs * 1000, 2)})
    same = sum(1 for a, b2 in zip(rows["cli"], rows["browser"], strict=True) if a["top"] == b2["top"])
    summary = {s: {"passed": sum(r["pass"] for r in rs), "queries": len(rs), "junk": sum(len(r["junk"]) for r in rs),
                   "noise": sum(len(r["noise"]) for r in rs),
                   "median_ms": round(statistics.median(r["ms"] for r in rs), 2) if rs else 0}
               for s, rs in rows.items()}
    lost = [r["query"] for r, base_r in zip(rows["cli"], rows["baseline"], strict=True)
            if base_r["pass"] and not r["pass"]]
    return {"set": name, "summary": summary, "identical_top5_cli_browser": f"{same}/{len(queries)}",
            "baseline_passes_we_miss": lost, "rows": rows}


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in load],
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "search-quality.json"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    sets = [("fieldtest", FIELDTEST / "queries.yml", FIELDTEST / "diaries"),
            ("trainee", REPO / "benchmarks" / "queries_trainee.yml", REPO / "diaries")]
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        for name, qfile, diaries in sets:
            root = project(Path(tmp) / name, diaries)
            settings = Settings(root / "diaries", root / ".cache" / "diary")
            corpus, _ = load_corpus(settings)
            queries = yaml.safe_load(qfile.read_text(encoding="utf-8"))
            results.append(evaluate(name, queries, corpus, root, page, settings))
        browser.close()
    report = {"machine": machine(), "sets": results}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"machine: {report['machine']}")
    print("| set | system | top-5 passes | junk | noise | median ms |")
    print("|---|---|---|---|---|---|")
    for r in results:
        for s, v in r["summary"].items():
            print(f"| {r['set']} | {s} | {v['passed']}/{v['queries']} | {v['junk']} | {v['noise']} "
                  f"| {v['median_ms']} |")
    for r in results:
        print(f"{r['set']}: identical top 5 cli/browser {r['identical_top5_cli_browser']}; "
              f"baseline passes we miss: {r['baseline_passes_we_miss']}")
        for s in ("baseline", "cli", "browser"):
            misses = [x["query"] for x in r["rows"][s] if not x["pass"]]
            print(f"  {s} misses: {misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
