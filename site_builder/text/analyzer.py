"""The analyzer every search side shares: built once from diaries/userdict.txt and diaries/topics.yml."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import workers
from ..model import Taxonomy
from .fold import fold, normalize_width
from .query import ParsedQuery, QueryVocabulary, parse_query
from .segment import Segmenter, noun_characters, read_userdict

# Bump when the way text becomes index terms changes; indexes built by another version are rebuilt.
ANALYZER_VERSION = 3


class Analyzer:
    def __init__(self, taxonomy: Taxonomy, userdict: Path, cache_dir: Path) -> None:
        self.vocabulary = QueryVocabulary.build(
            taxonomy.synonyms, taxonomy.filler,
            # a topic counts for a concept it names (name, aliases), not for each of its tagging keywords: those are
            # broad (路灯 is a keyword of 维修), and every repair entry matching 路灯 would bury the 路灯 entries
            ((t.slug, (t.name, *t.aliases, *t.traditional)) for t in taxonomy.topics),
            noun_characters())
        words = set(read_userdict(userdict))
        for topic in taxonomy.topics:
            words.update((topic.name, *topic.aliases, *topic.keywords))
        for method in taxonomy.methods:
            words.add(method.name)
        for term in taxonomy.glossary:
            words.update((term.term, *term.aliases))
        for group in self.vocabulary.groups:
            words.update(group)
        self.segmenter = Segmenter((_folded(w).lower() for w in words), cache_dir / "jieba")
        tables = repr((self.vocabulary.groups, self.vocabulary.filler, self.vocabulary.topic_words,
                       self.vocabulary.nouns)).encode()
        tables_hash = hashlib.sha1(tables, usedforsecurity=False).hexdigest()[:8]
        self.version = f"{ANALYZER_VERSION}-{self.segmenter.version}-{tables_hash}"
        # Segmentation is the costly step of a build; `mkdocs serve` rebuilds after every save with the same
        # Analyzer (see build_cache.BuildCache.analyzer), so each text is segmented once per dictionary, not once
        # per rebuild.
        # The memo holds every entry's terms for the whole build: interned, the same word is one string object
        # however often it occurs (52 MB less peak memory at 20,000 entries).
        self._tokens: dict[str, list[str]] = {}
        self._words: dict[str, list[str]] = {}
        self.stored: StoredTerms | None = None  # the terms the last process kept on disk (see keep_on_disk)

    def keep_on_disk(self, cache_dir: Path) -> None:
        """Read the index terms a previous process stored under this analyzer's version, and let `save_terms`
        store this one's: `mkdocs build` and `diary search` then segment only the texts that changed."""
        self.stored = StoredTerms(cache_dir / f"{TERMS_PREFIX}{self.version}{TERMS_SUFFIX}")

    def save_terms(self) -> None:
        if self.stored is not None:
            self.stored.save(self._tokens)

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text in either script."""
        cached = self._tokens.get(text)
        if cached is None:
            terms = self.stored.take(text) if self.stored is not None else None
            if terms is None:
                terms = self.segmenter.search_tokens(_folded(text))
            cached = self._tokens[text] = [sys.intern(t) for t in terms]
        return list(cached)

    def prefetch(self, texts: Iterable[str], words_too: frozenset[str] = frozenset()) -> None:
        """Segment now, on every core (workers.py), the texts a build is about to ask `tokens` for one by one (and,
        of those in `words_too`, `words`): a cold build of thousands of entries spends most of its reading time
        here. The terms are the ones `tokens` and `words` give; texts already in the memo or stored by the last
        process are not segmented again (a stored text's keyword scores are stored too: its words are not needed)."""
        if self._tokens or workers.worker_count() < 2:
            # a server's analyzer after its first build: a save brings a few new texts, segmented as asked for
            # (listing every entry's texts to find them would cost more)
            return
        missing: list[str] = []
        for text in dict.fromkeys(texts):
            if text in self._tokens:
                continue
            stored = self.stored.take(text) if self.stored is not None else None
            if stored is not None:
                self._tokens[text] = [sys.intern(t) for t in stored]
            else:
                missing.append(text)
        if len(missing) < workers.MIN_ITEMS:
            return  # segmented as they are asked for, in this process
        self.segmenter.ready()
        segmenter = self.segmenter

        def segment(chunk: Sequence[str]) -> list[tuple[list[str], list[str] | None]]:
            out = []
            for text in chunk:
                folded = _folded(text)
                out.append((segmenter.search_tokens(folded), segmenter.words(folded) if text in words_too else None))
            return out

        for text, (terms, words) in zip(missing, workers.map_chunks(segment, missing), strict=True):
            self._tokens[text] = [sys.intern(t) for t in terms]
            if words is not None and text not in self._words:
                self._words[text] = [sys.intern(w) for w in words]

    def words(self, text: str) -> list[str]:
        """Whole words of a text in either script (what the topic tagger weighs)."""
        cached = self._words.get(text)
        if cached is None:
            words = self.segmenter.words(_folded(text))
            cached = self._words[text] = [sys.intern(w) for w in words]
        return list(cached)

    def parse(self, query: str, has_term: Callable[[str], bool]) -> ParsedQuery:
        return parse_query(query, self.vocabulary, has_term)


def _folded(text: str) -> str:
    """What the segmenter is given: full-width ASCII made half-width, Traditional made Simplified."""
    return fold(normalize_width(text))


def get_analyzer(taxonomy: Taxonomy, userdict: Path, cache_dir: Path) -> Analyzer:
    """A new Analyzer. A caller that builds more than once, or hands the analyzer on (tagging, related cases, the
    indexes), takes its BuildCache's (`build_cache.BuildCache.analyzer`): one per dictionary state, kept by the
    owner of the build, not by this module."""
    return Analyzer(taxonomy, userdict, cache_dir)


TERMS_PREFIX, TERMS_SUFFIX = "terms-", ".pickle"
TERMS_FORMAT = 1
# a run that segmented fewer new texts than this (`diary search` after a save) leaves the file as it is: rewriting
# megabytes costs more than segmenting those few texts again next time
SAVE_AFTER_NEW = 50


class _NoGlobals(pickle.Unpickler):
    """The terms file holds only dicts, str and bytes: unpickling may build no class at all, so a planted file
    cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: the terms file holds no objects")


def _stamp() -> tuple[object, ...]:
    """What stored terms depend on beyond the analyzer version: this code and the jieba that segmented them."""
    from importlib import metadata

    from ..corpus.load import code_version  # late: the same stamp as every other cache of the project

    return TERMS_FORMAT, code_version(), metadata.version("jieba")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class StoredTerms:
    """Index terms per text (by a 16-byte hash of the text) as a previous process segmented them, in
    `.cache/diary/terms-<analyzer version>.pickle`. The version names the dictionary, the synonym tables and the
    analyzer; the file also records `code_version()` and jieba's version, so terms written by other code or another
    jieba are never read. Terms are stored space-joined (a term never holds a space: jieba splits on whitespace and
    the segmenter strips tokens; a text whose terms would is not stored).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stored: dict[bytes, str] | None = None  # read on the first text asked for
        self.hits = 0

    def _read(self) -> dict[bytes, str]:
        try:
            with open(self.path, "rb") as f:
                stored = _NoGlobals(f).load()
            if not (isinstance(stored, dict) and stored.get("format") == _stamp()
                    and isinstance(stored.get("terms"), dict)):
                return {}
            terms: dict[bytes, str] = stored["terms"]
            return terms
        except FileNotFoundError:
            return {}
        except Exception as exc:  # damaged: segment again
            logging.getLogger(__name__).debug("terms file %s ignored: %r", self.path, exc)
            return {}

    def take(self, text: str) -> list[str] | None:
        """The stored terms of `text`, or None. Taken out: from then on the analyzer's memo holds them."""
        if self._stored is None:
            self._stored = self._read()
        joined = self._stored.pop(_digest(text), None)
        if joined is None:
            return None
        self.hits += 1
        return joined.split(" ") if joined else []

    def save(self, memo: dict[str, list[str]]) -> None:
        """Store the terms of this run's texts (atomically), when it segmented enough new ones to be worth it. A run
        that used most stored texts (a build) drops the rest (texts since edited); one that used few keeps them."""
        new = len(memo) - self.hits
        if new < SAVE_AFTER_NEW:
            return
        left = self._stored if self._stored is not None else self._read()
        terms = {} if len(left) < len(memo) else dict(left)
        for text, tokens in memo.items():
            if not any(" " in t for t in tokens):
                terms[_digest(text)] = " ".join(tokens)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                pickle.dump({"format": _stamp(), "terms": terms}, f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for old in self.path.parent.glob(f"{TERMS_PREFIX}*{TERMS_SUFFIX}"):
                if old != self.path:  # another analyzer version's: its texts are segmented differently
                    old.unlink(missing_ok=True)
        except OSError as exc:
            logging.getLogger(__name__).debug("terms not written to %s: %r", self.path, exc)
        finally:
            tmp.unlink(missing_ok=True)
        self.hits = len(memo)
