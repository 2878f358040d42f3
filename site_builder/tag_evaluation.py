"""Precision, recall and F1 of the topic tagger on a hand-labelled set (tests/fixtures/tagging/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Entry
from .tagging import Tagger


@dataclass(frozen=True)
class TopicScore:
    slug: str
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Evaluation:
    topics: tuple[TopicScore, ...]
    entries: int

    @property
    def micro(self) -> TopicScore:
        return TopicScore("micro", sum(t.true_positive for t in self.topics),
                          sum(t.false_positive for t in self.topics), sum(t.false_negative for t in self.topics))


def evaluate(tagger: Tagger, labelled: Sequence[Entry], slugs: Sequence[str]) -> Evaluation:
    """Suggest topics for each labelled entry as if it had none, and compare with its hand-written topics."""
    tp = dict.fromkeys(slugs, 0)
    fp = dict.fromkeys(slugs, 0)
    fn = dict.fromkeys(slugs, 0)
    suggestions = tagger.suggest_many([(e.title, e.body) for e in labelled])
    for e, suggested in zip(labelled, suggestions, strict=True):
        predicted = {s.slug for s in suggested}
        gold = set(e.topics)
        for slug in predicted & gold:
            tp[slug] += 1
        for slug in predicted - gold:
            fp[slug] += 1
        for slug in gold - predicted:
            fn[slug] += 1
    return Evaluation(tuple(TopicScore(s, tp[s], fp[s], fn[s]) for s in slugs), len(labelled))
