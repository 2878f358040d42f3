"""What the hand-tagged entries teach: one logistic regression per topic over the entries' search terms.

A centroid of a topic's entries says which words its entries share; a discriminative model also learns which words
tell it apart from the neighbouring topics (走访 is common to every topic, 摸底 is not). On the tuning part of the
labelled set and in cross-validation over the sample diaries this added 2–3 points of micro-F1 to the keywords and
centroids (see CONTRIBUTING.md, "Topic suggestion"). scikit-learn does the fitting; prediction is one sparse matrix
product for all the entries of a build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

C = 10.0  # weak regularisation: a few hundred short entries, thousands of distinct words
MIN_POSITIVES = 2  # a topic with a single hand-tagged entry is left to its keywords and centroid


@dataclass(frozen=True)
class TopicClassifier:
    slugs: tuple[str, ...]
    vectorizer: Any  # sklearn TfidfVectorizer fitted on the training terms
    weights: Any  # scipy/numpy matrix, features × topics
    bias: Any  # numpy vector, one per topic

    @classmethod
    def train(cls, docs: Sequence[list[str]], labels: Sequence[tuple[str, ...]]) -> TopicClassifier | None:
        """None when there is nothing to learn (no topic with enough hand-tagged entries and some without it)."""
        counts: dict[str, int] = {}
        for topics in labels:
            for slug in topics:
                counts[slug] = counts.get(slug, 0) + 1
        slugs = tuple(sorted(s for s, n in counts.items() if MIN_POSITIVES <= n < len(labels)))
        if not slugs:
            return None
        # scikit-learn, numpy and scipy take about a second to import: only builds that suggest topics pay for it
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        x = vectorizer.fit_transform(docs)
        weights, bias = [], []
        for slug in slugs:
            y = np.fromiter((slug in topics for topics in labels), dtype=bool, count=len(labels))
            # balanced: most topics are on a few percent of the entries; without it, "no" always wins
            model = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0)
            model.fit(x, y)
            weights.append(model.coef_[0])
            bias.append(model.intercept_[0])
        return cls(slugs, vectorizer, np.array(weights).T, np.array(bias))

    def probabilities(self, docs: Sequence[list[str]]) -> list[dict[str, float]]:
        """For each document, the probability (0–1) that each learned topic is one of its topics."""
        if not docs:
            return []
        import numpy as np

        scores = self.vectorizer.transform(docs) @ self.weights + self.bias
        probs = 1.0 / (1.0 + np.exp(-scores))
        return [dict(zip(self.slugs, map(float, row), strict=True)) for row in probs]


def _identity(tokens: list[str]) -> list[str]:
    # the analyzer has already folded and segmented the text; the vectorizer only counts
    return tokens
