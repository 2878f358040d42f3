"""The browser's index: small script files loaded on demand, so a query fetches only what it needs.

Layout under site/search-data/ (every file is a script calling __diaryPut(key, data), so it loads from file:// too):
  config.js      everything the browser's engine and UI need that Python decides: synonym groups, filler, topic
                 words, weights and constants of the ranking (search/scoring.py), the postings alphabet, the row
                 columns, URL patterns (honouring use_directory_urls), the messages; topics, communities, years,
                 the list of vocabulary shards
  fold.js        the Traditional→Simplified table (pairs), the same one Python uses
  v/<hex>.js     vocabulary shard: every index word starting with one character → [df, postings | file number]
  p/<hex>-<n>.js postings of a word too large to sit in its shard
  d/<n>.js       entries n*BLOCK … : one row per entry, columns ROW_COLUMNS (text is for snippets in its own script)
  facets.js      topic and community of every entry, loaded only when filtering
Postings: per entry a varint doc-id delta and a 5-bit weight, in a 64-character alphabet without digits
(see diary-search.js).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .. import paths
from ..model import Corpus, Settings
from ..paths import entry_url
from ..text import query
from ..text.analyzer import Analyzer, get_analyzer
from ..text.fold import fold_table
from .postings import TEXT_LIMIT, DocTerms, doc_terms, plain_text
from .scoring import IDF_SCALE

# no digits: encoded postings must never look like a phone or ID number to the leak check of the built site
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.~!*()$+;:"
BLOCK = 16  # entries per doc file: a result page touches few files, each small
INLINE_LIMIT = 1500  # postings longer than this (characters) get their own file
ROW_COLUMNS = ("url", "title", "date", "community", "topics", "text")
# Shown above the entries that have only some of the query's concepts (browser and `diary search`).
PARTIAL_LINE = "以下是部分相关的日记"
LOAD_ERROR = "搜索数据没有加载完整（{key}）：请刷新页面再试；如果一直这样，请告诉网站维护人重新生成网站。"


def page_url(src: str, directory_urls: bool) -> str:
    """Site-relative URL of a generated page (`topics/x.md`), as MkDocs writes it."""
    stem = src.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def browser_config(directory_urls: bool) -> dict[str, object]:
    """The constants of the browser's contract, all from the Python that defines them."""
    return {
        "alphabet": ALPHABET, "chunk": query.CHUNK_PATTERN, "maxTerm": query.MAX_TERM, "idfScale": IDF_SCALE,
        "topicPrefix": query.TOPIC_PREFIX, "rowColumns": list(ROW_COLUMNS),
        "weights": {"typed": query.TYPED_WEIGHT, "synonym": query.SYNONYM_WEIGHT, "topic": query.TOPIC_WEIGHT},
        "urls": {"topic": page_url(paths.topic("{slug}"), directory_urls),
                 "topics": page_url(paths.TOPICS, directory_urls),
                 "search": page_url(paths.SEARCH, directory_urls)},
        "messages": {"partial": PARTIAL_LINE, "loadError": LOAD_ERROR},
    }


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


class _Writer:
    """Writes the index files, skipping those whose bytes are already on disk (a `mkdocs serve` rebuild after one
    save changes a handful of the thousands of files), and removes files the new index no longer has."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.kept: set[Path] = set()

    def put(self, rel: str, data: object) -> None:
        path = self.out / f"{rel}.js"
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        text = f"__diaryPut({json.dumps(rel)},{payload});\n".encode()
        self.kept.add(path)
        try:
            if path.read_bytes() == text:
                return
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)

    def remove_stale(self) -> None:
        for path in self.out.rglob("*.js"):
            if path not in self.kept:
                path.unlink()


def build_postings(docs: list[DocTerms]) -> dict[str, list[tuple[int, int]]]:
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d in docs:
        for term, weight in d.weights.items():
            postings[term].append((d.doc, weight))
    return postings


def write_static_index(corpus: Corpus, settings: Settings, out: Path, *, directory_urls: bool = False,
                       analyzer: Analyzer | None = None, terms: list[DocTerms] | None = None,
                       encoded: dict[str, tuple[list[tuple[int, int]], str]] | None = None) -> None:
    """`analyzer`: the build cache's, whose memo already holds every entry's segmentation (else a new one);
    `terms`: the entries' index terms when the caller has weighed them already (the plugin, for related cases);
    `encoded`: a server's memo of each term's postings as last encoded (a save changes the postings of a few terms;
    encoding all of them again was a tenth of a rebuild), left holding this build's."""
    if analyzer is None:
        analyzer = get_analyzer(corpus.taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
    entries = corpus.entries
    postings = build_postings(terms if terms is not None else doc_terms(entries, analyzer))
    w = _Writer(out)
    shards: dict[str, dict[str, list[object]]] = defaultdict(dict)
    external: dict[str, int] = defaultdict(int)  # files of large postings written per shard so far
    known = encoded if encoded is not None else {}
    current: dict[str, tuple[list[tuple[int, int]], str]] = {}
    for term in sorted(postings):
        last = known.get(term)
        encoded_now = last[1] if last is not None and last[0] == postings[term] else encode_postings(postings[term])
        if encoded is not None:
            current[term] = (postings[term], encoded_now)
        shard = f"{ord(term[0]):x}"
        if len(encoded_now) > INLINE_LIMIT:
            n = external[shard]
            external[shard] += 1
            w.put(f"p/{shard}-{n}", encoded_now)
            shards[shard][term] = [len(postings[term]), n]
        else:
            shards[shard][term] = [len(postings[term]), encoded_now]
    for shard, vocabulary in shards.items():
        w.put(f"v/{shard}", vocabulary)
    if encoded is not None:
        encoded.clear()
        encoded.update(current)

    communities = list(corpus.communities())
    community = [corpus.community_index(e) for e in entries]
    topics = corpus.taxonomy.topics
    for start in range(0, len(entries), BLOCK):
        block = [[entry_url(e.id, directory_urls), e.title, e.date.isoformat(), community[i], ",".join(e.all_topics),
                  plain_text(e.body)[:TEXT_LIMIT]] for i, e in enumerate(entries[start:start + BLOCK], start)]
        w.put(f"d/{start // BLOCK}", block)

    years: dict[int, list[int]] = {}
    for i, e in enumerate(entries):
        years.setdefault(e.year, [i, i])[1] = i
    with_topic: dict[str, list[int]] = {t.slug: [] for t in topics}
    for i, e in enumerate(entries):
        for slug in dict.fromkeys(e.all_topics):
            if slug in with_topic:
                with_topic[slug].append(i)
    w.put("facets", {
        "topics": {slug: encode_ids(ids) for slug, ids in with_topic.items()},
        "community": community,
    })
    w.put("fold", "".join(k + v for k, v in fold_table().items()))
    w.put("config", {
        **browser_config(directory_urls),
        "version": analyzer.version, "n": len(entries), "block": BLOCK,
        "shards": "".join(chr(int(s, 16)) for s in sorted(shards)),
        "groups": analyzer.vocabulary.groups, "filler": analyzer.vocabulary.filler,
        "topicWords": analyzer.vocabulary.topic_words,
        # only the nouns some entry has: the parser takes a character as a term only if it is in the index anyway
        "nouns": "".join(c for c in analyzer.vocabulary.nouns if c in postings),
        "topics": [[t.slug, t.name] for t in topics], "communities": communities,
        "questions": [q for t in topics for q in t.questions[:1]],
        "years": [[y, a, b] for y, (a, b) in sorted(years.items())],
    })
    w.remove_stale()
