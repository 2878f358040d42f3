"""Query parsing: how a trainee's question becomes concepts to match.

"马葫芦堵了咋整" → fold to Simplified → drop filler (了, 咋整) → 马葫芦 is a declared synonym of 下水堵, so that concept
matches any word of the group → 堵 is a single character, kept only as an optional booster.
Concepts are ANDed; the words inside one concept are ORed. The browser (assets/diary-search.js, `parseQuery`)
implements the same steps with the same tables, and tests check both give the same entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .fold import fold, normalize_width

MAX_TERM = 12  # longest index word the parser tries to match at one position
SYNONYM_WEIGHT = 0.7  # a synonym counts, but less than the word the trainee typed

_CHUNK = re.compile(r"[\u3400-\u9fffa-z0-9]+")


@dataclass(frozen=True)
class Alternative:
    term: str
    weight: float


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

    @classmethod
    def build(cls, synonyms: Iterable[tuple[str, Sequence[str]]], filler: Iterable[str]) -> QueryVocabulary:
        groups = []
        for canonical, variants in synonyms:
            members = [prepare(canonical)] + [prepare(v) for v in variants]
            groups.append(tuple(dict.fromkeys(m for m in members if m)))
        fill = sorted({prepare(f) for f in filler if prepare(f)}, key=lambda w: (-len(w), w))
        return cls(tuple(groups), tuple(fill))

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
                alts = tuple(Alternative(m, 1.0 if m == phrase else SYNONYM_WEIGHT) for m in group)
                concept = Concept(phrase, alts, True)
            elif len(filler) == best:
                dropped.append(filler)
                i += best
                continue
            else:
                concept = Concept(term, (Alternative(term, 1.0),), len(term) > 1)
            if concept.label not in seen:
                seen.add(concept.label)
                concepts.append(concept)
            i += best
    return ParsedQuery(text, tuple(concepts), tuple(dropped))


def _longest(chunk: str, start: int, limit: int, accept: Callable[[str], bool]) -> str:
    for end in range(min(len(chunk), start + limit), start, -1):
        if accept(chunk[start:end]):
            return chunk[start:end]
    return ""
