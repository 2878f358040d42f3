"""Topic suggestion: which topics an entry is about, with the words that show it and a confidence.

Two kinds of evidence, both through the shared analyzer (folding, jieba with the project dictionary, synonyms):
- the taxonomy: each topic's keywords, aliases and name, widened by the synonym groups they belong to (跑水 counts
  for 漏水's topic), in either script. A word with context rules in topics.yml (牛皮癣, 隔离) counts only for a topic
  whose rule finds one of its context words nearby: 清理牛皮癣 is flyers, 得了牛皮癣 is a skin disease.
- the entries the secretary tagged herself: each topic's centroid of their terms (Rocchio) is compared with the
  entry, which catches topics written in words the taxonomy does not list.
Two more come from what a secretary writes around the text (`suggest_for`):
- the topic words she wrote that are not topic names (暖气, 防汛, 出租屋管理): she said what it is about, in her words;
- the case thread: entries of one matter share their topics, so an untagged entry follows its tagged thread-mates.
Explicit topics always win; suggestions only fill entries that have none.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Entry, Settings, Taxonomy
from ..search.postings import plain_text
from ..text.analyzer import Analyzer
from ..text.query import prepare
from .classifier import TopicClassifier
from .store import Content, Keywords, Learned

if TYPE_CHECKING:
    from ..build_cache import BuildCache

# THRESHOLD, RELATIVE, MAX_TOPICS, TOPIC_CAP, NEIGHBOUR_WEIGHT, RANK_WEIGHT, CENTROID_SHARE, CLASSIFIER_WEIGHT,
# SUPPORT_PRIOR and SPECIFICITY_STEP were chosen on the tuning part of the labelled set (tests/fixtures/tagging/tuning,
# `diary tag --evaluate`) with 5-fold cross-validation over the hand-tagged sample diaries; never on the heldout part
TITLE_WEIGHT = 2.0
PER_WORD_CAP = 3.0  # one word repeated many times is still one piece of evidence
THRESHOLD = 2.5  # a keyword in the title or a specific one in the body, with some support from the tagged entries
RELATIVE = 0.5  # a second topic must be at least this share of the best one
# a second or third topic needs more than the first: between the bar for any suggestion and "more often right than
# wrong" (4.5); chosen on the field-test set (2.5 / 3.5 / 4.5 / 5.5 tried), where it moved precision most
EXTRA_THRESHOLD = 3.5
MAX_TOPICS = 3  # gold labels have one to three topics
TOPIC_CAP = 5.0
NEIGHBOUR_WEIGHT = 8.0  # similarity to a topic's tagged entries (0–1), in keyword mentions
# A short entry shares few words with any centroid, so even the right topic's cosine is small (0.18 on average on the
# tuning set with 209 hand-tagged entries, wrong ones 0.07); but the right topics are usually the closest ones
# (first for 83 of the 137 labels, second for 32). The similarity relative to the closest topic carries that ranking.
RANK_WEIGHT = 4.0
CENTROID_SHARE = 0.5  # with the classifier beside them, the centroids count half
CLASSIFIER_WEIGHT = 8.0  # the classifier's probability (0–1), in keyword points
SUPPORT_PRIOR = 1.0  # a centroid of one hand-tagged entry counts half
SPECIFICITY_STEP = 0.5  # each character beyond two adds this much weight to a keyword, up to double
LEARNING_PRIOR = 25.0  # tagged entries at which what they teach counts half
SUB_WORD_WEIGHT = 0.5  # 巡逻 inside 巡逻队 counts, but less than the word standing alone (卫生 in 卫生间)
WINDOW = 12
TOPIC_WORD_POINTS = 9.0  # she named the topic in her own words: as strong as the tagger's "nine in ten"
THREAD_POINTS = 9.0  # every tagged entry of the same matter carries the topic
OVERSHOOT = 2.0  # "far more often than it occurs": more than twice its share of the tagged entries
CAP_SLACK = 2


@dataclass(frozen=True)
class Suggestion:
    slug: str
    confidence: float  # 0–1
    evidence: tuple[str, ...]  # words that triggered it (Simplified), and "相似日记" when tagged entries resemble it
    outside: bool = False  # backed by her topic words or the thread, not by the text alone


def confidence(score: float) -> float:
    """The share of suggestions with this score that were right on the whole labelled set (a logistic fit, made with
    the constants above: half right at 4.5 points, nine in ten at 9), so "把握 90%" means what it says."""
    return round(1 / (1 + math.exp(-(score - 4.5) / 2)), 2)


def specificity(word: str) -> float:
    return min(1.0 + SPECIFICITY_STEP * (len(word) - 2), 2.0)


def _weighted(analyzer: Analyzer, text: str) -> dict[str, float]:
    """Whole words count 1, their dictionary sub-words (from the search tokens) count half."""
    whole = Counter(analyzer.words(text))
    out = {w: float(c) for w, c in whole.items()}
    for token, c in Counter(analyzer.tokens(text)).items():
        extra = c - whole.get(token, 0)
        if extra > 0:
            out[token] = out.get(token, 0.0) + SUB_WORD_WEIGHT * extra
    return out


def _normalised(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


def _unit(tokens: Iterable[str], idf: dict[str, float]) -> dict[str, float]:
    """tf-idf vector of unit length; words never seen in a tagged entry carry no signal and are dropped."""
    counts = Counter(tokens)
    return _normalised({t: c * idf[t] for t, c in counts.items() if t in idf})


class Tagger:
    def __init__(self, taxonomy: Taxonomy, analyzer: Analyzer, training: Sequence[Entry] = (),
                 learned: Learned | None = None) -> None:
        """Trained on the hand-tagged entries of `training`, or given what such a training learned (`learned`,
        from the disk cache: see tagger_for)."""
        self.taxonomy = taxonomy
        self.analyzer = analyzer
        groups = analyzer.vocabulary.groups
        self.words: dict[str, set[str]] = {}
        for t in taxonomy.topics:
            words = {prepare(w) for w in (t.name, *t.aliases, *t.traditional, *t.keywords) if len(prepare(w)) > 1}
            for group in groups:
                if words & set(group):
                    words.update(group)
            self.words[t.slug] = words
        # word → {topic: context words}; such a word never counts for a topic without a rule for it
        self.context: dict[str, dict[str, tuple[str, ...]]] = {}
        for t in taxonomy.topics:
            for word, near in t.context:
                self.context.setdefault(prepare(word), {})[t.slug] = tuple(prepare(n) for n in near)
        self.learned = learned if learned is not None else self._train(training)
        self.idf, self.centroids, self.trust = self.learned.idf, self.learned.centroids, self.learned.trust
        self.learning, self.classifier = self.learned.learning, self.learned.classifier
        # per text, its keyword scores and what the tagged entries say: the decision adds the evidence around it
        self._content: Content = {}
        self.key = ""  # the training key when it came through tagger_for (its texts' scores are kept on disk)
        self.keywords_key = ""  # likewise, the key of the keyword scores alone (store.keywords_key)
        self.fresh = False  # scores computed since the texts were last stored
        # keyword scores per text whatever the training (tagger_for: from disk, read when a text is not in _content)
        self.keyword_source: Callable[[], Keywords] | None = None
        self._keywords: Keywords | None = None
        self.keywords_fresh = False

    def _train(self, training: Sequence[Entry]) -> Learned:
        """One centroid per topic from the entries tagged by hand (Rocchio): cheap for thousands of entries."""
        tagged = [(self._tokens(e.title, e.body), e.topics) for e in training if e.topics]
        df: Counter[str] = Counter()
        for tokens, _ in tagged:
            df.update(set(tokens))
        n = len(tagged) or 1
        idf = {t: math.log(1 + n / c) for t, c in df.items()}
        sums: dict[str, dict[str, float]] = {}
        for tokens, topics in tagged:
            vec = _unit(tokens, idf)
            for slug in topics:
                acc = sums.setdefault(slug, {})
                for t, w in vec.items():
                    acc[t] = acc.get(t, 0.0) + w
        support = Counter(slug for _, topics in tagged for slug in topics)
        return Learned(
            idf,
            {slug: _normalised(vec) for slug, vec in sums.items()},
            # a centroid of one or two entries is mostly those entries' own words: trusted in proportion to support
            {slug: support[slug] / (support[slug] + SUPPORT_PRIOR) for slug in sums},
            # what a few dozen tagged entries teach is mostly their own words: a young project's learning counts less
            len(tagged) / (len(tagged) + LEARNING_PRIOR),
            TopicClassifier.train([tokens for tokens, _ in tagged], [topics for _, topics in tagged]))

    def _tokens(self, title: str, body: str) -> list[str]:
        # the search index's terms of the same texts: the analyzer segments each text once for both
        return self.analyzer.tokens(title) * 2 + self.analyzer.tokens(plain_text(body))

    def _keyword_scores(self, title: str, body: str) -> dict[str, tuple[float, list[str]]]:
        title_tokens = _weighted(self.analyzer, title)
        body_tokens = _weighted(self.analyzer, plain_text(body))
        text = prepare(title) + "\n" + prepare(body)
        scores: dict[str, tuple[float, list[str]]] = {}
        for slug, words in self.words.items():
            score, evidence = 0.0, []
            for word in words:
                hits = TITLE_WEIGHT * title_tokens.get(word, 0) + body_tokens.get(word, 0)
                if not hits:
                    continue
                rules = self.context.get(word)
                if rules is not None:
                    if not self._in_context(text, word, rules.get(slug)):
                        continue
                    hits *= 2  # an ambiguous word whose context confirms the meaning is strong evidence
                # a longer keyword is a more specific one: 煤烟中毒 says more than 医院
                score += min(hits * specificity(word), PER_WORD_CAP)
                evidence.append(word)
            if score:
                scores[slug] = (score, sorted(evidence, key=len, reverse=True))
        return scores

    @staticmethod
    def _in_context(text: str, word: str, near: tuple[str, ...] | None) -> bool:
        if not near:
            return False
        at = text.find(word)
        while at >= 0:
            window = text[max(0, at - WINDOW): at + len(word) + WINDOW]
            if any(n in window for n in near):
                return True
            at = text.find(word, at + 1)
        return False

    def _neighbour_votes(self, tokens: list[str]) -> dict[str, float]:
        """Cosine similarity of the entry to each topic's centroid of hand-tagged entries."""
        vec = _unit(tokens, self.idf)
        return {slug: sum(w * centroid.get(t, 0.0) for t, w in vec.items())
                for slug, centroid in self.centroids.items()}

    def _learned(self, texts: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        """Per text, each topic's score from the hand-tagged entries (centroids and classifier), in keyword points."""
        tokens = [self._tokens(title, body) for title, body in texts]
        probabilities = self.classifier.probabilities(tokens) if self.classifier else [{} for _ in texts]
        out = []
        for terms, probability in zip(tokens, probabilities, strict=True):
            votes = self._neighbour_votes(terms)
            closest = max(votes.values(), default=0.0) or 1.0
            scores = {slug: CENTROID_SHARE * self.trust[slug] * (NEIGHBOUR_WEIGHT * vote
                                                                 + RANK_WEIGHT * (vote / closest) ** 2)
                      for slug, vote in votes.items()}
            for slug, p in probability.items():
                scores[slug] = scores.get(slug, 0.0) + CLASSIFIER_WEIGHT * p
            out.append({slug: self.learning * value for slug, value in scores.items()})
        return out

    def suggest_many(self, texts: Sequence[tuple[str, str]],
                     around: Sequence[dict[str, Clue]] | None = None) -> list[list[Suggestion]]:
        """Suggestions for many (title, body) texts; the classifier scores them all in one matrix product.

        `around`, one per text: evidence from outside the text (her topic words, the thread), in points per topic.
        """
        missing = list(dict.fromkeys(t for t in texts if t not in self._content))
        if missing and self._keywords is None:
            self._keywords = self.keyword_source() if self.keyword_source is not None else {}
        for text, learned in zip(missing, self._learned(missing), strict=True):
            assert self._keywords is not None
            keyword = self._keywords.get(text)
            if keyword is None:
                keyword = self._keywords[text] = self._keyword_scores(*text)
                self.keywords_fresh = True
            self._content[text] = (keyword, learned)
        self.fresh = self.fresh or bool(missing)
        clues = around if around is not None else [{} for _ in texts]
        return [self._decide(*self._content[t], clue) for t, clue in zip(texts, clues, strict=True)]

    def suggest(self, title: str, body: str) -> list[Suggestion]:
        return self.suggest_many([(title, body)])[0]

    def topic_word_clues(self, words: Sequence[str]) -> dict[str, Clue]:
        """The topics her own topic words mean (暖气 → 房屋设施报修与水电暖, 防汛 → 消防燃气与应急安全).

        Each word is read like a title against the topics' words; the topics it fits best get the points, shared
        when it fits several equally. A word that is no topic word but part of some (书记 in 书记工作法, 停车 in
        停车位) or holds one counts for the topics with most such words. A word that fits no topic says nothing.
        """
        out: dict[str, Clue] = {}
        for word in words:
            scores = self._keyword_scores(word, "") or self._containing(prepare(word))
            if not scores:
                continue
            best = max(score for score, _ in scores.values())
            winners = [slug for slug, (score, _) in scores.items() if score >= best]
            for slug in winners:
                points = TOPIC_WORD_POINTS / len(winners)
                old = out.get(slug, Clue(0.0, ()))
                out[slug] = Clue(old.points + points, (*old.evidence, f"她写的主题“{word}”"))
        return out

    def _containing(self, word: str) -> dict[str, tuple[float, list[str]]]:
        if len(word) < 2:
            return {}
        found = {slug: [w for w in words if word in w or w in word] for slug, words in self.words.items()}
        return {slug: (float(len(hits)), hits) for slug, hits in found.items() if hits}

    def _decide(self, keyword: dict[str, tuple[float, list[str]]], learned: dict[str, float],
                around: dict[str, Clue]) -> list[Suggestion]:
        combined: dict[str, float] = {}
        content: dict[str, float] = {}
        for slug in set(keyword) | set(learned) | set(around):
            # capped, so a topic mentioned ten times does not push a real second topic under the relative bar
            content[slug] = min(keyword.get(slug, (0.0, []))[0], TOPIC_CAP) + learned.get(slug, 0.0)
            combined[slug] = content[slug] + around.get(slug, Clue(0.0, ())).points
        if not combined:
            return []
        # the relative bar compares the texts: her topic word or the thread lifting one topic says nothing against
        # a second topic the text is also about (出租屋管理 on an entry about a fire in a rented room)
        best = max(content.values())
        strong = {slug for slug, clue in around.items() if clue.points >= THRESHOLD}
        out: list[Suggestion] = []
        for slug, score in sorted(combined.items(), key=lambda x: (-x[1], x[0])):
            if score < (EXTRA_THRESHOLD if out else THRESHOLD):
                continue
            if slug not in strong and content[slug] < RELATIVE * best:
                continue
            evidence = [*around.get(slug, Clue(0.0, ())).evidence, *keyword.get(slug, (0.0, []))[1]]
            if learned.get(slug, 0.0) >= 1.0:  # worth a keyword mention
                evidence.append("相似日记")
            out.append(Suggestion(slug, confidence(score), tuple(evidence), slug in strong))
        return out[:MAX_TOPICS]


@dataclass(frozen=True)
class Clue:
    """Evidence for a topic from outside an entry's text, in the same points as a keyword mention."""

    points: float
    evidence: tuple[str, ...]


def _thread_clues(entry: Entry, mates: Sequence[Entry], words_of: dict[str, dict[str, Clue]]) -> dict[str, Clue]:
    """The topics of the other entries of the same case thread: one matter keeps its topics from entry to entry.

    Each mate counts with the topics it names, or else the topics its topic words mean; a topic gets THREAD_POINTS
    times the square of the share of those mates that carry it, so a thread that agrees outweighs one odd entry.
    """
    labelled: list[set[str]] = []
    for mate in mates:
        if mate.id == entry.id:
            continue
        topics = set(mate.topics) or set(words_of.get(mate.id, {}))
        if topics:
            labelled.append(topics)
    if not labelled:
        return {}
    counts = Counter(slug for topics in labelled for slug in topics)
    # squared: what the whole thread carries is near-certain, what one mate of three added is only a hint
    return {slug: Clue(THREAD_POINTS * (n / len(labelled)) ** 2, ("同一件事的其他日记",))
            for slug, n in counts.items()}


def suggest_for(tagger: Tagger, entries: Sequence[Entry]) -> dict[str, list[Suggestion]]:
    """Suggested topics for the entries of `entries` that have none, from their text, their topic words and their
    case thread (the thread-mates are looked up in `entries`)."""
    from ..structure.threads import build_threads  # late import: threads needs pypinyin

    words_of = {e.id: tagger.topic_word_clues(e.topic_words) for e in entries if e.topic_words}
    thread_of = {e.id: t.entries for t in build_threads(entries) for e in t.entries}
    untagged = [e for e in entries if not e.topics]
    around = []
    for e in untagged:
        clues = dict(words_of.get(e.id, {}))
        for slug, clue in _thread_clues(e, thread_of.get(e.id, ()), words_of).items():
            old = clues.get(slug, Clue(0.0, ()))
            clues[slug] = Clue(old.points + clue.points, (*old.evidence, *clue.evidence))
        around.append(clues)
    suggestions = tagger.suggest_many([(e.title, e.body) for e in untagged], around)
    return dict(zip([e.id for e in untagged], _capped(suggestions, entries), strict=True))


def _capped(suggestions: list[list[Suggestion]], entries: Sequence[Entry]) -> list[list[Suggestion]]:
    """No topic rides along far more often than it occurs: as a second or third suggestion, a topic appears on at
    most OVERSHOOT times as many untagged entries as its share of the tagged ones predicts (plus CAP_SLACK, so a
    small batch or a topic nobody tagged yet is not starved); beyond that the least confident ones go.

    A topic whose words turn up in every kind of entry (居民议事: 开会, 商量, 投票) otherwise rides along on half of
    them. First suggestions and what her topic words or the thread say are not capped: they are the best evidence of
    what the untagged entries are about, whose mix of topics need not be the tagged ones'.
    """
    tagged = [e for e in entries if e.topics]
    share = Counter(slug for e in tagged for slug in e.topics)
    allowed = {slug: math.ceil(OVERSHOOT * n / len(tagged) * len(suggestions)) for slug, n in share.items()}
    later = sorted(((s.confidence, i, s.slug) for i, found in enumerate(suggestions) for s in found[1:]
                    if not s.outside), reverse=True)
    kept: Counter[str] = Counter()
    dropped: set[tuple[int, str]] = set()
    for _, i, slug in later:
        if kept[slug] >= allowed.get(slug, 0) + CAP_SLACK:
            dropped.add((i, slug))
        else:
            kept[slug] += 1
    return [[s for k, s in enumerate(found) if k == 0 or (i, s.slug) not in dropped]
            for i, found in enumerate(suggestions)]


def tagger_for(entries: Sequence[Entry], taxonomy: Taxonomy, settings: Settings,
               cache: BuildCache | None = None) -> Tagger:
    """The tagger for these hand-tagged entries: from the build cache's memo, else from the disk cache
    (tagging/store.py), else trained and stored there for the next process."""
    from ..build_cache import BuildCache
    from . import store

    build = cache if cache is not None else BuildCache()
    analyzer = build.analyzer(taxonomy, settings)
    training = [e for e in entries if e.topics]
    key = store.training_key(analyzer.version, taxonomy, training, (SUPPORT_PRIOR, LEARNING_PRIOR))

    def make() -> Tagger:
        learned = store.load(settings.cache_dir, key)
        if learned is None:
            made = Tagger(taxonomy, analyzer, training)
            store.save(settings.cache_dir, key, made.learned)
        else:
            made = Tagger(taxonomy, analyzer, learned=learned)
            made._content = store.load_content(settings.cache_dir, key)
        made.key = key
        made.keywords_key = store.keywords_key(analyzer.version, taxonomy)
        if not made._content:  # with the texts' scores of this training at hand, a new text is new to both
            made.keyword_source = lambda: store.load_keywords(settings.cache_dir, made.keywords_key)
        return made

    # `mkdocs serve` asks again after every save: the same analyzer, taxonomy and hand-tagged entries give the
    # same tagger, so it is reused (with the suggestions it already made) instead of loaded or trained again
    return build.tagger((id(analyzer), key), make)


def suggest_topics(entries: Sequence[Entry], taxonomy: Taxonomy, settings: Settings,
                   cache: BuildCache | None = None) -> dict[str, list[Suggestion]]:
    from . import store

    tagger = tagger_for(entries, taxonomy, settings, cache)
    suggestions = suggest_for(tagger, entries)
    if tagger.fresh and tagger.key:
        # the next process (the CLI after a save, the next build) scores only the texts that changed
        texts = {(e.title, e.body) for e in entries if not e.topics}
        store.save_content(settings.cache_dir, tagger.key, {t: v for t, v in tagger._content.items() if t in texts})
        tagger.fresh = False
        if tagger.keywords_fresh and tagger.keywords_key:
            # and the keyword scores alone, for the next training (a hand-tagged entry saved)
            store.save_keywords(settings.cache_dir, tagger.keywords_key,
                                {t: v[0] for t, v in tagger._content.items() if t in texts})
            tagger.keywords_fresh = False
    return suggestions
