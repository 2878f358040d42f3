"""The repository's sample diaries: what the foundation issue promises about them, checked on the real build."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
from site_builder.text.fold import fold

REPO = Path(__file__).resolve().parents[1]


def corpus():  # type: ignore[no-untyped-def]
    c, problems = load_corpus(Settings(REPO / "diaries", REPO / ".cache" / "diary"))
    return c, problems


def test_sample_diaries_are_clean_and_varied():
    c, problems = corpus()
    assert [p.format() for p in problems] == []
    entries = c.entries
    assert len(entries) >= 100
    assert sum(e.traditional for e in entries) / len(entries) >= 0.35
    assert len(c.communities()) >= 5 and len({e.author for e in entries if e.author}) >= 5
    years = {e.year for e in entries}
    assert min(years) <= 2002 and max(years) >= 2021
    long_threads = [t for t in c.threads() if len(t.entries) >= 3]
    assert len(long_threads) >= 5
    without_topics = [e for e in entries if not e.topics]
    # enough untagged entries to show suggested topics, while most are hand-tagged (they teach the tagger)
    assert len(without_topics) >= 20 and len(without_topics) / len(entries) <= 0.35
    text = fold("".join(e.body for e in entries))
    for word in ("马葫芦", "跑水", "牛皮癣", "弃管楼"):  # dialect the search and the glossary must know
        assert word in text, word


def test_no_personal_numbers_in_samples():
    c, _ = corpus()
    for e in c.entries:
        assert not re.search(r"1[3-9]\d{9}", e.body), e.id
        assert not re.search(r"\d+号楼\d+单元|\d+室", e.body), e.id


def test_every_entry_is_reachable_from_a_topic_year_or_thread_page(sample_site):
    c, _ = corpus()
    linked: Counter[str] = Counter()
    for folder in ("topics", "years", "cases"):
        for page in (sample_site.site / folder).glob("*.html"):
            linked.update(re.findall(r'href="\.\./entries/([^"#]+)\.html"', page.read_text(encoding="utf-8")))
    missing = [e.id for e in c.entries if e.id not in linked]
    assert missing == []
    # and every entry page was written
    assert len(list((sample_site.site / "entries").glob("*.html"))) == len(c.entries)
