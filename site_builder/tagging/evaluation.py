"""How good the topic suggestions are, measured the same way for the tagger and for the baselines beside it.

Two kinds of labelled writing:
- our labelled set (tests/fixtures/tagging/: tuning/ and heldout/ parts): short texts with hand-written topics, tagged
  as if they had none by a tagger trained on the diaries;
- a field-test set (../shared/fieldtest: diaries/ and gold.yml, written by people who never saw the code): the
  entries written without topics are suggested in their own project (`untagged`), and every entry is suggested with
  its topics hidden while the others keep theirs (`hidden`, leave-one-out), as when a secretary forgets one line,
  and each whole case thread hidden at once (`thread-hidden`), which leaves the text alone to speak.
Each run gives a `Report`: the gold's first topic among the suggestions, any gold topic among them, precision and
recall of all the suggestions, and how often each topic is suggested against how often it is true.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..model import Entry, Taxonomy
from ..text.analyzer import Analyzer
from .tagger import Tagger, suggest_for

# A suggester gets a project's entries and returns, for each entry without topics, the slugs it suggests (best first)
Suggester = Callable[[Sequence[Entry]], dict[str, list[str]]]
Gold = dict[str, tuple[str, ...]]  # entry id → its gold topics, most important first


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

    @property
    def predicted(self) -> int:
        return self.true_positive + self.false_positive

    @property
    def actual(self) -> int:
        return self.true_positive + self.false_negative


@dataclass(frozen=True)
class Case:
    """One entry to suggest topics for, as the tagger sees it (no topics), and its gold topics, most important first."""

    entry: Entry
    gold: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    part: str  # which entries were asked: untagged | hidden (field test) or a labelled folder's part
    method: str  # tagger | keywords | most-frequent | written (the secretaries' own topics)
    cases: int
    primary: int  # entries whose first gold topic is among the suggestions
    any_topic: int  # entries with at least one gold topic among the suggestions
    topics: tuple[TopicScore, ...]  # per topic, in taxonomy order

    @property
    def micro(self) -> TopicScore:
        return TopicScore("micro", sum(t.true_positive for t in self.topics),
                          sum(t.false_positive for t in self.topics), sum(t.false_negative for t in self.topics))

    @property
    def primary_share(self) -> float:
        return self.primary / self.cases if self.cases else 0.0

    @property
    def any_share(self) -> float:
        return self.any_topic / self.cases if self.cases else 0.0

    @property
    def per_entry(self) -> float:
        """Suggestions per entry, on average."""
        return self.micro.predicted / self.cases if self.cases else 0.0

    def most_overpredicted(self) -> TopicScore | None:
        """The topic suggested most often beyond how often it is true."""
        return max(self.topics, key=lambda t: (t.predicted - t.actual, t.predicted), default=None)


def score(part: str, method: str, cases: Sequence[Case], predictions: Sequence[Sequence[str]],
          slugs: Sequence[str]) -> Report:
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    primary = any_topic = 0
    for case, predicted in zip(cases, predictions, strict=True):
        guessed, gold = set(predicted), set(case.gold)
        primary += bool(case.gold) and case.gold[0] in guessed
        any_topic += bool(guessed & gold)
        tp.update(guessed & gold)
        fp.update(guessed - gold)
        fn.update(gold - guessed)
    known = list(slugs) + sorted((set(tp) | set(fp) | set(fn)) - set(slugs))
    return Report(part, method, len(cases), primary, any_topic,
                  tuple(TopicScore(s, tp[s], fp[s], fn[s]) for s in known))


def hidden(entry: Entry) -> Entry:
    """The entry as if she had written no topics line at all."""
    return replace(entry, topics=(), topic_words=(), suggested_topics=())


# ---- protocols: which entries are asked about, and what the suggester sees around them ----

def untagged_run(part: str, method: str, suggester: Suggester, entries: Sequence[Entry], gold: Gold,
                 slugs: Sequence[str]) -> Report:
    """The entries written without topics, suggested in their own project (the tagged ones as they are)."""
    asked = [e for e in entries if not e.topics and e.id in gold]
    got = suggester(entries)
    return score(part, method, [Case(e, gold[e.id]) for e in asked], [got.get(e.id, []) for e in asked], slugs)


def hidden_run(part: str, method: str, suggester: Suggester, entries: Sequence[Entry], gold: Gold,
               slugs: Sequence[str]) -> Report:
    """Every entry with its topics hidden in turn, the others keeping theirs (leave-one-out)."""
    cases, predictions = [], []
    for i, e in enumerate(entries):
        if e.id not in gold:
            continue
        alone = hidden(e)
        got = suggester([*entries[:i], alone, *entries[i + 1:]])
        cases.append(Case(alone, gold[e.id]))
        predictions.append(got.get(e.id, []))
    return score(part, method, cases, predictions, slugs)


def thread_hidden_run(part: str, method: str, suggester: Suggester, entries: Sequence[Entry], gold: Gold,
                      slugs: Sequence[str]) -> Report:
    """Every case thread (or lone entry) with all its entries' topics hidden at once: neither the thread nor her
    topic words help, only the text and what the other matters teach (leave-one-thread-out)."""
    from ..structure.threads import build_threads  # late import: threads needs pypinyin

    group = {e.id: e.id for e in entries}
    for thread in build_threads(entries):
        for e in thread.entries:
            group[e.id] = thread.id
    cases, predictions = [], []
    for key in dict.fromkeys(group[e.id] for e in entries):
        context = [hidden(e) if group[e.id] == key else e for e in entries]
        got = suggester(context)
        for e in context:
            if group[e.id] == key and e.id in gold:
                cases.append(Case(e, gold[e.id]))
                predictions.append(got.get(e.id, []))
    return score(part, method, cases, predictions, slugs)


def labelled_run(part: str, method: str, suggester: Suggester, training: Sequence[Entry], labelled: Sequence[Entry],
                 slugs: Sequence[str]) -> Report:
    """Our labelled texts, all at once with their topics hidden, beside the entries the tagger learns from."""
    asked = [replace(hidden(e), id=f"labelled:{e.rel_source}") for e in labelled]
    got = suggester([*training, *asked])
    return score(part, method, [Case(a, e.topics) for a, e in zip(asked, labelled, strict=True)],
                 [got.get(a.id, []) for a in asked], slugs)


def written_run(part: str, entries: Sequence[Entry], gold: Gold,
                slugs: Sequence[str]) -> Report:
    """The topics the secretaries wrote themselves, scored against the gold reader: how far two people agree."""
    asked = [e for e in entries if e.topics and e.id in gold]
    return score(part, "written", [Case(e, gold[e.id]) for e in asked], [list(e.topics) for e in asked], slugs)


# ---- suggesters: the tagger and the baselines ----

def tagger_suggester(taxonomy: Taxonomy, analyzer: Analyzer) -> Suggester:
    """What the site does: a tagger trained on the project's tagged entries, with topic words and threads."""
    def run(entries: Sequence[Entry]) -> dict[str, list[str]]:
        tagger = Tagger(taxonomy, analyzer, [e for e in entries if e.topics])
        return {k: [s.slug for s in v] for k, v in suggest_for(tagger, entries).items()}
    return run


def keyword_suggester(taxonomy: Taxonomy, analyzer: Analyzer) -> Suggester:
    """Baseline: the taxonomy's keywords and synonyms in the text only, nothing learned, no topic words, no thread."""
    tagger = Tagger(taxonomy, analyzer, ())

    def run(entries: Sequence[Entry]) -> dict[str, list[str]]:
        untagged = [e for e in entries if not e.topics]
        got = tagger.suggest_many([(e.title, e.body) for e in untagged])
        return {e.id: [s.slug for s in v] for e, v in zip(untagged, got, strict=True)}
    return run


def most_frequent_suggester(entries: Sequence[Entry]) -> dict[str, list[str]]:
    """Baseline: every entry gets the topic the project's tagged entries carry most often."""
    counts = Counter(slug for e in entries for slug in e.topics)
    top = [counts.most_common(1)[0][0]] if counts else []
    return {e.id: top for e in entries if not e.topics}


# ---- the field-test set ----

def fieldtest_gold(folder: Path, entries: Sequence[Entry], taxonomy: Taxonomy) -> dict[str, tuple[str, ...]]:
    """gold.yml's topics (Simplified names, most important first) by entry id, as slugs."""
    by_name = {t.name: t.slug for t in taxonomy.topics}
    by_file = {e.source.name: e.id for e in entries}
    out: dict[str, tuple[str, ...]] = {}
    for row in yaml.safe_load((folder / "gold.yml").read_text(encoding="utf-8")) or []:
        entry_id = by_file.get(str(row.get("file")))
        if entry_id is not None:
            out[entry_id] = tuple(by_name[n] for n in row.get("topics") or () if n in by_name)
    return out


def is_fieldtest(folder: Path) -> bool:
    return (folder / "gold.yml").is_file() and (folder / "diaries").is_dir()


# ---- whole evaluations, as `diary tag --evaluate` and the benchmark run them ----

def suggesters(taxonomy: Taxonomy, analyzer: Analyzer) -> dict[str, Suggester]:
    return {"tagger": tagger_suggester(taxonomy, analyzer), "keywords": keyword_suggester(taxonomy, analyzer),
            "most-frequent": most_frequent_suggester}


def evaluate_fieldtest(folder: Path, taxonomy: Taxonomy, analyzer: Analyzer) -> list[Report]:
    """The tagger and the baselines on a field-test set, both ways (untagged, hidden), and the secretaries' own
    topics against the gold reader."""
    entries = field_entries(folder, taxonomy)
    gold = fieldtest_gold(folder, entries, taxonomy)
    slugs = [t.slug for t in taxonomy.topics]
    reports = []
    for method, suggester in suggesters(taxonomy, analyzer).items():
        reports.append(untagged_run("untagged", method, suggester, entries, gold, slugs))
        reports.append(hidden_run("hidden", method, suggester, entries, gold, slugs))
        reports.append(thread_hidden_run("thread-hidden", method, suggester, entries, gold, slugs))
    reports.append(written_run("written", entries, gold, slugs))
    return reports


def field_entries(folder: Path, taxonomy: Taxonomy) -> list[Entry]:
    from ..corpus.load import load_files  # late import: corpus imports the privacy and schema stages

    files = load_files(folder / "diaries", taxonomy)
    return sorted((f.entry for f in files if f.entry is not None), key=lambda e: (e.date, e.id))


def evaluate_labelled(folder: Path, training: Sequence[Entry], taxonomy: Taxonomy,
                      analyzer: Analyzer) -> list[Report]:
    """The tagger (trained on `training`) and the baselines on a labelled folder, per sub-folder (tuning/, heldout/:
    the part nobody tuned on is the honest figure) and as a whole (part "all")."""
    from ..corpus.load import load_files

    labelled = [f.entry for f in load_files(folder, taxonomy) if f.entry is not None and f.entry.topics]
    parts = sorted({e.source.parent for e in labelled})
    groups = [(p.name, [e for e in labelled if e.source.parent == p]) for p in parts] if len(parts) > 1 else []
    slugs = [t.slug for t in taxonomy.topics]
    reports = []
    for method, suggester in suggesters(taxonomy, analyzer).items():
        for part, entries in [*groups, ("all", labelled)]:
            reports.append(labelled_run(part, method, suggester, training, entries, slugs))
    return reports
