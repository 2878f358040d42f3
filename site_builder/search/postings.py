"""Per-entry index terms and their weights, computed once and shared by the browser index and Whoosh."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
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
    body = Counter(analyzer.tokens("\n".join(p for p in (plain_text(e.body), e.case, *e.topic_words) if p)))
    tf = {t: TITLE_BOOST * title.get(t, 0) + body.get(t, 0) for t in title.keys() | body.keys()}
    norm = K1 * (1 - B + B * sum(tf.values()) / TYPICAL_LENGTH)
    weights = {t: max(1, math.floor(f * (K1 + 1) / (f + norm) / (K1 + 1) * LEVELS + 0.5)) for t, f in tf.items()}
    for slug in e.all_topics:
        weights[TOPIC_PREFIX + slug] = TOPIC_LEVEL
    return weights


def doc_terms(entries: Iterable[Entry], analyzer: Analyzer) -> list[DocTerms]:
    return [DocTerms(i, entry_weights(e, analyzer)) for i, e in enumerate(entries)]
