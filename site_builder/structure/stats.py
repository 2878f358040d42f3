"""Corpus → Stats: the numbers of the /stats/ page and of `diary stats`, computed once here so both always agree.

Only the corpus' public entries are counted: private entries and entries held back for personal data are dropped by
load_corpus() before anything here sees them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..corpus.fields import STATUSES
from ..model import Corpus, Entry
from .communities import build_communities

NO_STATUS = "未注明"
NO_TOPIC = "未分主题"
NO_COMMUNITY = "未写社区"
FOLLOWING = "跟进中"


@dataclass(frozen=True)
class Count:
    key: str  # what the row is about: a year, a slug, a status; "" for the "not given" rows
    label: str
    count: int


@dataclass(frozen=True)
class TopicYears:
    slug: str
    name: str
    counts: tuple[int, ...]  # one per Stats.years

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class OpenMatter:
    """A matter whose latest entry is still 跟进中: nothing has been written about it since."""

    entry_id: str  # the latest entry
    title: str
    date: dt.date
    community: str
    thread_id: str = ""  # "" for an entry that is no thread
    thread_title: str = ""
    thread_size: int = 1


@dataclass(frozen=True)
class Stats:
    total: int
    years: tuple[int, ...]  # every year from the first to the last entry, gaps included (a chart must show them)
    by_year: tuple[Count, ...]
    by_topic: tuple[Count, ...]  # an entry with two topics counts in both
    by_community: tuple[Count, ...]
    by_method: tuple[Count, ...]  # methods in methods.yml; an entry with two methods counts in both
    by_status: tuple[Count, ...]
    topic_year: tuple[TopicYears, ...]
    open_matters: tuple[OpenMatter, ...]  # oldest first: the ones waiting longest

    def as_json(self) -> dict[str, object]:
        def rows(counts: tuple[Count, ...]) -> list[dict[str, object]]:
            return [{"key": c.key, "label": c.label, "count": c.count} for c in counts]

        return {
            "total": self.total, "years": list(self.years),
            "by_year": rows(self.by_year), "by_topic": rows(self.by_topic), "by_community": rows(self.by_community),
            "by_method": rows(self.by_method), "by_status": rows(self.by_status),
            "topic_year": [{"slug": t.slug, "name": t.name, "counts": list(t.counts)} for t in self.topic_year],
            "open_matters": [{"entry": m.entry_id, "title": m.title, "date": m.date.isoformat(),
                              "community": m.community, "thread": m.thread_id, "thread_title": m.thread_title,
                              "entries": m.thread_size} for m in self.open_matters],
        }


def _ranked(counter: Counter[str], labels: dict[str, str]) -> tuple[Count, ...]:
    return tuple(Count(k, labels[k], n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], labels[kv[0]])))


def _open_matters(corpus: Corpus) -> tuple[OpenMatter, ...]:
    found: list[OpenMatter] = []
    for t in corpus.threads():
        last = t.entries[-1]
        if last.status == FOLLOWING:
            found.append(OpenMatter(last.id, last.title, last.date, last.community, t.id, t.title, len(t.entries)))
    for e in corpus.entries:
        if e.status == FOLLOWING and corpus.thread_of(e) is None:
            found.append(OpenMatter(e.id, e.title, e.date, e.community))
    return tuple(sorted(found, key=lambda m: (m.date, m.entry_id)))


def _extra(rows: tuple[Count, ...], label: str, n: int) -> tuple[Count, ...]:
    return rows + ((Count("", label, n),) if n else ())


def compute_stats(corpus: Corpus) -> Stats:
    entries: tuple[Entry, ...] = corpus.entries
    tax = corpus.taxonomy
    present = corpus.years()
    years = tuple(range(present[0], present[-1] + 1)) if present else ()
    per_year = Counter(e.year for e in entries)

    topic_names = {t.slug: t.name for t in tax.topics}
    per_topic = Counter(s for e in entries for s in e.all_topics if s in topic_names)
    untopiced = sum(1 for e in entries if not any(s in topic_names for s in e.all_topics))

    communities = build_communities(entries)
    uncommunitied = sum(1 for e in entries if not e.community)

    method_names = {m.slug: m.name for m in tax.methods}
    per_method = Counter(s for e in entries for s in e.methods if s in method_names)

    per_status = Counter(e.status for e in entries)
    cells = Counter((s, e.year) for e in entries for s in e.all_topics if s in topic_names)
    topic_year = tuple(TopicYears(t.slug, t.name, tuple(cells[t.slug, y] for y in years))
                       for t in tax.topics if per_topic[t.slug])
    return Stats(
        total=len(entries), years=years,
        by_year=tuple(Count(str(y), f"{y}年", per_year[y]) for y in years),
        by_topic=_extra(_ranked(per_topic, topic_names), NO_TOPIC, untopiced),
        by_community=_extra(tuple(Count(c.slug, c.name, len(c.entries)) for c in communities), NO_COMMUNITY,
                            uncommunitied),
        by_method=_ranked(per_method, method_names),
        by_status=_extra(tuple(Count(s, s, per_status[s]) for s in STATUSES), NO_STATUS, per_status[""]),
        topic_year=tuple(sorted(topic_year, key=lambda t: (-t.total, t.name))),
        open_matters=_open_matters(corpus),
    )
