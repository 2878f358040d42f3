"""The analyzer every search side shares: built once from diaries/userdict.txt and diaries/topics.yml."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

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
        self.segmenter = Segmenter((fold(normalize_width(w)).lower() for w in words), cache_dir / "jieba")
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

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text in either script."""
        cached = self._tokens.get(text)
        if cached is None:
            terms = self.segmenter.search_tokens(fold(normalize_width(text)))
            cached = self._tokens[text] = [sys.intern(t) for t in terms]
        return list(cached)

    def words(self, text: str) -> list[str]:
        """Whole words of a text in either script (what the topic tagger weighs)."""
        cached = self._words.get(text)
        if cached is None:
            words = self.segmenter.words(fold(normalize_width(text)))
            cached = self._words[text] = [sys.intern(w) for w in words]
        return list(cached)

    def parse(self, query: str, has_term: Callable[[str], bool]) -> ParsedQuery:
        return parse_query(query, self.vocabulary, has_term)


def get_analyzer(taxonomy: Taxonomy, userdict: Path, cache_dir: Path) -> Analyzer:
    """A new Analyzer. A caller that builds more than once, or hands the analyzer on (tagging, related cases, the
    indexes), takes its BuildCache's (`build_cache.BuildCache.analyzer`): one per dictionary state, kept by the
    owner of the build, not by this module."""
    return Analyzer(taxonomy, userdict, cache_dir)
