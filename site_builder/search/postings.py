"""Per-entry index terms and their weights, computed once and shared by the browser index and Whoosh."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Entry
from ..text.analyzer import Analyzer
from ..text.query import TOPIC_PREFIX

# BM25 with weak length normalisation: a diary entry is short either way, and a page that keeps coming back to a
# problem (in the title and several times in the text) teaches more than a one-line note that names it once. Chosen
# on the benchmark corpus's planted pages (benchmarks/README.md): b = 0.3 and a title boost of 2 put a planted page
# in the top 5 for all 7 queries, b = 0.75 for 5.
K1, B = 1.2, 0.3
# Length normalisation against a fixed typical entry length (index terms of a sample diary entry, title counted
# twice), not the corpus average: an entry's weights then depend on that entry alone, so the incremental Whoosh
# update gives exactly the index a fresh build gives, and the browser index matches it term for term.
TYPICAL_LENGTH = 260
TITLE_BOOST = 2  # a word in the title counts as two in the body
LEVELS = 31  # term weights are stored in 5 bits in the browser index
# A topic tag ("#slug", see text/query.py) weighs as a word the entry mentions a few times.
TOPIC_LEVEL = 20
TEXT_LIMIT = 1200  # characters of body text kept for snippets (browser index and Whoosh alike)
_MARKUP = re.compile(r"[#*_`>|]|\[([^\]]*)\]\([^)]*\)")
_SECTION = re.compile(r"【\s*([^】]{1,8}?)\s*】")


def plain_text(markdown: str) -> str:
    """Body text for snippets: Markdown marks and link targets removed, 【情况】 shown as 情况：, lines joined."""
    text = _SECTION.sub(r"\1：", _MARKUP.sub(lambda m: m.group(1) or "", markdown))
    return re.sub(r"\s*\n\s*", " ", text).strip()


def index_text(e: Entry) -> str:
    """The text entry_weights segments besides the title: the body as plain text, the case's name, her topic words."""
    return "\n".join(p for p in (plain_text(e.body), e.case, *e.topic_words) if p)


def segmented_texts(entries: Iterable[Entry]) -> Iterator[str]:
    """Every text a build segments for these entries: the tagger's (title, plain body) and the index's."""
    for e in entries:
        yield e.title
        yield plain_text(e.body)
        if e.case or e.topic_words:
            yield index_text(e)


@dataclass(frozen=True)
class DocTerms:
    doc: int  # position in corpus.entries
    weights: dict[str, int]  # term → quantised BM25 tf weight, 1..LEVELS


def entry_weights(e: Entry, analyzer: Analyzer) -> dict[str, int]:
    """Index term → level 1..LEVELS for one entry: BM25's tf part, the title boosted, topic tags as "#slug".

    The terms depend on this entry alone (see TYPICAL_LENGTH), so an index can be updated one file at a time."""
    title = Counter(analyzer.tokens(e.title))
    # What the secretary wrote about the entry counts as its text: the case's name (every entry of the thread
    # "铁道边没人管的楼" is about a building nobody manages, whatever words it uses that day) and topics she named
    # that are not in topics.yml (暖气, 防汛)
    # (only the parts written: most entries have neither, and then the text is exactly the one the tagger has
    # segmented already, so the analyzer's memo answers instead of segmenting every body twice)
    body = Counter(analyzer.tokens(index_text(e)))
    tf = {t: TITLE_BOOST * title.get(t, 0) + body.get(t, 0) for t in title.keys() | body.keys()}
    norm = K1 * (1 - B + B * sum(tf.values()) / TYPICAL_LENGTH)
    weights = {t: max(1, math.floor(f * (K1 + 1) / (f + norm) / (K1 + 1) * LEVELS + 0.5)) for t, f in tf.items()}
    for slug in e.all_topics:
        weights[TOPIC_PREFIX + slug] = TOPIC_LEVEL
    return weights


def doc_terms(entries: Iterable[Entry], analyzer: Analyzer) -> list[DocTerms]:
    return [DocTerms(i, entry_weights(e, analyzer)) for i, e in enumerate(entries)]


def weights_source(e: Entry) -> tuple[object, ...]:
    """Everything entry_weights reads from an entry (the analyzer aside): equal sources give equal weights."""
    return e.title, e.body, e.case, e.topic_words, e.all_topics


class TermsMemo:
    """Each entry's weights as the last build weighed them, for a server that builds again after every save: a
    save re-weighs the entries whose text or topics changed, not all of them. One analyzer's: another analyzer
    (a saved userdict.txt or topics.yml) segments differently, so the memo starts anew. Holds only the entries of
    the last build (a `mkdocs build` has no next build and does not keep one)."""

    def __init__(self) -> None:
        self._version = ""
        self._weights: dict[tuple[object, ...], dict[str, int]] = {}

    def doc_terms(self, entries: Iterable[Entry], analyzer: Analyzer) -> list[DocTerms]:
        known = self._weights if self._version == analyzer.version else {}
        current: dict[tuple[object, ...], dict[str, int]] = {}
        out = []
        for i, e in enumerate(entries):
            source = weights_source(e)
            weights = known.get(source)
            if weights is None:
                weights = entry_weights(e, analyzer)
            current[source] = weights
            out.append(DocTerms(i, weights))
        self._version, self._weights = analyzer.version, current
        return out
