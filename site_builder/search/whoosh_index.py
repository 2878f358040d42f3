"""The Whoosh index behind `diary search`: same analyzer and same terms as the browser index.

Kept in the project cache under a folder named after the analyzer version, so a change of the dictionary, the
synonyms or the analyzer itself builds a fresh index instead of mixing old and new terms. Updates are incremental by
content hash. Whoosh commits by writing segment files first and the table of contents last, and its write lock is
released by the OS when a process dies, so a killed run leaves the previous index readable and the next run can
write; a second writer (a concurrent `mkdocs serve`) waits for the lock instead of failing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from ..model import Corpus, Entry, Settings
from ..paths import entry_url
from ..text.analyzer import Analyzer, get_analyzer
from ..text.query import ParsedQuery
from .postings import TEXT_LIMIT, entry_weights, plain_text
from .scoring import rank
from .snippet import snippet

LOCK_TIMEOUT = 60.0
SOURCES_FILE = "sources.txt"


def schema() -> Schema:
    # `terms` holds the shared analyzer's index terms (postings.entry_weights), each repeated as often as its level,
    # so Whoosh's term frequency *is* the level the browser index stores: Whoosh keeps postings, scoring.py ranks.
    # Space-separated because the analyzer (jieba, locks) is not something Whoosh can pickle into its TOC.
    return Schema(id=ID(stored=True, unique=True), hash=ID(stored=True), order=ID(stored=True, sortable=True),
                  terms=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
                  topics=KEYWORD(commas=True, stored=True), year=ID(stored=True), community=ID(stored=True),
                  title_text=STORED, date=STORED, url=STORED, text=STORED)


def content_hash(e: Entry) -> str:
    data = repr((e.date, e.title, e.body, e.all_topics, e.community, e.case, e.topic_words)).encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def order_key(e: Entry) -> str:
    """Sorts as the corpus does (date, then id): the browser's doc numbers follow that order, ties go to the later."""
    return f"{e.date.isoformat()}\t{e.id}"


@dataclass(frozen=True)
class Hit:
    id: str
    url: str
    title: str
    date: str
    score: int
    snippet: str
    marks: tuple[tuple[int, int], ...]  # highlight offsets inside `snippet`
    full: bool  # has every required concept of the query


@dataclass(frozen=True)
class SearchOutcome:
    parsed: ParsedQuery
    hits: tuple[Hit, ...]  # full matches first, then partial ones (scoring.rank's order)
    total: int  # full matches
    partial: int  # entries with only some of the query's concepts


class DiaryIndex:
    def __init__(self, settings: Settings, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.dir = settings.cache_dir / f"whoosh-{analyzer.version}"
        self.settings = settings

    @classmethod
    def for_corpus(cls, corpus: Corpus, settings: Settings, analyzer: Analyzer | None = None) -> DiaryIndex:
        if analyzer is None:
            analyzer = get_analyzer(corpus.taxonomy, settings.diaries_dir / "userdict.txt", settings.cache_dir)
        return cls(settings, analyzer)

    def open(self) -> Any:
        self.dir.mkdir(parents=True, exist_ok=True)
        if windex.exists_in(str(self.dir)):
            return windex.open_dir(str(self.dir))
        return windex.create_in(str(self.dir), schema())

    def is_current(self, fingerprint: str) -> bool:
        """True when the index was last updated from exactly these sources (see corpus.sources_fingerprint)."""
        try:
            return (self.dir / SOURCES_FILE).read_text(encoding="utf-8") == fingerprint
        except OSError:
            return False

    def update(self, corpus: Corpus, *, directory_urls: bool = False, fingerprint: str = "") -> tuple[int, int]:
        """Bring the index in line with the corpus; returns (added or changed, removed)."""
        result = self._update(corpus, directory_urls)
        if fingerprint:
            tmp = self.dir / f".{SOURCES_FILE}.{os.getpid()}"
            tmp.write_text(fingerprint, encoding="utf-8")
            os.replace(tmp, self.dir / SOURCES_FILE)  # written after the commit: a killed run is never "current"
        return result

    def _update(self, corpus: Corpus, directory_urls: bool) -> tuple[int, int]:
        self._drop_stale_versions()
        ix = self.open()
        with ix.searcher() as s:
            stored = {f["id"]: f["hash"] for f in s.all_stored_fields()}
        wanted = {e.id: (e, content_hash(e)) for e in corpus.entries}
        changed = [e for i, (e, h) in wanted.items() if stored.get(i) != h]
        removed = [i for i in stored if i not in wanted]
        if not changed and not removed:
            return 0, 0
        writer = ix.writer(timeout=LOCK_TIMEOUT)
        try:
            for i in removed:
                writer.delete_by_term("id", i)
            for e in changed:
                body = plain_text(e.body)
                terms = " ".join(" ".join([t] * level) for t, level in entry_weights(e, self.analyzer).items())
                writer.update_document(id=e.id, hash=wanted[e.id][1], order=order_key(e), terms=terms,
                                       title_text=e.title,
                                       topics=",".join(e.all_topics), year=str(e.year), community=e.community,
                                       date=e.date.isoformat(), url=entry_url(e.id, directory_urls),
                                       text=body[:TEXT_LIMIT])
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return len(changed), len(removed)

    def _drop_stale_versions(self) -> None:
        for old in self.settings.cache_dir.glob("whoosh-*"):
            if old != self.dir and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)

    def search(self, text: str, *, topic: str = "", year: int | None = None, limit: int = 10) -> SearchOutcome:
        ix = self.open()
        with ix.searcher() as s:
            reader = s.reader()

            def has_term(term: str) -> bool:
                return ("terms", term) in reader

            parsed = self.analyzer.parse(text, has_term)
            cache: dict[str, dict[int, int] | None] = {}

            def postings_of(term: str) -> dict[int, int] | None:
                if term not in cache:
                    found: dict[int, int] = {}
                    if has_term(term):
                        m = reader.postings("terms", term)  # live documents only: deleted ones are filtered out
                        while m.is_active():
                            found[m.id()] = int(m.weight())
                            m.next()
                    cache[term] = found or None
                return cache[term]

            orders = reader.column_reader("order")
            # ranked over every entry, filtered afterwards: the browser does the same, so idf and order agree
            ranked = rank(parsed, postings_of, reader.doc_count(), order=lambda doc: orders[doc])
            if topic or year:
                filters = ([wq.Term("topics", topic)] if topic else []) + ([wq.Term("year", str(year))] if year else [])
                allowed = set(s.docs_for_query(wq.And(filters)))
                ranked = [r for r in ranked if r.doc in allowed]
            need = len(parsed.required)
            full = sum(1 for r in ranked if r.covered == need)
            terms = [a.term for c in parsed.concepts for a in c.alternatives if has_term(a.term)]
            hits = []
            for r in ranked[:limit]:
                f = s.stored_fields(r.doc)
                snip = snippet(f["text"], terms, before="\x00", after="\x01")
                hits.append(Hit(f["id"], f["url"], f["title_text"], f["date"], r.score, *_marks(snip),
                                full=r.covered == need))
            return SearchOutcome(parsed, tuple(hits), full, len(ranked) - full)


def _marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Split a snippet with \\x00…\\x01 markers into plain text and highlight offsets."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    start = 0
    for ch in marked:
        if ch == "\x00":
            start = len(out)
        elif ch == "\x01":
            marks.append((start, len(out)))
        else:
            out.append(ch)
    return "".join(out), tuple(marks)
