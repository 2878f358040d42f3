"""Cost of the related-cases step (issue #12 item 1) on a generated corpus: `python bench_related.py CORPUS…`.

Loads each corpus once (load_corpus, as the build does), then times `related_for` — the index terms (memoised by
the analyzer, so the static index that follows in a build reuses them) and the similarity product — and prints how
many related entries each entry got. Appends to results/related.jsonl. Not a test: numbers for benchmarks/README.md.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from site_builder.build_cache import BuildCache
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
from site_builder.search.postings import doc_terms
from site_builder.structure.related import related_cases, related_for

HERE = Path(__file__).parent


def main(corpora: list[str]) -> None:
    for folder in corpora:
        root = Path(folder).resolve()
        settings = Settings(root / "diaries", root / ".cache" / "diary")
        t0 = time.perf_counter()
        cache = BuildCache()  # as the plugin: one analyzer for the load, the terms and related_for
        corpus, _ = load_corpus(settings, cache=cache)
        t1 = time.perf_counter()
        analyzer = cache.analyzer(corpus.taxonomy, settings)
        terms = [{t: float(w) for t, w in d.weights.items()} for d in doc_terms(corpus.entries, analyzer)]
        t2 = time.perf_counter()
        related_cases(corpus, terms)
        t3 = time.perf_counter()
        found = related_for(corpus, settings, analyzer)  # what the plugin calls: terms again (memoised) + product
        t4 = time.perf_counter()
        row = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "corpus": root.name, "entries": len(corpus.entries),
               "load_corpus_s": round(t1 - t0, 2), "terms_s": round(t2 - t1, 2), "similarity_s": round(t3 - t2, 2),
               "related_for_s": round(t4 - t3, 2),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               "related_per_entry": dict(sorted(Counter(len(v) for v in found.values()).items()))}
        print(json.dumps(row, ensure_ascii=False))
        with (HERE / "results" / "related.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
