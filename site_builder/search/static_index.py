"""The browser's index: small script files loaded on demand, so a query fetches only what it needs.

Layout under site/search-data/ (every file is a script calling __diaryPut(key, data), so it loads from file:// too):
  config.js      synonym groups, filler, topics, communities, years, the list of vocabulary shards
  fold.js        the Traditional→Simplified table (pairs), the same one Python uses
  v/<hex>.js     vocabulary shard: every index word starting with one character → [df, postings | file number]
  p/<hex>-<n>.js postings of a word too large to sit in its shard
  d/<n>.js       entries n*BLOCK … : url, title, date, community, topics, text (for snippets in its own script)
  facets.js      topic and community of every entry, loaded only when filtering
Postings: per entry a varint doc-id delta and a 5-bit weight, in a 64-character alphabet without digits
(see diary-search.js).
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

from ..model import Corpus, Settings
from ..paths import entry_url
from ..text.analyzer import get_analyzer
from ..text.fold import fold_table
from .postings import DocTerms, doc_terms, plain_text

# no digits: encoded postings must never look like a phone or ID number to the leak check of the built site
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.~!*()$+;:"
BLOCK = 16  # entries per doc file: a result page touches few files, each small
INLINE_LIMIT = 1500  # postings longer than this (characters) get their own file
TEXT_LIMIT = 1200  # characters of body text kept for snippets


def varint(n: int) -> str:
    out = []
    while True:
        chunk, n = n & 31, n >> 5
        out.append(ALPHABET[chunk | (32 if n else 0)])
        if not n:
            return "".join(out)


def encode_postings(postings: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for doc, weight in postings:
        out.append(varint(doc - last) + ALPHABET[weight])
        last = doc
    return "".join(out)


def encode_ids(ids: list[int]) -> str:
    out, last = [], 0
    for doc in ids:
        out.append(varint(doc - last))
        last = doc
    return "".join(out)


def _put(path: Path, key: str, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"__diaryPut({json.dumps(key)},{payload});\n", encoding="utf-8")


def build_postings(docs: list[DocTerms]) -> dict[str, list[tuple[int, int]]]:
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d in docs:
        for term, weight in d.weights.items():
            postings[term].append((d.doc, weight))
    return postings


def write_static_index(corpus: Corpus, settings: Settings, out: Path, *, directory_urls: bool = False) -> None:
    analyzer = get_analyzer(corpus.taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
    entries = corpus.entries
    postings = build_postings(doc_terms(entries, analyzer))
    if out.exists():
        shutil.rmtree(out)
    shards: dict[str, dict[str, list[object]]] = defaultdict(dict)
    external: dict[str, int] = defaultdict(int)  # files of large postings written per shard so far
    for term in sorted(postings):
        encoded = encode_postings(postings[term])
        shard = f"{ord(term[0]):x}"
        if len(encoded) > INLINE_LIMIT:
            n = external[shard]
            external[shard] += 1
            _put(out / "p" / f"{shard}-{n}.js", f"p/{shard}-{n}", encoded)
            shards[shard][term] = [len(postings[term]), n]
        else:
            shards[shard][term] = [len(postings[term]), encoded]
    for shard, terms in shards.items():
        _put(out / "v" / f"{shard}.js", f"v/{shard}", terms)

    communities = list(corpus.communities())
    topics = corpus.taxonomy.topics
    for start in range(0, len(entries), BLOCK):
        block = []
        for e in entries[start:start + BLOCK]:
            block.append([entry_url(e.id, directory_urls), e.title, e.date.isoformat(),
                          communities.index(e.community) if e.community else -1, ",".join(e.all_topics),
                          plain_text(e.body)[:TEXT_LIMIT]])
        _put(out / "d" / f"{start // BLOCK}.js", f"d/{start // BLOCK}", block)

    years: dict[int, list[int]] = {}
    for i, e in enumerate(entries):
        years.setdefault(e.year, [i, i])[1] = i
    _put(out / "facets.js", "facets", {
        "topics": {t.slug: encode_ids([i for i, e in enumerate(entries) if t.slug in e.all_topics]) for t in topics},
        "community": [communities.index(e.community) if e.community else -1 for e in entries],
    })
    _put(out / "fold.js", "fold", "".join(k + v for k, v in fold_table().items()))
    _put(out / "config.js", "config", {
        "version": analyzer.version, "n": len(entries), "block": BLOCK,
        "shards": "".join(chr(int(s, 16)) for s in sorted(shards)),
        "groups": analyzer.vocabulary.groups, "filler": analyzer.vocabulary.filler,
        "topics": [[t.slug, t.name] for t in topics], "communities": communities,
        "questions": [q for t in topics for q in t.questions[:1]],
        "years": [[y, a, b] for y, (a, b) in sorted(years.items())],
    })
