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
    required: bool  # words and single-character nouns must match; other single characters only boost
    unknown: bool = False  # characters that form no word of the index: a concept no entry can cover

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
    def missing(self) -> tuple[str, ...]:
        """What was typed that no entry has, shown back to the user."""
        return tuple(c.label for c in self.concepts if c.unknown)

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
    nouns: tuple[str, ...] = ()  # single characters that are a concept on their own (segment.noun_characters)

    @classmethod
    def build(cls, synonyms: Iterable[tuple[str, Sequence[str]]], filler: Iterable[str],
              topics: Iterable[tuple[str, Iterable[str]]] = (), nouns: Iterable[str] = ()) -> QueryVocabulary:
        """`topics`: (slug, the words that name it: name and aliases) in taxonomy order."""
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
        return cls(tuple(groups), tuple(fill), tuple((w, tuple(s)) for w, s in sorted(named.items())),
                   tuple(sorted(set(nouns))))

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
    """Split a question into concepts. `has_term` says whether a word exists in the index being searched.

    At each position the longest synonym phrase, filler or index word wins. Characters that form no index word
    are not silently dropped: a stretch of two or more of them (with the single characters around them) is a word no
    entry has — a required concept nothing covers — so entries with the rest of the query are shown as partial
    matches, never as if they had everything the trainee asked for.
    """
    phrases = vocab.phrase_index()
    topic_words = dict(vocab.topic_words)
    nouns = set(vocab.nouns)
    longest_phrase = max((len(p) for p in phrases), default=0)
    fillers = set(vocab.filler)
    longest_filler = max((len(f) for f in fillers), default=0)
    concepts: list[Concept] = []
    dropped: list[str] = []
    seen: set[str] = set()

    def add(concept: Concept) -> None:
        if concept.label not in seen:
            seen.add(concept.label)
            concepts.append(concept)

    for chunk in _CHUNK.findall(prepare(text)):
        i = 0
        run, unknown = "", False  # single characters in a row; `unknown`: one of them is in no entry

        def close_run() -> None:
            nonlocal run, unknown
            if len(run) > 1 and unknown:
                add(Concept(run, (Alternative(run, TYPED_WEIGHT),), True, unknown=True))
            run, unknown = "", False

        while i < len(chunk):
            phrase = _longest(chunk, i, longest_phrase, lambda s: s in phrases)
            filler = _longest(chunk, i, longest_filler, lambda s: s in fillers)
            # a topic's name counts as a word even when no entry's text has it: it finds the entries tagged with it
            term = _longest(chunk, i, MAX_TERM, lambda s: has_term(s) or s in topic_words)
            best = max(len(phrase), len(filler), len(term))
            if best == 0:
                run, unknown = run + chunk[i], True
                i += 1
                continue
            if len(phrase) == best:
                close_run()
                group = vocab.groups[phrases[phrase]]
                alts = tuple(Alternative(m, TYPED_WEIGHT if m == phrase else SYNONYM_WEIGHT) for m in group)
                add(Concept(phrase, alts + _topic_alternatives(group, topic_words), True))
            elif len(filler) == best:
                close_run()
                dropped.append(filler)
            elif len(term) > 1:
                close_run()
                add(Concept(term, (Alternative(term, TYPED_WEIGHT), *_topic_alternatives((term,), topic_words)), True))
            else:  # a single character: a noun (狗) is a concept, others (堵, 修) only boost
                run += term
                add(Concept(term, (Alternative(term, TYPED_WEIGHT),), term in nouns))
            i += best
        close_run()
    return ParsedQuery(text, tuple(concepts), tuple(dropped))


def _topic_alternatives(words: Sequence[str], topic_words: dict[str, tuple[str, ...]]) -> tuple[Alternative, ...]:
    slugs = dict.fromkeys(s for w in words for s in topic_words.get(w, ()))
    return tuple(Alternative(TOPIC_PREFIX + s, TOPIC_WEIGHT) for s in slugs)


def _longest(chunk: str, start: int, limit: int, accept: Callable[[str], bool]) -> str:
    for end in range(min(len(chunk), start + limit), start, -1):
        if accept(chunk[start:end]):
            return chunk[start:end]
    return ""
