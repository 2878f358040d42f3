"""Everything one build may reuse from the builds before it, in one object its owner creates and passes on.

The plugin makes one per MkDocs process (`mkdocs serve` rebuilds after every save with it); each `diary` command
makes its own, with the parts worth keeping between commands on disk (`BuildCache.on_disk`). Nothing here is a
module global, so a test or a second project in the same process never sees another's state. What is cached, keyed
by what, and how it is invalidated (CONTRIBUTING.md, "Caches"):

- `load`: the files read (path + size + mtime_ns), the taxonomy (its files' stamps) and the privacy verdicts
  (entry + people.yml) — corpus.load.LoadCache;
- `analyzer()`: one Analyzer per taxonomy and userdict.txt content; it memoises every text's segmentation, so the
  tagger, related cases and both search indexes segment each text once per build and once per saved file; on disk
  (`on_disk`) the terms are also kept for the next process (text/analyzer.StoredTerms);
- `tagger()`: the trained tagger per training key (tagging/store.py: the analyzer, taxonomy, hand-tagged entries,
  code), itself also on disk, with its per-text scores;
- `page_memo()`: the renderer's memo of pages (render.pages.PageMemo), per taxonomy;
- `doc_terms()`: every entry's index terms and weights (search.postings), shared by related cases and the browser
  index; in memory only (a server's cache), each entry's weights are kept for the next build (postings.TermsMemo),
  and `encoded_postings`, each term's postings as the browser index last encoded them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .corpus.load import LoadCache
from .model import Entry, Settings, Taxonomy
from .search.postings import DocTerms, TermsMemo, doc_terms
from .text.analyzer import Analyzer

if TYPE_CHECKING:
    from .render.pages import PageMemo
    from .tagging.tagger import Tagger

KEEP_ANALYZERS = 2  # the current dictionary and the one before (a taxonomy edit undone is still warm)
KEEP_TAGGERS = 2


class BuildCache:
    def __init__(self, load: LoadCache | None = None, *, disk: bool = False) -> None:
        self.load = load if load is not None else LoadCache()
        self._disk = disk  # analyzers keep their terms on disk too
        self._analyzers: dict[tuple[Taxonomy, str, Path], Analyzer] = {}
        self._taggers: dict[object, Tagger] = {}
        self._pages: tuple[Taxonomy, PageMemo] | None = None
        # a command's process ends after one build: there, keeping every entry's weights would only cost memory
        self._terms = None if disk else TermsMemo()
        # the browser index's encoded postings per term (search.static_index.write_static_index), likewise
        self.encoded_postings: dict[str, tuple[list[tuple[int, int]], str]] | None = None if disk else {}

    @classmethod
    def on_disk(cls, cache_dir: Path) -> BuildCache:
        """For a CLI command: the loaded files as the last command left them (see LoadCache.on_disk); `save()`."""
        return cls(LoadCache.on_disk(cache_dir), disk=True)

    def save(self) -> None:
        self.load.save()
        for analyzer in self._analyzers.values():
            analyzer.save_terms()

    def analyzer(self, taxonomy: Taxonomy, settings: Settings) -> Analyzer:
        """The analyzer of this taxonomy and userdict.txt (by content: a saved dictionary is a new analyzer)."""
        userdict = settings.diaries_dir / "userdict.txt"
        digest = hashlib.sha1(userdict.read_bytes(), usedforsecurity=False).hexdigest() if userdict.is_file() else ""
        key = (taxonomy, digest, settings.cache_dir)
        found = self._analyzers.pop(key, None)
        if found is None:
            found = Analyzer(taxonomy, userdict, settings.cache_dir)
            if self._disk:
                found.keep_on_disk(settings.cache_dir)
        self._analyzers[key] = found  # most recent last
        while len(self._analyzers) > KEEP_ANALYZERS:
            self._analyzers.pop(next(iter(self._analyzers)))
        return found

    def page_memo(self, taxonomy: Taxonomy) -> PageMemo:
        """The renderer's memo of pages (render.pages.PageMemo), new when the taxonomy changes: topic names and
        links on every page come from it."""
        from .render.pages import PageMemo  # late: rendering is the plugin's, not every command's

        if self._pages is None or self._pages[0] != taxonomy:
            self._pages = (taxonomy, PageMemo())
        return self._pages[1]

    def doc_terms(self, entries: Sequence[Entry], analyzer: Analyzer) -> list[DocTerms]:
        """The index terms of `entries` (search.postings.doc_terms), re-weighing only what changed since the last
        call when this cache lives in memory."""
        return doc_terms(entries, analyzer) if self._terms is None else self._terms.doc_terms(entries, analyzer)

    def tagger(self, key: object, make: Callable[[], Tagger]) -> Tagger:
        """The tagger memoised under `key` (made by `make` when missing), with the suggestions it already made."""
        found = self._taggers.pop(key, None)
        if found is None:
            found = make()
        self._taggers[key] = found
        while len(self._taggers) > KEEP_TAGGERS:
            self._taggers.pop(next(iter(self._taggers)))
        return found
