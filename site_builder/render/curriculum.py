"""Learning paths → /paths/ (the list) and one page per path: audience, goals, and each step with its case cards
and discussion questions (issue #12 item 2). The paths themselves are read by site_builder/curriculum.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from .. import paths
from ..model import Corpus, Entry, LearningPath, PathStep
from .card import one_line_summary
from .escape import md_text

Render = Callable[..., str]


def escaped_entry(e: Entry) -> Entry:
    return replace(e, title=md_text(e.title), community=md_text(e.community), author=md_text(e.author),
                   discussion=tuple(md_text(q) for q in e.discussion), takeaways=tuple(md_text(t) for t in e.takeaways))


def cards(entries: tuple[Entry, ...]) -> list[tuple[Entry, str]]:
    """(escaped entry, escaped one-line summary) pairs for the case-card macro (_cards.md.j2)."""
    return [(escaped_entry(e), md_text(one_line_summary(e.body))) for e in entries]


def step_target(step: PathStep) -> str:
    """The page a step's title links to."""
    if step.kind == "entry":
        return paths.entry(step.ref)
    return paths.case(step.ref) if step.kind == "thread" else paths.topic(step.ref)


def escaped_path(p: LearningPath) -> LearningPath:
    steps = tuple(replace(s, title=md_text(s.title), note=md_text(s.note),
                          questions=tuple(md_text(q) for q in s.questions)) for s in p.steps)
    return LearningPath(p.slug, md_text(p.title), tuple(md_text(a) for a in p.audience),
                        tuple(md_text(g) for g in p.goals), steps)


def path_page(p: LearningPath, render: Render) -> str:
    src = paths.learning_path(p.slug)
    shown = escaped_path(p)
    steps = [(s, step_target(s), cards(s.entries)) for s in shown.steps]
    return render("path.md.j2", src, p=shown, steps=steps, cases=sum(len(s.entries) for s in p.steps))


def curriculum_pages(corpus: Corpus, render: Render,
                     item: Callable[[str, str, str], object]) -> Iterator[tuple[str, str]]:
    """Every path page, then the list; no paths.yml, no pages (and no empty list page)."""
    if not corpus.curriculum:
        return
    items = []
    for p in corpus.curriculum:
        src = paths.learning_path(p.slug)
        yield src, path_page(p, render)
        audience = "、".join(p.audience)
        note = f"{len(p.steps)} 步" + (f" · 适合{md_text(audience)}" if audience else "")
        items.append(item(md_text(p.title), src, note))
    lead = "学院按培训对象编排的学习路径：按顺序读案例，每一步都有讨论题。"
    yield paths.LEARNING_PATHS, render("list.md.j2", paths.LEARNING_PATHS, title="学习路径", lead=lead, items=items)
