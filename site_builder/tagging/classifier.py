"""What the hand-tagged entries teach: one logistic regression per topic over the entries' search terms.

A centroid of a topic's entries says which words its entries share; a discriminative model also learns which words
tell it apart from the neighbouring topics (走访 is common to every topic, 摸底 is not). On the tuning part of the
labelled set and in cross-validation over the sample diaries this added 2–3 points of micro-F1 to the keywords and
centroids (see CONTRIBUTING.md, "Topic suggestion"). scikit-learn does the fitting; prediction is the logistic
function of the stored coefficients over sublinear tf-idf features, computed here with numpy, so a tagger loaded
from the disk cache (tagging/store.py) predicts without importing scikit-learn (about a second) and gives the same
numbers as one trained in this process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# what training imports (about a second): a server imports it while it waits for the first save (plugin.on_serve)
TRAINING_MODULES = ("numpy", "sklearn.feature_extraction.text", "sklearn.linear_model")
C = 10.0  # weak regularisation: a few hundred short entries, thousands of distinct words
MIN_POSITIVES = 2  # a topic with a single hand-tagged entry is left to its keywords and centroid


@dataclass(frozen=True)
class TopicClassifier:
    slugs: tuple[str, ...]
    columns: dict[str, int]  # term → feature column (the fitted vectorizer's vocabulary)
    idf: Any  # numpy vector, one per column (the vectorizer's idf_)
    weights: Any  # numpy matrix, features × topics
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
        # scikit-learn, numpy and scipy take about a second to import: only builds that train a tagger pay for it
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
        columns = {str(term): int(col) for term, col in vectorizer.vocabulary_.items()}
        return cls(slugs, columns, np.asarray(vectorizer.idf_, dtype=np.float64),
                   np.ascontiguousarray(np.array(weights, dtype=np.float64).T), np.array(bias, dtype=np.float64))

    def probabilities(self, docs: Sequence[list[str]]) -> list[dict[str, float]]:
        """For each document, the probability (0–1) that each learned topic is one of its topics.

        What scikit-learn's TfidfVectorizer(sublinear_tf=True).transform and LogisticRegression.predict_proba
        compute (tests/test_tagging.py compares them): 1 + log(count) times idf per known term, each row scaled to
        unit length, then 1 / (1 + e^-(x·w + b)) per topic. Always this code, trained or loaded, so a cache hit and a
        fresh training give the same suggestions to the last bit.
        """
        if not docs:
            return []
        import numpy as np

        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        for i, doc in enumerate(docs):
            seen: dict[int, int] = {}
            for term in doc:
                at = self.columns.get(term)
                if at is not None:
                    seen[at] = seen.get(at, 0) + 1
            rows.extend([i] * len(seen))
            cols.extend(seen)
            counts.extend(seen.values())
        row = np.array(rows, dtype=np.intp)
        col = np.array(cols, dtype=np.intp)
        values = (np.log(np.array(counts, dtype=np.float64)) + 1.0) * self.idf[col]
        norms = np.sqrt(np.bincount(row, weights=values * values, minlength=len(docs)))
        values = values / norms[row]  # every row with a value has a norm above zero
        weighted = values[:, None] * self.weights[col]
        scores = np.empty((len(docs), len(self.slugs)), dtype=np.float64)
        for k in range(len(self.slugs)):
            scores[:, k] = np.bincount(row, weights=weighted[:, k], minlength=len(docs))
        probs = 1.0 / (1.0 + np.exp(-(scores + self.bias)))
        return [dict(zip(self.slugs, map(float, line), strict=True)) for line in probs]


def _identity(tokens: list[str]) -> list[str]:
    # the analyzer has already folded and segmented the text; the vectorizer only counts
    return tokens
