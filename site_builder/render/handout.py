"""Printable handouts (讲义, issue #12 item 4): a thread, a topic's 推荐先读 or a learning path as one page with the
full text of every case (card, body, teaching notes, the path's questions), a cover line, and a page break before
each case when printed (diary.css). The 打印 / 存为 PDF button is added by assets/diary-handout.js: the sanitiser
lets no button or handler through, and a page that cannot run scripts still prints from the browser's menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import paths
from ..model import Corpus, Entry
from ..structure.recommend import RECOMMENDED
from .card import case_card, lay_out_body
from .escape import Markdown

Render = Callable[..., str]


@dataclass(frozen=True)
class HandoutCase:
    entry: Entry
    card: Markdown  # case_card escapes what it quotes
    body: Markdown  # the entry's own Markdown, sanitised as HTML with the page
    questions: tuple[str, ...] = ()  # the path step's questions, besides the entry's own 讨论


def _cases(entries: tuple[Entry, ...], questions: tuple[str, ...] = ()) -> list[HandoutCase]:
    return [HandoutCase(e, Markdown(case_card(e.body)), Markdown(lay_out_body(e.body)), questions if i == 0 else ())
            for i, e in enumerate(entries)]


def _cover(kind: str, entries: list[Entry]) -> str:
    dates = sorted(e.date for e in entries)
    communities = sorted({e.community for e in entries if e.community})
    where = "、".join(communities[:3]) + (f"等 {len(communities)} 个社区" if len(communities) > 3 else "")
    span = f"{dates[0]} 至 {dates[-1]}" if dates[0] != dates[-1] else f"{dates[0]}"
    source = f"出自{where}的社区工作日记" if where else "出自社区工作日记"
    return f"{kind} · {span} · 共 {len(entries)} 篇 · {source}"


def handout_pages(corpus: Corpus, render: Render) -> Iterator[tuple[str, str]]:
    for t in corpus.threads():
        src = paths.handout("thread", t.id)
        yield src, render("handout.md.j2", src, title=t.title, cover=_cover("案例线索", list(t.entries)),
                          back=paths.case(t.id), sections=[("", "", _cases(t.entries))])
    for topic in corpus.taxonomy.topics:
        members = corpus.with_topic(topic.slug)
        if len(members) <= RECOMMENDED:  # the topic page shows 推荐先读 (and links this) only past five entries
            continue
        best = corpus.recommended(topic.slug)
        src = paths.handout("topic", topic.slug)
        yield src, render("handout.md.j2", src, title=f"{topic.name} · 推荐先读",
                          cover=_cover("主题", list(best)), back=paths.topic(topic.slug),
                          sections=[("", "", _cases(best))])
    for p in corpus.curriculum:
        src = paths.handout("path", p.slug)
        entries = [e for s in p.steps for e in s.entries]
        sections = [(f"第 {i} 步 · {s.title}", s.note, _cases(s.entries, s.questions))
                    for i, s in enumerate(p.steps, 1)]
        yield src, render("handout.md.j2", src, title=f"学习路径：{p.title}", cover=_cover("学习路径", entries),
                          back=paths.learning_path(p.slug), sections=sections, goals=p.goals)
