"""Snippets highlighted in the entry's own script (mirrors `highlight` in assets/diary-search.js).

Matches are found in the folded text; folding keeps offsets, so they are marked at the same place in the original.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..text.fold import fold


def find_marks(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    folded = fold(text.lower())
    marks = []
    for t in terms:
        at = folded.find(t)
        while t and at >= 0:
            marks.append((at, at + len(t)))
            at = folded.find(t, at + len(t))
    return sorted(marks, key=lambda m: (m[0], -m[1]))


def snippet(text: str, terms: Iterable[str], limit: int = 110, *, before: str = "", after: str = "") -> str:
    """A window of `limit` characters around the first match, matches wrapped in before/after."""
    marks = find_marks(text, sorted(set(terms), key=len, reverse=True))
    start = max(0, (marks[0][0] if marks else 0) - 30)
    end = min(len(text), start + limit)
    out, pos = ["…" if start > 0 else ""], start
    for a, b in marks:
        if a < pos or a >= end:
            continue
        out += [text[pos:a], before, text[a:min(b, end)], after]
        pos = min(b, end)
    out += [text[pos:end], "…" if end < len(text) else ""]
    return "".join(out)
