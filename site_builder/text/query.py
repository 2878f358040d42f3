"""Query parsing: how a trainee's question becomes concepts to match.

"马葫芦堵了咋整" → fold to Simplified → drop filler (了, 咋整) → 马葫芦 is a declared synonym of 下水堵, so that concept
matches any word of the group → 堵 is a single character, kept only as an optional booster.
A concept also matches through a topic: when one of its words is a topic's name, alias or keyword, the topic tag
"#slug" is one more alternative (an entry tagged with that topic has the concept even in other words).
The words inside one concept are alternatives; how concepts combine is search/scoring.py's rule (an entry needs one,
entries with more come first). The browser (assets/diary-search-engine.js, `parseQuery`) implements the same steps
with the same tables (written into its config by static_index.py), and a test runs both on the same queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .fold import fold, normalize_width

MAX_TERM = 12  # longest index word the parser tries to match at one position
# Weights are integer percentages so both implementations score in exact integer arithmetic (search/scoring.py).
TYPED_WEIGHT = 100
SYNONYM_WEIGHT = 70  # a synonym counts, but less than the word the trainee typed
TOPIC_WEIGHT = 40  # the entry is tagged with a topic that names the word: it counts, below any word in the text
TOPIC_PREFIX = "#"  # index term of a topic tag: "#" + slug (no query can type it: the parser drops "#")

CHUNK_PATTERN = "[\u3400-\u9fffa-z0-9]+"  # a run of characters a query word can be made of (browser: same source)
_CHUNK = re.compile(CHUNK_PATTERN)


@dataclass(frozen=True)
class Alternative:
    term: str
    weight: int


@dataclass(frozen=True)
class Concept:
    label: str  # the words as typed (folded)
    alternatives: tuple[Alternative, ...]
    required: bool  # single characters only boost; words must match

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(a.term for a in self.alternatives)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    concepts: tuple[Concept, ...]
    dropped: tuple[str, ...]  # filler words removed, shown back to the user

    @property
    def required(self) -> tuple[Concept, ...]:
        req = tuple(c for c in self.concepts if c.required)
        return req or self.concepts  # a query of single characters still has to match them

    @property
    def optional(self) -> tuple[Concept, ...]:
        req = self.required
        return tuple(c for c in self.concepts if c not in req)


@dataclass(frozen=True)
class QueryVocabulary:
    """The query-side tables, built once from the taxonomy (and exported unchanged to the browser)."""

    groups: tuple[tuple[str, ...], ...]  # synonym groups, canonical first, folded
    filler: tuple[str, ...]  # folded, longest first
    topic_words: tuple[tuple[str, tuple[str, ...]], ...] = ()  # folded word → slugs of topics it names, sorted

    @classmethod
    def build(cls, synonyms: Iterable[tuple[str, Sequence[str]]], filler: Iterable[str],
              topics: Iterable[tuple[str, Iterable[str]]] = ()) -> QueryVocabulary:
        """`topics`: (slug, its name, aliases and keywords) in taxonomy order."""
        groups = []
        for canonical, variants in synonyms:
            members = [prepare(canonical)] + [prepare(v) for v in variants]
            groups.append(tuple(dict.fromkeys(m for m in members if m)))
        fill = sorted({prepare(f) for f in filler if prepare(f)}, key=lambda w: (-len(w), w))
        named: dict[str, list[str]] = {}
        for slug, words in topics:
            for w in words:
                w = prepare(w)
                if len(w) > 1 and slug not in named.setdefault(w, []):
                    named[w].append(slug)
        return cls(tuple(groups), tuple(fill), tuple((w, tuple(s)) for w, s in sorted(named.items())))

    def phrase_index(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for i, group in enumerate(self.groups):
            for member in group:
                index.setdefault(member, i)  # a phrase in two groups belongs to the first one declared
        return index


def prepare(text: str) -> str:
    """The normal form every side compares: NFKC width, lower case, Simplified."""
    return fold(normalize_width(text).lower()).strip()


def parse_query(text: str, vocab: QueryVocabulary, has_term: Callable[[str], bool]) -> ParsedQuery:
    """Split a question into concepts. `has_term` says whether a word exists in the index being searched."""
    phrases = vocab.phrase_index()
    topic_words = dict(vocab.topic_words)
    longest_phrase = max((len(p) for p in phrases), default=0)
    fillers = set(vocab.filler)
    longest_filler = max((len(f) for f in fillers), default=0)
    concepts: list[Concept] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for chunk in _CHUNK.findall(prepare(text)):
        i = 0
        while i < len(chunk):
            phrase = _longest(chunk, i, longest_phrase, lambda s: s in phrases)
            filler = _longest(chunk, i, longest_filler, lambda s: s in fillers)
            term = _longest(chunk, i, MAX_TERM, has_term)
            best = max(len(phrase), len(filler), len(term))
            if best == 0:
                i += 1  # a character no entry contains: it cannot narrow anything down
                continue
            if len(phrase) == best:
                group = vocab.groups[phrases[phrase]]
                alts = tuple(Alternative(m, TYPED_WEIGHT if m == phrase else SYNONYM_WEIGHT) for m in group)
                concept = Concept(phrase, alts + _topic_alternatives(group, topic_words), True)
            elif len(filler) == best:
                dropped.append(filler)
                i += best
                continue
            else:
                required = len(term) > 1
                topics = _topic_alternatives((term,), topic_words) if required else ()
                concept = Concept(term, (Alternative(term, TYPED_WEIGHT), *topics), required)
            if concept.label not in seen:
                seen.add(concept.label)
                concepts.append(concept)
            i += best
    return ParsedQuery(text, tuple(concepts), tuple(dropped))


def _topic_alternatives(words: Sequence[str], topic_words: dict[str, tuple[str, ...]]) -> tuple[Alternative, ...]:
    slugs = dict.fromkeys(s for w in words for s in topic_words.get(w, ()))
    return tuple(Alternative(TOPIC_PREFIX + s, TOPIC_WEIGHT) for s in slugs)


def _longest(chunk: str, start: int, limit: int, accept: Callable[[str], bool]) -> str:
    for end in range(min(len(chunk), start + limit), start, -1):
        if accept(chunk[start:end]):
            return chunk[start:end]
    return ""
