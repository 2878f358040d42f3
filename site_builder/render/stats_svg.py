"""Bar charts as inline SVG, made at build time: no JavaScript, no library, nothing fetched (works from file://).

Horizontal bars with the label on the left and the number at the bar's end, so every value can be read on a
360 px phone (the viewBox is about a phone's width and scales down no further than that); colours come from the
site's CSS (diary.css, "statistics" block), so the chart follows the theme.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

WIDTH = 340  # viewBox units ≈ CSS pixels on a phone: 13-unit text stays ≈ 13 px there
FONT = 13
ROW = 22
BAR = 14
MAX_LABEL = 10  # characters; a longer label is cut with … and given whole in the bar's tooltip
NUMBER_ROOM = 34  # room right of the longest bar for its number


_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def _esc(text: str) -> str:
    """XML text and attribute value; one line, as a blank line would end the HTML block the chart sits in."""
    return html.escape(_LINE_BREAKS.sub(" ", text))


def _clip(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _units(text: str) -> float:
    """Rough width in ems: a Han character is one em, ASCII about half."""
    return sum(0.55 if ord(ch) < 128 else 1.0 for ch in text)


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str) -> str:
    """One <svg> with a bar per (label, value). Text is escaped here: labels come from the diaries."""
    if not rows:
        return ""
    label_w = max(_units(_clip(label)) for label, _ in rows) * FONT + 8
    top = max(value for _, value in rows) or 1
    span = WIDTH - label_w - NUMBER_ROOM
    height = ROW * len(rows) + 4
    esc = _esc
    out = [f'<svg class="diary-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg">', f"<title>{esc(title)}</title>"]
    for i, (label, value) in enumerate(rows):
        y = i * ROW + 2
        mid = y + ROW / 2
        width = span * value / top
        out.append(
            f'<g><title>{esc(label)}：{value}</title>'
            f'<text class="diary-chart__label" x="{label_w - 6:.0f}" y="{mid:.1f}" font-size="{FONT}" '
            f'text-anchor="end" dominant-baseline="central">{esc(_clip(label))}</text>'
            f'<rect class="diary-chart__bar" x="{label_w:.0f}" y="{mid - BAR / 2:.1f}" width="{width:.1f}" '
            f'height="{BAR}" rx="2"/>'
            f'<text class="diary-chart__value" x="{label_w + width + 4:.1f}" y="{mid:.1f}" font-size="{FONT}" '
            f'dominant-baseline="central">{value}</text></g>')
    out.append("</svg>")
    return "".join(out)
