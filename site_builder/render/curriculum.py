"""Learning paths → /paths/ (the list) and one page per path: audience, goals, and each step with its case cards
and discussion questions (issue #12 item 2). The paths themselves are read by site_builder/structure/curriculum.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .. import paths
from ..model import Corpus, Entry, LearningPath, PathStep
from .card import one_line_summary

Render = Callable[..., str]


def cards(entries: tuple[Entry, ...]) -> list[tuple[Entry, str]]:
    """(entry, one-line summary) pairs for the case-card macro (_cards.md.j2); the templates escape what they print."""
    return [(e, one_line_summary(e.body)) for e in entries]


def step_target(step: PathStep) -> str:
    """The page a step's title links to."""
    if step.kind == "entry":
        return paths.entry(step.ref)
    return paths.case(step.ref) if step.kind == "thread" else paths.topic(step.ref)


def path_page(p: LearningPath, render: Render) -> str:
    src = paths.learning_path(p.slug)
    steps = [(s, step_target(s), cards(s.entries)) for s in p.steps]
    return render("path.md.j2", src, p=p, steps=steps, cases=sum(len(s.entries) for s in p.steps))


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
        note = f"{len(p.steps)} 步" + (f" · 适合{audience}" if audience else "")
        items.append(item(p.title, src, note))
    lead = "学院按培训对象编排的学习路径：按顺序读案例，每一步都有讨论题。"
    yield paths.LEARNING_PATHS, render("list.md.j2", paths.LEARNING_PATHS, title="学习路径", lead=lead, items=items)
