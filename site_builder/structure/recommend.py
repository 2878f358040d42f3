"""Which entries of a topic a trainee should read first: the topic page's 推荐先读 and a learning path's topic step."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Entry
from ..render.card import build_card

RECOMMENDED = 5


def usefulness(e: Entry) -> float:
    """How much a trainee gets from a case: steps and results written out, the topic chosen by hand, a followed
    thread, a settled outcome, and enough text to learn from."""
    score = 3.0 if build_card(e.body) else 0.0
    score += 1.0 if e.topics else 0.0
    score += 1.0 if e.case else 0.0
    score += 0.5 if e.status == "已解决" else 0.0
    return score + min(len(e.body), 600) / 600


def recommended_first(entries: Iterable[Entry], n: int = RECOMMENDED) -> list[Entry]:
    """The `n` most useful entries, ties by date then id (stable across builds)."""
    return sorted(entries, key=lambda x: (-usefulness(x), x.date, x.id))[:n]
