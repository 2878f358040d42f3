"""Related cases (issue #12 item 1): the pure ranking over hand-made terms, and the cards on the built entry pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import pytest
from conftest import Build

from site_builder.model import Corpus, Entry, Taxonomy
from site_builder.structure.related import MAX_RELATED, related_cases


def _entry(i: int, *, case: str = "", topics: tuple[str, ...] = ()) -> Entry:
    return Entry(id=f"e{i:02d}", date=dt.date(2020, 1, 1) + dt.timedelta(days=i), title=f"第{i}篇", body="正文",
                 source=Path(f"/d/e{i:02d}.md"), rel_source=f"e{i:02d}.md", body_line=5, case=case, topics=topics)


def test_related_ranks_by_shared_problem_words_and_leaves_out_the_thread() -> None:
    # 0–3 are about a building the property company left; 1 and 2 are one thread; 4–7 are about flooding;
    # 8–11 share nothing with anyone but the filler word every entry has (df too high to count)
    wuye = {"物业": 3.0, "弃管": 3.0, "业委会": 2.0}
    flood = {"防汛": 3.0, "沙袋": 2.0, "积水": 2.0}
    terms: list[dict[str, float]] = [
        {**wuye, "居民": 1.0}, {**wuye, "垃圾": 1.0, "居民": 1.0}, {**wuye, "垃圾": 1.0, "居民": 1.0},
        {"物业": 2.0, "弃管": 1.0, "居民": 1.0},
        {**flood, "居民": 1.0}, {**flood, "居民": 1.0}, {**flood, "转移": 1.0, "居民": 1.0},
        {"防汛": 1.0, "转移": 2.0, "居民": 1.0},
    ] + [{f"独有{i}": 2.0, "居民": 1.0} for i in range(8, 12)]
    entries = [_entry(i, case="弃管楼" if i in (1, 2) else "") for i in range(12)]
    corpus = Corpus(tuple(entries), Taxonomy((), ()))
    related = related_cases(corpus, terms)

    assert set(related) == {e.id for e in entries}
    assert related["e00"][:1] in (("e01",), ("e02",))  # the closest text first
    # one entry per other thread: 1 and 2 are the same matter, entry 0 gets only one of them
    assert len({"e01", "e02"} & set(related["e00"])) == 1
    assert set(related["e00"]) <= {"e01", "e02", "e03"}
    # the same thread is never "related": it has its own list on the page
    assert "e02" not in related["e01"] and "e01" not in related["e02"]
    assert set(related["e05"]) == {"e04", "e06", "e07"}
    # nothing in common but a word in every entry: no related entries rather than arbitrary ones
    assert all(related[f"e{i:02d}"] == () for i in range(8, 12))
    assert all(len(v) <= MAX_RELATED and e not in v for e, v in related.items())


@pytest.mark.parametrize("many_topics", [False, True])
def test_a_shared_topic_fills_up_an_entry_with_few_close_texts(many_topics: bool) -> None:
    # 0, 1 and 2 share the word 漏水 only weakly (far below the text threshold); 0 and 1 were filed under one topic,
    # so 1 fills up 0's list; 2 shares no topic with them and gets only its one close text. With 70 topics in use,
    # theirs is past the first 64 (topics are bit sets of 64 a word)
    terms: list[dict[str, float]] = [{"屋顶": 3.0, "漏水": 0.3}, {"楼道": 3.0, "漏水": 0.3}, {"车棚": 3.0, "漏水": 0.3},
                                     {"停车": 3.0}, {"停车": 3.0}, {"屋顶": 3.0}, {"楼道": 3.0}, {"车棚": 3.0}]
    shared = "t69" if many_topics else "weixiu"
    others = [tuple(f"t{k:02d}" for k in range(i, 69, 6)) if many_topics else () for i in range(6)]
    entries = [_entry(i, topics=(shared,) if i < 2 else others[i - 2]) for i in range(8)]
    related = related_cases(Corpus(tuple(entries), Taxonomy((), ())), terms)
    assert related["e00"] == ("e05", "e01")
    assert related["e01"] == ("e06", "e00")
    assert related["e02"] == ("e07",)
    assert related["e03"] == ("e04",)


def _article(page: str) -> lxml.html.HtmlElement:
    found = lxml.html.fromstring(page).xpath('//article[contains(@class, "md-content__inner")]')
    assert found, "no article"
    return found[0]


def test_every_sample_entry_page_shows_related_case_cards(sample_site: Build) -> None:
    pages = sorted((sample_site.site / "entries").glob("*.html"))
    assert len(pages) > 400
    counts = []
    for page in pages:
        article = _article(page.read_text(encoding="utf-8"))
        sections = article.xpath('.//div[contains(@class, "diary-related")]')
        assert len(sections) == 1, page.name
        cards = sections[0].xpath('.//div[@class="diary-case"]')
        counts.append(len(cards))
        thread_links = {a.get("href") for a in article.xpath('.//div[contains(@class, "diary-thread")]//a')}
        for card in cards:
            (link,) = card.xpath('.//p[contains(@class, "diary-case__title")]//a')
            href = link.get("href")
            assert href != page.name and (page.parent / href).is_file(), (page.name, href)
            assert href not in thread_links  # the thread's neighbours are listed in the thread section only
            assert link.text_content().strip()
            assert card.xpath('.//p[contains(@class, "diary-case__meta")]')
    assert max(counts) <= MAX_RELATED
    # the sample diaries give every entry 3–5 (measured on all of them)
    assert sum(3 <= n <= 5 for n in counts) >= 0.95 * len(counts)


def test_equal_scores_at_the_candidate_cut_are_all_kept() -> None:
    # entry 0 and 44 others share one word equally: more ties than CANDIDATES. The list must not depend on the
    # order the product lists them in (it did when the cut took the first 40 of them): the smallest ids win
    shared = [{"积水": 3.0, f"独有{i}": 0.0} for i in range(45)]
    others = [{f"别的{i}": 1.0} for i in range(45, 120)]  # one entry each: df 1, never a candidate
    entries = [_entry(i) for i in range(120)]
    order = [0, *range(44, 0, -1), *range(45, 120)]  # the smallest ids last in the matrix
    terms = shared + others
    corpus = Corpus(tuple(entries[i] for i in order), Taxonomy((), ()))
    related = related_cases(corpus, [terms[i] for i in order])
    assert related["e00"] == ("e01", "e02", "e03", "e04", "e05")
    assert related["e44"] == ("e00", "e01", "e02", "e03", "e04")
