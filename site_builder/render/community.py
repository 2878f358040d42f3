"""Communities → /communities/ and one page per community: its entries by year, its case threads, its methods."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from itertools import groupby

from .. import paths
from ..model import Corpus, Thread
from ..structure.communities import Community, build_communities, community_key

Render = Callable[..., str]  # Renderer._render: its templates escape every printed string (escape.finalize)


def _span(years: tuple[int, ...]) -> str:
    return f"{years[0]}年" if years[0] == years[-1] else f"{years[0]}—{years[-1]}年"


def community_page(corpus: Corpus, c: Community, render: Render) -> str:
    tax = corpus.taxonomy
    key = community_key(c.name)
    threads: list[Thread] = [t for t in corpus.threads() if any(community_key(e.community) == key for e in t.entries)]
    methods = Counter(s for e in c.entries for s in e.methods)
    topics = Counter(s for e in c.entries for s in e.all_topics)
    by_year = [(y, list(es)) for y, es in
               groupby(sorted(c.entries, key=lambda e: (-e.year, e.date, e.id)), key=lambda e: e.year)]
    return render(
        "community.md.j2", paths.community(c.slug), name=c.name, total=len(c.entries), span=_span(c.years),
        by_year=by_year,
        per_year="、".join(f"{y}年 {len(es)} 篇" for y, es in by_year) + "。" if len(by_year) > 1 else "",
        threads=[(t.title, t.id, len(t.entries), _span((t.entries[0].year, t.entries[-1].year)),
                  t.entries[-1].status) for t in threads],
        methods=[(m, methods[m.slug]) for m in sorted(tax.methods, key=lambda m: -methods[m.slug])
                 if methods[m.slug]],
        topics=[(t, topics[t.slug]) for t in sorted(tax.topics, key=lambda t: -topics[t.slug]) if topics[t.slug]][:8])


def community_pages(corpus: Corpus, render: Render,
                    item: Callable[[str, str, str], object]) -> Iterator[tuple[str, str]]:
    """Every community page, then the index; `item(label, src, note)` makes the index rows (pages.ListItem)."""
    communities = build_communities(corpus.entries)
    items = []
    for c in communities:
        src = paths.community(c.slug)
        yield src, community_page(corpus, c, render)
        items.append(item(c.name, src, f"{len(c.entries)} 篇 · {_span(c.years)}"))
    lead = "每个社区的日记按年份排列，还有它跟过的案例线索和用过的工作法。"
    yield paths.COMMUNITIES, render("list.md.j2", paths.COMMUNITIES, title="社区", lead=lead, items=items)
