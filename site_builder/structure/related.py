"""Related cases: for every entry, the few other entries about the same problem (issue #12 item 1).

The text side is TF-IDF over the shared analyzer's index terms (the same terms and tf weights the search index
stores, search/postings.py), so "the same problem" means what a search would also find: 物业弃管 written in either
script, 低保 inside 低保户. Shared topics add a little on top, which breaks ties between texts that are similar in
words towards the ones a person filed under the same problem.

Entries of the same thread are left out: the entry page already lists the thread (its own section, with previous
and next), and a related list filled with the same matter teaches nothing new. At most one entry per other thread
is kept, for the same reason. Private and held-back entries are never in a Corpus, so they can never be related.

Cost: one sparse matrix product, row block by row block, for the whole corpus, once per build; only the best
candidates of each row reach Python (benchmarks/README.md, "Related cases", has the measured cost at 20,000).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Corpus, Settings

if TYPE_CHECKING:
    from ..search.postings import DocTerms
    from ..text.analyzer import Analyzer

MAX_RELATED = 5
MIN_RELATED = 3
# a candidate needs a text cosine of MIN_TEXT and a total (text + TOPIC_BONUS per shared topic) of MIN_SCORE: two
# texts that share only a word or two in passing are not related unless someone filed them under the same problem.
# On the sample diaries (475) every entry gets 3–5 (benchmarks/README.md, "Related cases")
MIN_TEXT = 0.04
MIN_SCORE = 0.09
TOPIC_BONUS = 0.05
TERMS_PER_ENTRY = 30  # an entry's strongest terms; fewer cost less but leave more entries with few related (README)
CANDIDATES = 40  # best text matches per entry handed to the re-ranking (thread and topic rules)
MAX_DF_SHARE = 0.05  # a term in more than 5 % of the entries (居民, 社区) says nothing about the problem
MIN_DF_CAP = 50  # …but a small corpus keeps its words (5 % of 475 entries is 23)
# …and a large one never counts a term in more than 1,000 entries (5 % of 20,000) as telling: without this bound
# a college's 100,000 entries keep terms found in 5,000 of them, and every row of the product grows with the corpus
MAX_DF = 1000
BLOCK_ROWS = 128  # rows per block of the similarity product (sparse; ~2,500 entries per row at 20,000)
# (512 rows of dense blocks added ~135 MB to the peak memory of a 20,000-entry build; the rows do not depend on the
# blocking)


def related_cases(corpus: Corpus, terms: Sequence[Mapping[str, float]]) -> dict[str, tuple[str, ...]]:
    """Entry id → ids of up to MAX_RELATED related entries, best first. `terms[i]` weighs corpus.entries[i]'s
    index terms (any positive weight; search.postings.doc_terms gives the search index's own)."""
    import numpy as np  # late import: only a build that renders entry pages pays for numpy and scipy
    from scipy import sparse

    entries = corpus.entries
    n = len(entries)
    if n < 2:
        return {e.id: () for e in entries}
    df: Counter[str] = Counter()
    for weights in terms:
        df.update(weights.keys())
    cap = min(max(MAX_DF_SHARE * n, MIN_DF_CAP), MAX_DF)
    idf = {t: math.log(n / c) for t, c in df.items() if 2 <= c <= cap}
    column: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for i, weights in enumerate(terms):
        scored = [(w * idf[t], t) for t, w in weights.items() if t in idf and w > 0]
        scored.sort(reverse=True)
        kept = scored[:TERMS_PER_ENTRY]
        norm = math.sqrt(sum(w * w for w, _ in kept)) or 1.0
        for w, t in kept:
            rows.append(i)
            cols.append(column.setdefault(t, len(column)))
            values.append(w / norm)
    matrix = sparse.csr_matrix((np.array(values, dtype=np.float32), (rows, cols)), shape=(n, max(len(column), 1)))
    transposed = matrix.T.tocsc()
    rules = _Rules(corpus)
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, n, BLOCK_ROWS):
        # the block stays sparse: a row holds only the entries sharing a kept term with it (~900 of 7,000), so
        # choosing the candidates costs what the row holds, not the corpus size (a dense row made it quadratic)
        block = (matrix[start:start + BLOCK_ROWS] @ transposed).tocsr()
        out.update(rules.pick(start, block))
    return out


class _Rules:
    """The re-ranking rules: not the same thread, one per other thread, shared topics count a little; an entry
    with fewer than MIN_RELATED strong matches is filled up with the closest texts filed under one of its topics.

    Applied to a whole block of rows at once, as arrays (a Python loop over every candidate took most of the time
    of this step): threads as numbers, topics as bit sets (64 topics a word), each entry's rank among the ids for
    the ties. Only the walk down each row's sorted candidates, which stops after a few, is Python."""

    def __init__(self, corpus: Corpus) -> None:
        import numpy as np

        entries = corpus.entries
        self.ids = [e.id for e in entries]
        thread_of = {e.id: k for k, t in enumerate(corpus.threads()) for e in t.entries}
        self.thread = np.array([thread_of.get(e.id, -1) for e in entries], dtype=np.int64)
        slugs = {slug: k for k, slug in enumerate(sorted({s for e in entries for s in e.all_topics}))}
        self.topics = np.zeros((len(entries), max(1, -(-len(slugs) // 64))), dtype=np.uint64)
        for i, e in enumerate(entries):
            for slug in set(e.all_topics):
                k = slugs[slug]
                self.topics[i, k // 64] |= np.uint64(1 << (k % 64))
        self.id_rank = np.empty(len(entries), dtype=np.int64)
        self.id_rank[sorted(range(len(entries)), key=self.ids.__getitem__)] = np.arange(len(entries))

    def pick(self, start: int, block: Any) -> dict[str, tuple[str, ...]]:
        """Related ids of the entries start… whose rows of text similarity `block` holds (CSR, one row each)."""
        import numpy as np

        height = block.shape[0]
        row = np.repeat(np.arange(start, start + height), np.diff(block.indptr))  # the entry each value is of
        other, text32 = block.indices.astype(np.int64), block.data
        keep = other != row
        # each row's CANDIDATES best texts, and every text as close as the last of them: which of several equal
        # scores made the cut would otherwise depend on the order the product happens to list them in
        count = np.bincount(row[keep] - start, minlength=height)
        floor = np.full(height, -np.inf, dtype=np.float32)
        ranked = np.where(keep, -text32, np.inf)  # the entry itself last
        for offset in np.flatnonzero(count > CANDIDATES).tolist():
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            floor[offset] = -np.partition(ranked[lo:hi], CANDIDATES - 1)[CANDIDATES - 1]
        keep &= text32 >= floor[row - start]
        row, other, text32 = row[keep], other[keep], text32[keep]
        text = text32.astype(np.float64)  # the float32 product's values, summed and compared in double
        thread = self.thread[row]
        keep = (text > 0) & ((thread < 0) | (self.thread[other] != thread))
        shared = np.bitwise_count(self.topics[other] & self.topics[row]).sum(axis=1)
        score = text + TOPIC_BONUS * shared
        strong = (text >= MIN_TEXT) & (score >= MIN_SCORE)
        keep &= strong | (shared > 0)
        row, other, score, strong = row[keep], other[keep], score[keep], strong[keep]
        # per row: the strong ones first, each group by score, then by id
        order = np.lexsort((self.id_rank[other], -score, ~strong, row))
        row, other, strong = row[order], other[order], strong[order]
        bounds = np.searchsorted(row, np.arange(start, start + height + 1)).tolist()
        strong_count = np.bincount(row[strong] - start, minlength=height).tolist()
        others, threads = other.tolist(), self.thread[other].tolist()
        out: dict[str, tuple[str, ...]] = {}
        for offset in range(height):
            picked: list[str] = []
            threads_used: set[int] = set()
            lo, hi = bounds[offset], bounds[offset + 1]
            middle = lo + strong_count[offset]
            for first, last, limit in ((lo, middle, MAX_RELATED), (middle, hi, MIN_RELATED)):
                for k in range(first, last):
                    if len(picked) >= limit:
                        break
                    if threads[k] >= 0:
                        if threads[k] in threads_used:
                            continue
                        threads_used.add(threads[k])
                    picked.append(self.ids[others[k]])
            out[self.ids[start + offset]] = tuple(picked)
        return out


def related_for(corpus: Corpus, settings: Settings, analyzer: Analyzer | None = None, *,
                store: bool = False, terms: Sequence[DocTerms] | None = None) -> dict[str, tuple[str, ...]]:
    """related_cases over the search index's own terms: `terms` when the caller has them already (the plugin
    weighs each entry once for this and the browser index), else weighed with `analyzer` (whose memo holds the
    tagger's segmentation).

    `store` (`mkdocs build`): the result is also kept in the cache folder under a hash of everything it reads, so
    the next build of unchanged diaries reads it back instead of multiplying the matrix.
    """
    if len(corpus.entries) < 2:
        return {e.id: () for e in corpus.entries}
    from ..search.postings import doc_terms
    from ..text.analyzer import get_analyzer

    if analyzer is None:
        analyzer = get_analyzer(corpus.taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
    key = related_key(corpus, analyzer.version) if store else ""
    if store:
        found = _load(settings.cache_dir, key)
        if found is not None:
            return found
    if terms is None:
        terms = doc_terms(corpus.entries, analyzer)
    out = related_cases(corpus, [{t: float(w) for t, w in d.weights.items()} for d in terms])
    if store:
        _save(settings.cache_dir, key, out)
    return out


STORE_FORMAT = 1
STORE_PREFIX, STORE_SUFFIX = "related-", ".json"


def related_key(corpus: Corpus, analyzer_version: str) -> str:
    """A hash of what related_cases reads: every entry in order with what its index terms come from
    (postings.entry_weights: title, body, case, topic words, topics), its thread, the analyzer, the code and the
    libraries that segment and multiply."""
    from importlib import metadata

    from ..corpus.load import code_version  # late: corpus.load reaches structure only through the plugin

    thread_of = {e.id: t.id for t in corpus.threads() for e in t.entries}
    versions = [STORE_FORMAT, code_version(), analyzer_version, metadata.version("jieba"), metadata.version("numpy"),
                metadata.version("scipy")]
    h = hashlib.sha256(json.dumps(versions).encode())
    for e in corpus.entries:
        h.update(json.dumps([e.id, e.title, e.body, e.case, list(e.topic_words), list(e.all_topics),
                             thread_of.get(e.id)], ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _load(cache_dir: Path, key: str) -> dict[str, tuple[str, ...]] | None:
    try:
        stored = json.loads((cache_dir / f"{STORE_PREFIX}{key}{STORE_SUFFIX}").read_text(encoding="utf-8"))
        if stored.get("format") != STORE_FORMAT or stored.get("key") != key:
            return None
        return {str(i): tuple(str(j) for j in ids) for i, ids in stored["related"].items()}
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged: computed again
        logging.getLogger(__name__).debug("related cases of %s ignored: %r", key, exc)
        return None


def _save(cache_dir: Path, key: str, related: dict[str, tuple[str, ...]]) -> None:
    """Atomically, one file (the last build's); a folder that cannot be written only costs the next build."""
    target = cache_dir / f"{STORE_PREFIX}{key}{STORE_SUFFIX}"
    tmp = cache_dir / f".{target.name}.{os.getpid()}.tmp"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"format": STORE_FORMAT, "key": key, "related": related}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, target)
        for old in cache_dir.glob(f"{STORE_PREFIX}*{STORE_SUFFIX}"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:
        logging.getLogger(__name__).debug("related cases not written to %s: %r", cache_dir, exc)
    finally:
        tmp.unlink(missing_ok=True)
