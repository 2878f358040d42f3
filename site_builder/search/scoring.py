"""The one ranking rule, in integers, so the browser (assets/diary-search-engine.js, `rank`) and `diary search`
(whoosh_index.py) compute bit-for-bit the same scores and the same order.

For a query parsed into concepts (text/query.py):
  concept score(entry) = max over the concept's alternatives a of  weight(a) × idf(a) × level(a, entry)
      weight: 100 for the word typed, SYNONYM_WEIGHT for another word of its synonym group, TOPIC_WEIGHT for the
              topic tag "#slug" of a topic whose name/keyword is that word (see query.py);
      idf:    round(IDF_SCALE × ln(1 + (n − df + 0.5)/(df + 0.5))), an integer, n = entries searched;
      level:  the entry's quantised BM25 term weight 1..LEVELS (postings.py), TOPIC_LEVEL for a topic tag.
  The maximum, not the sum: a synonym group is one concept, an entry that says 楼顶 and 屋顶 is not twice as relevant.
  Every entry that has at least one required concept is a result. Order: the number of required concepts covered
  (most first, like a minimum-should-match), then the sum of all concept scores, then the later entry first
  (corpus order: date, then id).
Everything is an integer below 2^53, so JavaScript's doubles and Python's ints agree exactly; the only
floating-point step (the logarithm) is rounded to an integer before use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

from ..text.query import ParsedQuery

IDF_SCALE = 1000


def idf(df: int, n: int) -> int:
    # floor(x + 0.5), not round(): Python rounds halves to even, JavaScript's Math.round up; this is the same in both
    return math.floor(IDF_SCALE * math.log(1 + (n - df + 0.5) / (df + 0.5)) + 0.5)


@dataclass(frozen=True)
class Ranked:
    doc: int  # position in corpus order (date, id); larger is later
    covered: int  # required concepts the entry has
    score: int


Postings = Mapping[int, int]  # doc → level


def concept_scores(alternatives: Sequence[tuple[int, Postings | None]], n: int) -> dict[int, int]:
    """`alternatives`: (weight, postings of its term or None when no entry has it)."""
    scores: dict[int, int] = {}
    for weight, postings in alternatives:
        if not postings:
            continue
        w = weight * idf(len(postings), n)
        for doc, level in postings.items():
            s = w * level
            if s > scores.get(doc, 0):
                scores[doc] = s
    return scores


def rank(parsed: ParsedQuery, postings_of: Callable[[str], Postings | None], n: int,
         order: Callable[[int], Hashable] | None = None) -> list[Ranked]:
    """Every entry with at least one required concept, best first (see the module docstring).

    `order(doc)` gives the corpus position of a doc when `doc` is not already that position (Whoosh's numbers)."""
    def scores(concept_index: int) -> dict[int, int]:
        c = parsed.concepts[concept_index]
        return concept_scores([(a.weight, postings_of(a.term)) for a in c.alternatives], n)

    required = [i for i, c in enumerate(parsed.concepts) if c in parsed.required]
    per_concept = {i: scores(i) for i in range(len(parsed.concepts))}
    covered: dict[int, int] = {}
    for i in required:
        for doc in per_concept[i]:
            covered[doc] = covered.get(doc, 0) + 1
    total = {doc: 0 for doc in covered}
    for i in range(len(parsed.concepts)):  # concept order, as the browser sums
        for doc, s in per_concept[i].items():
            if doc in total:
                total[doc] += s
    out = [Ranked(doc, covered[doc], total[doc]) for doc in covered]
    later = order or (lambda doc: doc)
    out.sort(key=lambda r: (r.covered, r.score, later(r.doc)), reverse=True)
    return out
