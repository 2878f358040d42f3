"""Typed, immutable records that flow between the pipeline stages. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    traditional: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    # ambiguous word → words that must stand near it for it to count as evidence for this topic
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Method:
    slug: str
    name: str
    who: str = ""
    where: str = ""
    what: str = ""
    topics: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # what secretaries call it in their diaries (坝坝会, 三长制)


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    slug: str
    meaning: str
    region: str = ""
    topic: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """topics.yml + methods.yml, plus the search vocabulary declared beside them."""

    topics: tuple[Topic, ...]
    methods: tuple[Method, ...]
    # canonical term -> variants; a query naming any of them searches for all of them
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # question filler dropped from queries (怎么办, 咋整 …)
    filler: tuple[str, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()

    def topic(self, slug: str) -> Topic:
        return next(t for t in self.topics if t.slug == slug)

    def method(self, slug: str) -> Method:
        return next(m for m in self.methods if m.slug == slug)


@dataclass(frozen=True)
class Section:
    """One recognised section of an entry body (情况 / 做法 / 成效 / 体会)."""

    kind: str  # situation | action | result | reflection
    heading: str  # as written, in the entry's own script
    text: str


@dataclass(frozen=True)
class Entry:
    id: str  # stable ASCII id, also the URL slug
    date: dt.date
    title: str
    body: str  # Markdown, as written (own script)
    source: Path  # absolute path of the file
    rel_source: str  # path relative to the diaries folder, with forward slashes
    body_line: int  # 1-based line of the first body line in the file
    author: str = ""
    community: str = ""
    # front-matter field → its 1-based line in the file (author, community, case, id …), for the privacy messages
    field_lines: tuple[tuple[str, int], ...] = ()
    topics: tuple[str, ...] = ()  # topic slugs given explicitly
    suggested_topics: tuple[str, ...] = ()  # topic slugs suggested by the tagger (only when topics is empty)
    methods: tuple[str, ...] = ()  # method slugs
    case: str = ""  # the matter's name as written (any script, or an ASCII id); threads.py groups and names it
    status: str = ""
    visibility: str = "public"
    traditional: bool = False  # written mainly in Traditional script
    imported_from: str = ""
    allow: tuple[str, ...] = ()  # personal data this entry may publish as written: kinds (电话) or exact texts
    title_line: int = 0  # 1-based line of the title in the file; 0 when unknown
    topic_words: tuple[str, ...] = ()  # topics as written that are not in topics.yml (暖气, 防汛): tagger evidence
    unlisted_methods: tuple[str, ...] = ()  # methods as written that are not in methods.yml, shown as written
    discussion: tuple[str, ...] = ()  # 讨论: questions for a class (issue #12 item 3)
    takeaways: tuple[str, ...] = ()  # 要点: what a trainee should learn from it
    # the path as the secretary knows it (diaries/2020/0305.md, from the folder holding her diaries folder, whatever
    # its name): every message about this entry names it so, from the reader to the privacy guard and the CLI
    display: str = ""

    @property
    def where(self) -> str:
        """The path a message names: `display`, or the path inside diaries/ for an entry made outside the reader."""
        return self.display or self.rel_source

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def all_topics(self) -> tuple[str, ...]:
        """Explicit topics win; suggestions only fill an entry that has none."""
        return self.topics or self.suggested_topics


@dataclass(frozen=True)
class Thread:
    """One matter followed across dated entries (front matter `case`)."""

    id: str  # ASCII URL slug (threads.build_threads)
    entries: tuple[Entry, ...]  # sorted by date
    name: str = ""  # the matter's name as the secretary wrote it; empty for an ASCII id

    @property
    def title(self) -> str:
        """A Chinese name is the title; an ASCII id is no title for a reader, so the first entry's is used."""
        return self.name or self.entries[0].title


@dataclass(frozen=True)
class PathStep:
    """One step of a learning path: an entry, a thread, or a topic's 推荐先读 (issue #12 item 2)."""

    kind: str  # entry | thread | topic
    ref: str  # entry id, thread id or topic slug (the page it links to)
    title: str  # as the path page names the step
    entries: tuple[Entry, ...]  # public entries only, in reading order
    questions: tuple[str, ...] = ()  # discussion questions for this step
    note: str = ""  # what the trainer says about it


@dataclass(frozen=True)
class LearningPath:
    """A course the college curates in diaries/paths.yml."""

    slug: str  # ASCII URL part
    title: str
    audience: tuple[str, ...] = ()  # 新入职 / 网格员 / 书记
    goals: tuple[str, ...] = ()
    steps: tuple[PathStep, ...] = ()


@dataclass(frozen=True)
class Corpus:
    entries: tuple[Entry, ...]  # public entries, sorted by (date, id)
    taxonomy: Taxonomy
    curriculum: tuple[LearningPath, ...] = ()  # diaries/paths.yml, resolved against the public entries
    by_id: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.id: e for e in self.entries})

    def with_topic(self, slug: str) -> tuple[Entry, ...]:
        return self._grouped[0].get(slug, ())

    def with_method(self, slug: str) -> tuple[Entry, ...]:
        return self._grouped[1].get(slug, ())

    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._grouped[2]))

    def in_year(self, year: int) -> tuple[Entry, ...]:
        return self._grouped[2].get(year, ())

    def recommended(self, slug: str) -> tuple[Entry, ...]:
        """A topic's 推荐先读 (structure/recommend.py), chosen once per corpus: its topic page and its handout show
        the same entries, and scoring each entry's text twice was a noticeable part of a save while serving."""
        found = self._recommended.get(slug)
        if found is None:
            from .structure.recommend import recommended_first  # late import: it reads the case card

            found = self._recommended[slug] = tuple(recommended_first(self.with_topic(slug)))
        return found

    @cached_property
    def _recommended(self) -> dict[str, tuple[Entry, ...]]:
        return {}

    @cached_property
    def _grouped(self) -> tuple[dict[str, tuple[Entry, ...]], dict[str, tuple[Entry, ...]],
                                dict[int, tuple[Entry, ...]]]:
        """The entries by topic, method and year, in corpus order: every topic, handout, year and home page asks,
        and scanning all entries for each (30 topics, twice) was a noticeable part of a 100,000-entry build."""
        topics: dict[str, list[Entry]] = {}
        methods: dict[str, list[Entry]] = {}
        years: dict[int, list[Entry]] = {}
        for e in self.entries:
            for slug in dict.fromkeys(e.all_topics):
                topics.setdefault(slug, []).append(e)
            for slug in dict.fromkeys(e.methods):
                methods.setdefault(slug, []).append(e)
            years.setdefault(e.year, []).append(e)
        return ({k: tuple(v) for k, v in topics.items()}, {k: tuple(v) for k, v in methods.items()},
                {k: tuple(v) for k, v in years.items()})

    @cached_property
    def _threads(self) -> tuple[tuple[Thread, ...], dict[str, Thread]]:
        from .structure.threads import build_threads  # late import: model stays free of pypinyin

        threads = build_threads(self.entries)
        return threads, {e.id: t for t in threads for e in t.entries}

    def threads(self) -> tuple[Thread, ...]:
        """Case threads, oldest matter first; names that fold to the same text are one thread."""
        return self._threads[0]

    def thread_of(self, entry: Entry) -> Thread | None:
        return self._threads[1].get(entry.id)

    def communities(self) -> tuple[str, ...]:
        """One name per community (園輝社區 and 园辉社区 are one: structure/communities.py), sorted; the search
        filter, the home page and /communities/ count them alike. `community_index` maps an entry to its position."""
        return self._communities[0]

    def community_index(self, entry: Entry) -> int:
        """The entry's community's position in `communities()`, or -1 when it names none."""
        return self._communities[1].get(entry.id, -1)

    @cached_property
    def _communities(self) -> tuple[tuple[str, ...], dict[str, int]]:
        from .structure.communities import build_communities  # late import: model stays free of pypinyin

        found = sorted(build_communities(self.entries), key=lambda c: c.name)
        return tuple(c.name for c in found), {e.id: i for i, c in enumerate(found) for e in c.entries}


@dataclass(frozen=True)
class Settings:
    """Where things are. Built by the adapters (plugin, CLI) from their own configuration."""

    diaries_dir: Path
    cache_dir: Path
