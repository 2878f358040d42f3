"""Stats → the /stats/ page: for every breakdown an inline SVG bar chart and the same numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Callable

from .. import paths
from ..model import Corpus
from ..structure.stats import Count, Stats, compute_stats
from .escape import Markdown
from .stats_svg import bar_chart

Render = Callable[..., str]  # Renderer._render: its templates escape every printed string (escape.finalize)


def _target(section: str, c: Count) -> str:
    """The page a row links to, or "" (a status, or a "not given" row, has no page of its own)."""
    if not c.key:
        return ""
    return {"year": paths.year(int(c.key)) if section == "year" and c.count else "",
            "topic": paths.topic(c.key), "community": paths.community(c.key),
            "method": paths.method(c.key)}.get(section, "")


def stats_page(corpus: Corpus, render: Render, stats: Stats | None = None) -> str:
    s = stats or compute_stats(corpus)
    sections = []
    for key, title, counts in (("year", "按年份", s.by_year), ("status", "按办理状态", s.by_status),
                               ("topic", "按主题", s.by_topic), ("community", "按社区", s.by_community),
                               ("method", "按工作法", s.by_method)):
        rows = [(c.label, c.count, _target(key, c)) for c in counts]
        # bar_chart escapes its labels for XML itself; the page's sanitiser keeps only inert SVG shapes and text
        chart = Markdown(bar_chart([(c.label, c.count) for c in counts], title=f"{title}的日记篇数"))
        sections.append((key, title, chart, rows))
    communities = sum(1 for c in s.by_community if c.key)
    return render("stats.md.j2", paths.STATS, s=s, sections=sections, communities=communities,
                  topic_year=[(t.name, paths.topic(t.slug), t.counts, t.total) for t in s.topic_year],
                  open_matters=[(m, m.thread_title or m.title,
                                 paths.case(m.thread_id) if m.thread_id else paths.entry(m.entry_id),
                                 m.title, m.community) for m in s.open_matters])
