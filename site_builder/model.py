"""Typed, immutable records that flow between the pipeline stages. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
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
    case: str = ""  # thread id
    status: str = ""
    visibility: str = "public"
    traditional: bool = False  # written mainly in Traditional script
    imported_from: str = ""
    allow: tuple[str, ...] = ()  # personal data this entry may publish as written: kinds (电话) or exact texts
    title_line: int = 0  # 1-based line of the title in the file; 0 when unknown

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

    id: str
    entries: tuple[Entry, ...]  # sorted by date

    @property
    def title(self) -> str:
        return self.entries[0].title


@dataclass(frozen=True)
class Corpus:
    entries: tuple[Entry, ...]  # public entries, sorted by (date, id)
    taxonomy: Taxonomy
    private_count: int = 0  # private entries are dropped at load time; only their number is kept, never shown
    by_id: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.id: e for e in self.entries})

    def with_topic(self, slug: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if slug in e.all_topics)

    def with_method(self, slug: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if slug in e.methods)

    def years(self) -> tuple[int, ...]:
        return tuple(sorted({e.year for e in self.entries}))

    def in_year(self, year: int) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.year == year)

    def threads(self) -> tuple[Thread, ...]:
        groups: dict[str, list[Entry]] = {}
        for e in self.entries:
            if e.case:
                groups.setdefault(e.case, []).append(e)
        return tuple(Thread(k, tuple(v)) for k, v in sorted(groups.items()))

    def communities(self) -> tuple[str, ...]:
        return tuple(sorted({e.community for e in self.entries if e.community}))


@dataclass(frozen=True)
class Settings:
    """Where things are. Built by the adapters (plugin, CLI) from their own configuration."""

    diaries_dir: Path
    cache_dir: Path
